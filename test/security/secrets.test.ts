/**
 * No secret value leaves the connector: every failure path is provoked through the real edge
 * (runtime.ts with its redacting loggers, real clients against the simulators), and everything a
 * person could read afterwards — console output, the function's reply, what was written onto HubSpot
 * records — is searched for every credential: the billwerk client id and secret (also as the Basic
 * header value), the OAuth access tokens billwerk issued, the HubSpot app token, the webhook
 * password and token, the app's client secret and the product-sync token.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BillwerkApi } from '../../src/core/billwerk/api.js';
import { createBillwerkClient } from '../../src/core/billwerk/client.js';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../../src/core/config.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { signHubSpotRequest } from '../../src/core/hubspotSignature.js';
import { main as billwerkWebhookMain } from '../../src/functions/billwerk-webhook.js';
import { main as checkConnectionMain } from '../../src/functions/check-connection.js';
import { main as hubspotWebhookMain } from '../../src/functions/hubspot-webhook.js';
import { main as listEntitiesMain } from '../../src/functions/list-entities.js';
import { main as productSyncTriggerMain } from '../../src/functions/product-sync-trigger.js';
import { main as syncCustomerMain } from '../../src/functions/sync-customer.js';
import { overrideCallBudget, overrideServices, redactingLogger, resetServices } from '../../src/functions/runtime.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { FAST_RETRY, useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const noWait = async () => {};

/** Every credential value, in every form it could be printed in. */
function secretValues(issuedTokens: readonly string[], extra: readonly string[]): string[] {
  const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
  return [
    ...Object.values(SIM_CREDENTIALS).filter((v) => v !== SIM_CREDENTIALS.billwerkWebhookUser),
    basic(SIM_CREDENTIALS.billwerkClientId, SIM_CREDENTIALS.billwerkClientSecret),
    basic(SIM_CREDENTIALS.billwerkWebhookUser, SIM_CREDENTIALS.billwerkWebhookPassword),
    ...issuedTokens,
    ...extra,
  ];
}

let consoleText: string[] = [];
let issuedTokens: string[] = [];
/** Secret values a test configured on top of the simulators' own. */
let extraSecrets: string[] = [];

beforeEach(() => {
  consoleText = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleText.push(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '));
    });
  }
  // Record every access token the billwerk simulator hands out.
  issuedTokens = [];
  extraSecrets = [];
  const issue = ctx.billwerk.tokens.issue.bind(ctx.billwerk.tokens);
  vi.spyOn(ctx.billwerk.tokens, 'issue').mockImplementation(() => {
    const issued = issue();
    issuedTokens.push(issued.token);
    return issued;
  });
  // The runtime's own loggers (function scope and both clients, redacting by the call's secrets);
  // only retry waits are shortened.
  // Clients are kept across calls with the same secrets, as the runtime keeps them in a warm container.
  const clients = new Map<string, { billwerk: BillwerkApi; hubspot: HubSpotApi }>();
  overrideServices((env) => {
    const key = JSON.stringify(env);
    if (!clients.has(key)) {
      clients.set(key, {
        billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env), {
          retry: FAST_RETRY,
          sleep: noWait,
          logger: redactingLogger('billwerk-client', env),
        }),
        hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env), {
          retry: FAST_RETRY,
          sleep: noWait,
          logger: redactingLogger('hubspot-client', env),
        }),
      });
    }
    return clients.get(key)!;
  });
});

afterEach(() => vi.restoreAllMocks());

/** Everything readable after the call: console, reply, and the text properties of every HubSpot record. */
function everythingReadable(reply: unknown): string {
  const records = (['companies', 'contacts', 'deals', 'notes'] as const).flatMap((type) =>
    ctx.hubspot.store.list(type).map((r) => JSON.stringify(r.properties)),
  );
  return [...consoleText, JSON.stringify(reply), ...records].join('\n');
}

function expectNoSecrets(reply: unknown): void {
  const text = everythingReadable(reply);
  expect(secretValues(issuedTokens, extraSecrets).filter((secret) => text.includes(secret))).toEqual([]);
}

/** An error body that echoes every credential the server could have seen. */
function echoingBody(extra: Record<string, unknown> = {}) {
  const token = issuedTokens.at(-1) ?? 'none';
  return {
    Message: `rejected Authorization: Bearer ${token}; raw token ${token}; client ${SIM_CREDENTIALS.billwerkClientId}:${SIM_CREDENTIALS.billwerkClientSecret}; access_token=${token}`,
    ...extra,
  };
}

