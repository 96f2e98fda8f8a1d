/**
 * docs/deploy.md followed step by step where it can run offline: the profile file an admin creates,
 * the hsmeta variables as HubSpot's project parser resolves them with that profile, and the billwerk
 * webhook settings `npm run deploy:info` prints (URL from the function's hsmeta, events = what the
 * connector handles = what the guide lists).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getHsProfileFilename, validateProfileVariables } from '@hubspot/project-parsing-lib/profiles';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDeployInfo, toDeployInfo } from '../../src/core/settings/deployInfo.js';
import { CONTRACT_EVENTS, handleBillwerkEvent } from '../../src/core/events/handleBillwerkEvent.js';
import { CATALOG_EVENTS } from '../../src/core/products/syncProducts.js';
import { readEndpointPaths } from '../../scripts/deploy-info.js';

const root = path.resolve(import.meta.dirname, '../..');
const guide = await readFile(path.join(root, 'docs/deploy.md'), 'utf8');
const example = JSON.parse(await readFile(path.join(root, 'hsprofile.example.json'), 'utf8')) as {
  accountId: number;
  variables: Record<string, string>;
};
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** `${NAME}` references in every hsmeta file of the project. */
async function hsmetaVariables(): Promise<Set<string>> {
  const { readdir } = await import('node:fs/promises');
  const names = new Set<string>();
  for (const file of await readdir(path.join(root, 'src/app'), { recursive: true })) {
    if (!String(file).endsWith('-hsmeta.json') || String(file).includes('node_modules')) continue;
    for (const m of (await readFile(path.join(root, 'src/app', String(file)), 'utf8')).matchAll(/\$\{(\w+)\}/g)) names.add(m[1]!);
  }
  return names;
}

describe('step 2: the profile', () => {
  it('the example has the shape HubSpot expects and a value for every variable the hsmeta files use', async () => {
    expect(Number.isInteger(example.accountId)).toBe(true);
    expect(validateProfileVariables(example.variables, 'example')).toMatchObject({ success: true });
    expect(Object.keys(example.variables).sort()).toEqual([...(await hsmetaVariables())].sort());
    expect(getHsProfileFilename('prod')).toBe('hsprofile.prod.json');
    expect(guide).toContain('src/hsprofile.<name>.json');
  });

  it("HubSpot's parser resolves every variable from src/hsprofile.<name>.json, so no placeholder reaches the portal", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'deploy-guide-'));
    dirs.push(dir);
    await cp(path.join(root, 'src'), path.join(dir, 'src'), {
      recursive: true,
      filter: (s) => !/[/\\](node_modules|dist)([/\\]|$)/.test(s),
    });
    const profile = {
      accountId: 4711,
      variables: {
        HUBSPOT_WEBHOOK_TARGET_URL: 'https://www.acme.example/hs/serverless/hubspot-events',
        SUPPORT_EMAIL: 'it@acme.example',
        DOCUMENTATION_URL: 'https://wiki.acme.example/billwerk',
        SUPPORT_URL: 'https://help.acme.example',
      },
    };
    // The guide's step: the profile lives in the source folder (srcDir), where the CLI reads it.
    await writeFile(path.join(dir, 'src', getHsProfileFilename('prod')), JSON.stringify(profile));
    const result = await translate(
      { projectSourceDir: path.join(dir, 'src'), platformVersion: '2026.03', accountId: 0 },
      { skipValidation: true, profile: 'prod' },
    );
    const nodes = result.intermediateRepresentation.intermediateNodesIndexedByUid;
    const resolved = JSON.stringify(Object.values(nodes).map((n) => n.config));
    expect(resolved).not.toMatch(/\$\{\w+\}/);
    expect(resolved).not.toMatch(/example\.com|your-company|your-connected-domain/);
    const app = Object.values(nodes).find((n) => n.componentType === 'APPLICATION')!;
    expect((app.config as { support: unknown }).support).toEqual({
      supportEmail: 'it@acme.example',
      documentationUrl: 'https://wiki.acme.example/billwerk',
      supportUrl: 'https://help.acme.example',
    });
  });

  it('app-hsmeta.json itself holds no placeholder contact', async () => {
    const app = await readFile(path.join(root, 'src/app/app-hsmeta.json'), 'utf8');
    expect(app).not.toMatch(/example\.(com|org)|support@|TODO/i);
  });
});

describe('step 8: billwerk webhook settings', () => {
  const info = toDeployInfo('www.acme.example', readEndpointPaths());

  it('the URL is the connected domain + /hs/serverless + the endpoint path of billwerk-webhook-hsmeta.json', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'src/app/functions/billwerk-webhook-hsmeta.json'), 'utf8')) as {
      config: { endpoint: { path: string } };
    };
    expect(info.billwerkWebhook.url).toBe(`https://www.acme.example/hs/serverless${meta.config.endpoint.path}`);
    expect(guide).toContain(`https://<connected domain>/hs/serverless${meta.config.endpoint.path}`);
    expect(toDeployInfo('https://www.acme.example/', readEndpointPaths(), 'token').billwerkWebhook.url).toBe(
      `${info.billwerkWebhook.url}?token=<BILLWERK_WEBHOOK_TOKEN>`,
    );
  });

  it('the events printed and listed in the guide are exactly the events the connector handles', () => {
    const listed = /<!-- events:start -->([\s\S]*?)<!-- events:end -->/
      .exec(guide)![1]!
      .match(/- (\w+)/g)!
      .map((line) => line.slice(2));
    expect(listed).toEqual(info.billwerkWebhook.events);
    expect(new Set(info.billwerkWebhook.events)).toEqual(new Set([...CONTRACT_EVENTS, ...CATALOG_EVENTS]));
    for (const event of [
      'ContractCreated',
      'ContractChanged',
      'InvoiceCreated',
      'OrderSucceeded',
      'PaymentEscalated',
      'PaymentEscalationReset',
    ]) {
      expect(listed, `billwerk's guide asks for ${event}`).toContain(event);
    }
    const printed = formatDeployInfo(info);
    for (const event of listed) expect(printed).toContain(`[x] ${event}`);
    expect(printed).toContain('HTTP Basic Auth');
  });

  it('an event outside the list is acknowledged and ignored (ticking more does no harm)', async () => {
    const deps = { logger: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } } as never;
    await expect(handleBillwerkEvent(deps, { Event: 'CustomerChanged' } as never)).resolves.toMatchObject({ kind: 'ignored' });
  });
});
