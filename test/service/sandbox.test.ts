/** `npm start -- --mode service`: the cards reach the connector service through a signed hubspot.fetch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, env: {}, prepareDemo: false, backend: 'service' });
}, 60_000);
afterAll(async () => sandbox?.close());

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('sandbox in service mode', () => {
  it('answers a card call through the service, signed the way HubSpot signs', async () => {
    expect(sandbox.urls.service).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await post(`${sandbox.urls.workbench}hubspot-fetch`, {
      url: `${sandbox.urls.service}/functions/list_entities`,
      method: 'POST',
      body: { parameters: {} },
    });
    const reply = (await response.json()) as { status: number; body: string };
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { entities: expect.any(Array) } });
  });

  it('the service itself refuses the same call unsigned', async () => {
    const response = await post(`${sandbox.urls.service}/functions/list_entities`, { parameters: {} });
    expect(response.status).toBe(401);
  });

  it('plays hubspot.fetch only for the service (permittedUrls.fetch)', async () => {
    const response = await post(`${sandbox.urls.workbench}hubspot-fetch`, { url: 'https://example.com/steal', method: 'POST', body: {} });
    expect(response.status).toBe(403);
  });

  it('serves the cards with the service URL built into their one door', async () => {
    const bundle = await (await fetch(`${sandbox.urls.workbench}bundles/billwerk_deal_card.js`)).text();
    expect(bundle).toContain(JSON.stringify(`${sandbox.urls.service}`).slice(1, -1));
  });
});