describe('card functions: failures show and log no secret', () => {
  it('billwerk unreachable (connection reset on every attempt)', async () => {
    ctx.billwerk.simulator.dropNext(50);
    const reply = await ctx.runFunction(checkConnectionMain);
    expect(JSON.stringify(reply)).toContain('could not be reached');
    expectNoSecrets(reply);
  });

  it('billwerk rejects the client credentials (401 on the token request)', async () => {
    const wrongSecret = 'configured-but-wrong-client-secret-4711';
    extraSecrets.push(wrongSecret);
    const secrets = { ...ctx.env, BILLWERK_CLIENT_SECRET: wrongSecret };
    const card = await checkConnectionMain({ parameters: {}, propertiesToSend: {}, secrets });
    const sync = await syncCustomerMain({
      parameters: { objectType: 'companies', objectId: ctx.hubspot.seeded!.companies[0]!.id },
      propertiesToSend: {},
      secrets,
    });
    expect(JSON.stringify(card)).toContain('BILLWERK_CLIENT_SECRET');
    expectNoSecrets([card, sync]);
  });

  it('billwerk answers 401 to API calls even with a renewed token, echoing it (an entity problem: the token was issued)', async () => {
    await ctx.runFunction(checkConnectionMain); // obtains the token billwerk will echo
    ctx.billwerk.simulator.failNext(50, 401, { match: /planGroups/, body: echoingBody() });
    const reply = await ctx.runFunction(checkConnectionMain);
    expect(JSON.stringify(reply)).toContain('Check its id in BILLWERK_ENTITIES');
    expectNoSecrets(reply);
  });

  it('billwerk answers 500 with a body echoing the bearer token and the client secret', async () => {
    await ctx.runFunction(checkConnectionMain); // obtains a token
    ctx.billwerk.simulator.failNext(50, 500, { match: /planGroups/, body: echoingBody() });
    const reply = await ctx.runFunction(checkConnectionMain);
    expect(JSON.stringify(reply)).toContain('HTTP 500');
    expectNoSecrets(reply);
  });

  it('a rep-fixable billwerk rejection (422) echoing credentials reaches the card and the record scrubbed', async () => {
    const seeded = ctx.hubspot.seeded!;
    const company = seeded.companies[0]!;
    const billwerk = ctx.deps().billwerk.forEntity(company.entityId);
    const customer = await billwerk.createCustomer({
      CompanyName: 'Old',
      FirstName: 'A',
      LastName: 'B',
      EmailAddress: 'a@example.com',
      Locale: 'de-DE',
    });
    ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: customer.Id, name: 'New name' });
    await ctx.runFunction(checkConnectionMain); // this edge's client has a token billwerk may echo
    ctx.billwerk.simulator.failNext(1, 422, { match: /customers/i, body: echoingBody() });
    const reply = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: company.id } });
    const shown = everythingReadable(reply);
    expect(shown).toContain('rejected Authorization: Bearer [redacted]');
    expectNoSecrets(reply);
  });

  it('billwerk does not answer in time', async () => {
    overrideCallBudget({ privateMs: 800, reserveMs: 200 });
    ctx.billwerk.simulator.timeoutNext(50, 5_000);
    const reply = await ctx.runFunction(checkConnectionMain);
    expect(JSON.stringify(reply)).toContain('could not be reached');
    expectNoSecrets(reply);
  });

  it('billwerk answers with a body of the wrong shape that echoes credentials (zod reply failure)', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: '64e000000000000000000001', name: 'Changed' });
    await ctx.runFunction(checkConnectionMain);
    ctx.billwerk.simulator.failNext(50, 200, { match: /customers|planGroups/, body: { Id: 42, Echo: echoingBody().Message } });
    const sync = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: company.id } });
    const check = await ctx.runFunction(checkConnectionMain);
    expect(everythingReadable([sync, check])).toContain('unexpected shape');
    expectNoSecrets([sync, check]);
  });

  it('HubSpot answers 401 and 500 with bodies echoing the app token', async () => {
    ctx.hubspot.simulator.failNext(50, 500, {
      body: {
        status: 'error',
        category: 'INTERNAL_ERROR',
        message: `token ${SIM_CREDENTIALS.hubspotToken} / Bearer ${SIM_CREDENTIALS.hubspotToken}`,
        errors: [{ message: `again ${SIM_CREDENTIALS.hubspotToken}` }],
      },
    });
    const first = await ctx.runFunction(syncCustomerMain, {
      parameters: { objectType: 'companies', objectId: ctx.hubspot.seeded!.companies[0]!.id },
    });
    expect(consoleText.join('\n')).toMatch(/unexpected error|HubSpot/);
    ctx.hubspot.simulator.clearFaults();
    ctx.hubspot.simulator.failNext(50, 401, {
      body: { status: 'error', category: 'INVALID_AUTHENTICATION', message: `bad token ${SIM_CREDENTIALS.hubspotToken}` },
    });
    const second = await ctx.runFunction(checkConnectionMain);
    expectNoSecrets([first, second]);
  });

  it('configuration errors name the secret, never its value (malformed values that contain secrets)', async () => {
    resetServices(); // the runtime builds the clients itself from these secrets
    const env = {
      ...ctx.env,
      BILLWERK_BASE_URL: `ftp://${SIM_CREDENTIALS.billwerkClientSecret}@example.com`,
      BILLWERK_ENTITIES: `[{"id": "${SIM_CREDENTIALS.billwerkClientSecret}"`,
      HUBSPOT_API_BASE_URL: `not a url ${SIM_CREDENTIALS.hubspotToken}`,
    };
    const reply = await listEntitiesMain({ parameters: {}, propertiesToSend: {}, secrets: env });
    const sync = await syncCustomerMain({ parameters: { objectType: 'companies', objectId: '1' }, propertiesToSend: {}, secrets: env });
    expect(JSON.stringify(reply)).toContain('BILLWERK_BASE_URL');
    expect(JSON.stringify(reply)).toContain('BILLWERK_ENTITIES');
    expectNoSecrets([reply, sync]);
  });
});

