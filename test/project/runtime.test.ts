import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { hubspotWebhookConfigSchema, SECRET_NAMES } from '../../src/core/config.js';
import { fail, succeed } from '../../src/core/result.js';
import { toEndpointRequest, toHubSpotEndpointReply } from '../../src/functions/endpoint.js';
import { endpointFunction, overrideServices, privateFunction, resetServices, type Services } from '../../src/functions/runtime.js';

/** Values that look like real secrets; none may ever reach a reply or a log line. */
const SECRETS = {
  BILLWERK_CLIENT_ID: 'cid-7f3a9c1e55d2',
  BILLWERK_CLIENT_SECRET: 'csecret-91b0d4e2aa77f1',
  BILLWERK_BASE_URL: 'sandbox.billwerk.com',
  BILLWERK_ENTITIES: JSON.stringify([{ id: 'root', name: 'ACME GmbH' }]),
  PRIVATE_APP_ACCESS_TOKEN: 'pat-na1-5c0ffee0-1234-4bad-9dad-feedface0001',
  HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
};
const CONFIG_NAMES = [...SECRET_NAMES, 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES', 'HUBSPOT_API_BASE_URL'];

let logged: string[];

beforeEach(() => {
  // The tests pass secrets through context.secrets only; make sure the machine's env adds none.
  for (const name of CONFIG_NAMES) vi.stubEnv(name, undefined);
  logged = [];
  for (const method of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});

afterEach(() => {
  resetServices();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function expectNoSecretIn(text: string) {
  for (const value of [SECRETS.BILLWERK_CLIENT_ID, SECRETS.BILLWERK_CLIENT_SECRET, SECRETS.PRIVATE_APP_ACCESS_TOKEN]) {
    expect(text).not.toContain(value);
  }
}

describe('privateFunction', () => {
  const dealInput = z.object({ dealId: z.string().regex(/^\d+$/, 'must be a HubSpot record id'), note: z.string().optional() });

  it('rejects bad parameters with a problem naming the field, without running the handler', async () => {
    const run = vi.fn(async () => succeed('ran'));
    const main = privateFunction(dealInput, run);

    const missing = await main({ parameters: {} });
    const malformed = await main({ parameters: { dealId: 'abc' } });

    expect(run).not.toHaveBeenCalled();
    expect(missing).toEqual({ ok: false, problems: [expect.objectContaining({ field: 'dealId', message: 'is missing' })] });
    expect(malformed).toEqual({
      ok: false,
      problems: [expect.objectContaining({ field: 'dealId', message: 'must be a HubSpot record id' })],
    });
  });

  it('hands parsed parameters and the card’s propertiesToSend to the handler and returns its outcome as plain JSON', async () => {
    const schema = dealInput.extend({ properties: z.object({ dealname: z.string() }) });
    const main = privateFunction(schema, async (input) =>
      succeed({ id: input.dealId, name: input.properties.dealname, at: new Date('2025-01-02T03:04:05Z') }),
    );

    const reply = await main({ parameters: { dealId: '42' }, propertiesToSend: { dealname: 'Pro plan' } });

    expect(reply).toEqual({ ok: true, value: { id: '42', name: 'Pro plan', at: '2025-01-02T03:04:05.000Z' } });
    expect(JSON.parse(JSON.stringify(reply))).toEqual(reply);
  });

  it('passes business problems through unchanged', async () => {
    const main = privateFunction(z.object({}), async () => fail({ record: 'company "ACME"', field: 'Postal code', message: 'is empty' }));
    expect(await main({ parameters: {} })).toEqual({
      ok: false,
      problems: [{ record: 'company "ACME"', field: 'Postal code', message: 'is empty' }],
    });
  });

  it('needs no billwerk secrets when the handler never touches billwerk', async () => {
    const main = privateFunction(z.object({}), async (_input, services) => succeed(services.now() instanceof Date));
    expect(await main({ parameters: {}, secrets: {} })).toEqual({ ok: true, value: true });
  });

  it('names a missing or malformed secret (never its value) when the handler needs it', async () => {
    const main = privateFunction(z.object({}), async (_input, services) => {
      services.config(hubspotWebhookConfigSchema);
      return succeed('unreachable');
    });
    const missing = await main({ parameters: {}, secrets: { PRIVATE_APP_ACCESS_TOKEN: SECRETS.PRIVATE_APP_ACCESS_TOKEN } });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.problems).toEqual([
      expect.objectContaining({ field: 'HUBSPOT_CLIENT_SECRET', message: expect.stringContaining('HUBSPOT_CLIENT_SECRET is missing') }),
    ]);
    expect(missing.problems[0]!.message).toContain('hs secret add HUBSPOT_CLIENT_SECRET');

    const usesBillwerk = privateFunction(z.object({}), async (_input, services) => succeed(typeof services.billwerk));
    const malformed = await usesBillwerk({
      parameters: {},
      secrets: { ...SECRETS, BILLWERK_BASE_URL: `ftp://${SECRETS.BILLWERK_CLIENT_SECRET}.example` },
    });
    expect(malformed.ok).toBe(false);
    if (malformed.ok) return;
    expect(malformed.problems.map((p) => p.field)).toEqual(['BILLWERK_BASE_URL']);

    expectNoSecretIn(JSON.stringify([missing, malformed]));
    expectNoSecretIn(logged.join('\n'));
    expect(logged.join('\n')).toContain('BILLWERK_BASE_URL');
  });

  it('turns an unexpected error into a generic problem and logs it with context, secrets redacted', async () => {
    const main = privateFunction(
      z.object({ dealId: z.string() }),
      async () => {
        throw new Error(`HubSpot said no to Bearer ${SECRETS.PRIVATE_APP_ACCESS_TOKEN} (client ${SECRETS.BILLWERK_CLIENT_ID})`);
      },
      { name: 'validate_deal' },
    );

    const reply = await main({ parameters: { dealId: '7' }, secrets: SECRETS });

    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    const [problem] = reply.problems;
    expect(problem!.message).toMatch(/Something went wrong in the connector \(reference [0-9a-f-]{36}\)/);
    const serialized = JSON.stringify(reply);
    expect(serialized).not.toContain('HubSpot said no');
    expect(serialized).not.toContain('at ');
    expectNoSecretIn(serialized);

    const reference = /reference ([0-9a-f-]{36})/.exec(problem!.message)![1]!;
    const line = logged.find((l) => l.includes(reference));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: 'error',
      scope: 'validate_deal',
      message: 'unexpected error',
      parameters: ['dealId'],
      error: 'Error',
    });
    expect(line).toContain('HubSpot said no');
    expectNoSecretIn(logged.join('\n'));
  });

  it('builds clients lazily and reuses them across warm invocations with the same configuration', async () => {
    const seen: { hubspot: unknown; billwerk: unknown }[] = [];
    const main = privateFunction(z.object({}), async (_input, services) => {
      seen.push({ hubspot: services.hubspot, billwerk: services.billwerk });
      return succeed(null);
    });

    await main({ parameters: {}, secrets: SECRETS });
    await main({ parameters: {}, secrets: SECRETS });
    await main({
      parameters: {},
      secrets: { ...SECRETS, PRIVATE_APP_ACCESS_TOKEN: 'pat-na1-another-portal-token', BILLWERK_CLIENT_ID: 'cid-other' },
    });

    const [first, warm, otherPortal] = seen;
    // Same client object = same OAuth token cache: a warm container asks billwerk for no new token.
    expect(warm!.billwerk).toBe(first!.billwerk);
    expect(warm!.hubspot).toBe(first!.hubspot);
    expect(otherPortal!.billwerk).not.toBe(first!.billwerk);
    expect(otherPortal!.hubspot).not.toBe(first!.hubspot);
  });

  it('uses overridden services (the test and sandbox seam)', async () => {
    const fixed = new Date('2030-01-01T00:00:00Z');
    const hubspot = { marker: 'fake hubspot' } as unknown as Services['hubspot'];
    overrideServices(() => ({ hubspot, now: () => fixed }));
    const main = privateFunction(z.object({}), async (_input, services) =>
      succeed({ same: services.hubspot === hubspot, now: services.now().toISOString() }),
    );
    expect(await main({ parameters: {} })).toEqual({ ok: true, value: { same: true, now: fixed.toISOString() } });
  });
});

describe('endpoint adapter', () => {
  it('maps HubSpot’s request context to a small request: lower-case headers, first query values, parsed body', () => {
    const request = toEndpointRequest({
      method: 'post',
      headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': 'sig', Accept: ['a', 'b'] },
      params: { token: ['t1', 't2'], entity: 'root' },
      body: { eventId: 1, objectId: 42 },
    });
    expect(request).toEqual({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'sig', accept: 'a, b' },
      query: { token: 't1', entity: 'root' },
      body: { eventId: 1, objectId: 42 },
      rawBody: '{"eventId":1,"objectId":42}',
      rawBodyExact: false,
    });
  });

  it('keeps a body HubSpot gives as text exactly as sent', () => {
    const raw = '[ {"eventId": 1} ]';
    const fromString = toEndpointRequest({ method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    const fromRaw = toEndpointRequest({ method: 'POST', headers: {}, body: { ignored: true }, rawBody: raw });
    for (const request of [fromString, fromRaw]) {
      expect(request.rawBody).toBe(raw);
      expect(request.rawBodyExact).toBe(true);
      expect(request.body).toEqual([{ eventId: 1 }]);
    }
  });

  it('maps a reply to HubSpot’s { statusCode, body, headers }', () => {
    expect(toHubSpotEndpointReply({ status: 202, body: { accepted: 3 }, headers: { 'Retry-After': '5' } })).toEqual({
      statusCode: 202,
      body: '{"accepted":3}',
      headers: { 'content-type': 'application/json', 'retry-after': '5' },
    });
    expect(toHubSpotEndpointReply({ status: 204 })).toEqual({
      statusCode: 204,
      body: '',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('runs an endpoint handler and hides failures from the (public) caller', async () => {
    const ok = endpointFunction(async (request) => ({ status: 200, body: { got: request.query.token } }));
    expect(await ok({ method: 'GET', params: { token: ['abc'] } })).toMatchObject({ statusCode: 200, body: '{"got":"abc"}' });

    const throws = endpointFunction(async () => {
      throw new Error(`db down, token ${SECRETS.PRIVATE_APP_ACCESS_TOKEN}`);
    });
    const crashed = await throws({ method: 'POST', body: {}, secrets: SECRETS });
    expect(crashed.statusCode).toBe(500);
    expect(crashed.body).not.toContain('db down');

    const unconfigured = endpointFunction(async (_request, services) => {
      services.config(hubspotWebhookConfigSchema);
      return { status: 200 };
    });
    const reply = await unconfigured({ method: 'POST', body: {}, secrets: {} });
    expect(reply.statusCode).toBe(503);
    expect(reply.body).not.toContain('HUBSPOT_CLIENT_SECRET');
    expect(logged.join('\n')).toContain('HUBSPOT_CLIENT_SECRET is missing');
    expectNoSecretIn(JSON.stringify([crashed, reply]) + logged.join('\n'));
  });
});