describe('endpoint functions: failures show and log no secret', () => {
  const basicHeader = `Basic ${Buffer.from(`${SIM_CREDENTIALS.billwerkWebhookUser}:${SIM_CREDENTIALS.billwerkWebhookPassword}`).toString('base64')}`;

  it('billwerk webhook: HubSpot failing with echoed tokens answers 503, logs scrubbed', async () => {
    ctx.hubspot.simulator.failNext(50, 500, {
      body: { status: 'error', message: `Bearer ${SIM_CREDENTIALS.hubspotToken} ${SIM_CREDENTIALS.hubspotToken}` },
    });
    const reply = await billwerkWebhookMain({
      method: 'POST',
      headers: { authorization: basicHeader, 'content-type': 'application/json' },
      params: {},
      body: { Event: 'ContractChanged', EntityId: ctx.hubspot.seeded!.companies[0]!.entityId, ContractId: '64d000000000000000000001' },
      secrets: ctx.env,
    });
    expect(reply.statusCode).toBe(503);
    expectNoSecrets(reply);
  });

  it('billwerk webhook: wrong credentials are refused and the right ones never printed', async () => {
    const reply = await billwerkWebhookMain({
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${SIM_CREDENTIALS.billwerkWebhookUser}:wrong`).toString('base64')}` },
      params: { token: 'x'.repeat(30) },
      body: { Event: 'ContractChanged' },
      secrets: { ...ctx.env, BILLWERK_WEBHOOK_TOKEN: 'the-configured-webhook-token-0123456789' },
    });
    expect(reply.statusCode).toBe(401);
    expectNoSecrets(reply);
    expect(everythingReadable(reply)).not.toContain('the-configured-webhook-token-0123456789');
  });

  it('HubSpot webhook: billwerk failing while syncing a signed batch answers 503, logs scrubbed', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: '64e000000000000000000001' });
    ctx.billwerk.simulator.failNext(50, 500, { body: echoingBody() });
    const uri = 'https://portal.example.com/hs/serverless/hubspot-events';
    const raw = JSON.stringify([
      {
        eventId: 1,
        subscriptionId: 1,
        portalId: 1,
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: Number(company.id),
        objectTypeId: '0-2',
        propertyName: 'name',
        propertyValue: 'X',
        changeSource: 'CRM_UI',
      },
    ]);
    const reply = await hubspotWebhookMain({
      method: 'POST',
      headers: { host: 'portal.example.com', ...signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, 'POST', uri, raw, new Date()) },
      params: {},
      body: raw,
      secrets: ctx.env,
    });
    expect(reply.statusCode).toBe(503); // billwerk's outage: HubSpot delivers the batch again
    expect(ctx.billwerk.simulator.calls.length).toBeGreaterThan(0);
    expectNoSecrets(reply);
  });

  it('product sync trigger: HubSpot failing answers without detail; the token is never printed', async () => {
    ctx.hubspot.simulator.failNext(50, 500, { body: { status: 'error', message: `Bearer ${SIM_CREDENTIALS.hubspotToken}` } });
    const reply = await productSyncTriggerMain({
      method: 'POST',
      headers: {},
      params: { token: SIM_CREDENTIALS.productSyncToken },
      body: undefined,
      secrets: ctx.env,
    });
    expect(reply.statusCode).toBeGreaterThanOrEqual(400);
    expectNoSecrets(reply);
  });
});
