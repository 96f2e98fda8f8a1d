/**
 * Public endpoints verify every caller before touching anything: wrong or missing credentials answer
 * 401 with no billwerk or HubSpot call; Basic auth parsing edge cases; HubSpot's v3 signature window in
 * both directions, missing headers, wrong method and URL; oversized bodies answer 413 before parsing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { authenticateBillwerkWebhook, parseBasicAuth } from '../../src/core/webhookAuth.js';
import { MAX_SIGNATURE_AGE_MS, signHubSpotRequest, verifyHubSpotSignature } from '../../src/core/hubspotSignature.js';
import { main as billwerkWebhookMain } from '../../src/functions/billwerk-webhook.js';
import { main as hubspotWebhookMain } from '../../src/functions/hubspot-webhook.js';
import { main as productSyncTriggerMain } from '../../src/functions/product-sync-trigger.js';
import { MAX_ENDPOINT_BODY_BYTES } from '../../src/functions/endpoint.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
const USER = SIM_CREDENTIALS.billwerkWebhookUser;
const PASSWORD = SIM_CREDENTIALS.billwerkWebhookPassword;
const HOOK_URI = 'https://portal.example.com/hs/serverless/hubspot-events';
const TOKEN = 'a-long-random-webhook-token-0123456789';

const noCalls = () => ({ billwerk: ctx.billwerk.simulator.calls.length, hubspot: ctx.hubspot.simulator.calls.length });

beforeEach(() => {
  ctx.billwerk.simulator.resetCalls();
  ctx.hubspot.simulator.resetCalls();
});

describe('Basic auth parsing', () => {
  it.each([
    ['lower-case scheme', `basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`, { user: USER, password: PASSWORD }],
    [
      'extra spaces around the credentials',
      `Basic    ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}   `,
      { user: USER, password: PASSWORD },
    ],
    ['a password with colons', basic('u:p:a:ss'), { user: 'u', password: 'p:a:ss' }],
    ['unicode credentials', basic('jürgen:pässwört✓'), { user: 'jürgen', password: 'pässwört✓' }],
    ['an empty user', basic(':secret'), { user: '', password: 'secret' }],
  ])('reads %s', (_name, header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });

  it.each([
    ['no colon', basic('userpassword')],
    ['another scheme', `Bearer ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`],
    ['no credentials after the scheme', 'Basic '],
    ['characters base64 does not have', 'Basic dXNlcjpw YXNz'],
    ['the scheme glued to the value', `Basic${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`],
  ])('treats %s as no credentials', (_name, header) => {
    expect(parseBasicAuth(header)).toBeUndefined();
  });

  it('an empty user or a user differing only in case or spaces never authenticates', () => {
    const config = { BILLWERK_WEBHOOK_USER: USER, BILLWERK_WEBHOOK_PASSWORD: PASSWORD };
    for (const header of [
      basic(`:${PASSWORD}`),
      basic(`${USER.toUpperCase()}:${PASSWORD}`),
      basic(` ${USER}:${PASSWORD}`),
      basic(`${USER}:${PASSWORD} `),
    ]) {
      expect(authenticateBillwerkWebhook({ headers: { authorization: header }, query: {} }, config)).toEqual({
        ok: false,
        reason: 'wrong credentials',
      });
    }
  });

  it('the token is read from the query only; a token header or Bearer header does not authenticate', () => {
    const config = { BILLWERK_WEBHOOK_TOKEN: TOKEN };
    expect(authenticateBillwerkWebhook({ headers: {}, query: { token: TOKEN } }, config)).toEqual({ ok: true, method: 'token' });
    expect(authenticateBillwerkWebhook({ headers: { authorization: `Bearer ${TOKEN}` }, query: {} }, config).ok).toBe(false);
    expect(authenticateBillwerkWebhook({ headers: { 'x-token': TOKEN }, query: {} }, config).ok).toBe(false);
    // A Basic header is no token: with only a token configured, it does not authenticate.
    expect(authenticateBillwerkWebhook({ headers: { authorization: basic(`x:${TOKEN}`) }, query: {} }, config).ok).toBe(false);
  });
});

describe('billwerk webhook endpoint', () => {
  const call = (
    headers: Record<string, string>,
    params: Record<string, string> = {},
    body: unknown = { Event: 'ContractChanged', ContractId: '64d000000000000000000001', EntityId: '64a000000000000000000001' },
  ) => billwerkWebhookMain({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, params, body, secrets: ctx.env });

  it('answers 401 to missing, wrong and near-miss credentials without any billwerk or HubSpot call', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basic(`${USER}:wrong`) },
      { authorization: basic(`${USER}:${PASSWORD}x`) },
      { authorization: basic(`${USER}:${PASSWORD.slice(0, -1)}`) },
      { authorization: basic(`${USER}`) },
      { authorization: `Bearer ${PASSWORD}` },
    ];
    for (const headers of attempts) {
      const reply = await call(headers);
      expect(reply.statusCode).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Basic/);
    }
    expect(noCalls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('answers 401 before it looks at the body: a garbage body with bad credentials is 401, not 400', async () => {
    const reply = await call({ authorization: basic('x:y') }, {}, 'not json at all');
    expect(reply.statusCode).toBe(401);
  });

  it('refuses a body over the cap with 413 before authentication, parsing or any call', async () => {
    const huge = JSON.stringify({ Event: 'ContractChanged', padding: 'x'.repeat(MAX_ENDPOINT_BODY_BYTES) });
    const asText = await billwerkWebhookMain({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(`${USER}:${PASSWORD}`) },
      params: {},
      body: huge,
      secrets: ctx.env,
    });
    const declared = await billwerkWebhookMain({
      method: 'POST',
      headers: { 'content-length': String(MAX_ENDPOINT_BODY_BYTES + 1) },
      params: {},
      body: { Event: 'x' },
      secrets: ctx.env,
    });
    const parsed = await billwerkWebhookMain({
      method: 'POST',
      headers: {},
      params: {},
      body: JSON.parse(huge) as unknown,
      secrets: ctx.env,
    });
    expect([asText.statusCode, declared.statusCode, parsed.statusCode]).toEqual([413, 413, 413]);
    expect(noCalls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('accepts a body just under the cap (the cap refuses only what is too big)', async () => {
    const padding = 'x'.repeat(MAX_ENDPOINT_BODY_BYTES - 200);
    const reply = await call({ authorization: basic(`${USER}:${PASSWORD}`) }, {}, { Event: 'SomethingWeIgnore', padding });
    expect(reply.statusCode).toBe(200);
  });
});

describe('HubSpot webhook signature', () => {
  const raw = JSON.stringify([
    {
      eventId: 1,
      subscriptionType: 'object.propertyChange',
      objectId: 1,
      objectTypeId: '0-2',
      propertyName: 'name',
      propertyValue: 'x',
      occurredAt: 1,
    },
  ]);
  const now = new Date('2026-03-01T12:00:00Z');
  const signedAt = (at: Date, method = 'POST', uri = HOOK_URI) =>
    signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, method, uri, raw, at);
  const verify = (headers: Record<string, string>, method = 'POST') =>
    verifyHubSpotSignature({ method, uris: [HOOK_URI], headers, rawBody: raw }, SIM_CREDENTIALS.hubspotClientSecret, now);

  it('accepts timestamps within 5 minutes either way and refuses those beyond, past or future', () => {
    const shifted = (ms: number) => new Date(now.getTime() + ms);
    expect(verify(signedAt(shifted(-MAX_SIGNATURE_AGE_MS + 1000))).ok).toBe(true);
    expect(verify(signedAt(shifted(MAX_SIGNATURE_AGE_MS - 1000))).ok).toBe(true);
    expect(verify(signedAt(shifted(-MAX_SIGNATURE_AGE_MS - 1000)))).toEqual({ ok: false, reason: 'timestamp is older than 5 minutes' });
    expect(verify(signedAt(shifted(MAX_SIGNATURE_AGE_MS + 1000)))).toEqual({ ok: false, reason: 'timestamp is in the future' });
  });

  it('refuses a wrong method, another URL, a missing header, a truncated or an over-long signature', () => {
    const good = signedAt(now);
    expect(verify(good, 'PUT').ok).toBe(false);
    expect(verify(signedAt(now, 'POST', 'https://attacker.example.com/hs/serverless/hubspot-events')).ok).toBe(false);
    const { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp } = good;
    expect(verify({ 'X-HubSpot-Request-Timestamp': timestamp! }).ok).toBe(false);
    expect(verify({ 'X-HubSpot-Signature-v3': signature! }).ok).toBe(false);
    expect(verify({ ...good, 'X-HubSpot-Signature-v3': signature!.slice(0, -2) }).ok).toBe(false);
    expect(verify({ ...good, 'X-HubSpot-Signature-v3': `${signature}AAAA` }).ok).toBe(false);
    expect(verify({ ...good, 'X-HubSpot-Signature-v3': '' }).ok).toBe(false);
  });

  it('the endpoint answers 401 to an unsigned, stale or forged batch without any call', async () => {
    const at = new Date();
    const send = (headers: Record<string, string>) =>
      hubspotWebhookMain({
        method: 'POST',
        headers: { host: 'portal.example.com', 'content-type': 'application/json', ...headers },
        params: {},
        body: raw,
        secrets: ctx.env,
      });
    const stale = signHubSpotRequest(
      SIM_CREDENTIALS.hubspotClientSecret,
      'POST',
      HOOK_URI,
      raw,
      new Date(at.getTime() - MAX_SIGNATURE_AGE_MS - 5000),
    );
    const forged = signHubSpotRequest('someone-elses-secret', 'POST', HOOK_URI, raw, at);
    const replies = await Promise.all([send({}), send(stale), send(forged)]);
    expect(replies.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    expect(noCalls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('a replay of a signed batch within the window is accepted and changes nothing the second time', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    const customer = await ctx
      .deps()
      .billwerk.forEntity(company.entityId)
      .createCustomer({ CompanyName: 'Old name', FirstName: 'A', LastName: 'B', EmailAddress: 'a@example.com', Locale: 'de-DE' });
    ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: customer.Id, name: 'New name' });
    ctx.billwerk.simulator.resetCalls();
    const events = JSON.stringify([
      {
        eventId: 7,
        subscriptionId: 1,
        portalId: 1,
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: Number(company.id),
        objectTypeId: '0-2',
        propertyName: 'name',
        propertyValue: 'x',
        changeSource: 'CRM_UI',
      },
    ]);
    const headers = {
      host: 'portal.example.com',
      ...signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, 'POST', HOOK_URI, events, new Date()),
    };
    const first = await hubspotWebhookMain({ method: 'POST', headers, params: {}, body: events, secrets: ctx.env });
    const writesAfterFirst = ctx.billwerk.simulator.calls.filter((c) => c.method === 'PATCH').length;
    expect(writesAfterFirst).toBeGreaterThan(0);
    const replay = await hubspotWebhookMain({ method: 'POST', headers, params: {}, body: events, secrets: ctx.env });
    expect([first.statusCode, replay.statusCode]).toEqual([200, 200]);
    expect(ctx.billwerk.simulator.calls.filter((c) => c.method === 'PATCH').length).toBe(writesAfterFirst);
  });
});

describe('product sync trigger', () => {
  const trigger = (headers: Record<string, string>, params: Record<string, string> = {}) =>
    productSyncTriggerMain({ method: 'POST', headers, params, body: undefined, secrets: ctx.env });

  it('answers 401 to a missing, wrong, prefixed or extended token without any call', async () => {
    const token = SIM_CREDENTIALS.productSyncToken;
    const replies = await Promise.all([
      trigger({}),
      trigger({ authorization: 'Bearer wrong' }),
      trigger({ authorization: `Basic ${token}` }),
      trigger({ 'x-product-sync-token': `${token}x` }),
      trigger({}, { token: token.slice(0, -1) }),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);
    expect(noCalls()).toEqual({ billwerk: 0, hubspot: 0 });
  });

  it('takes the token from a Bearer header (any case), its own header or the query', async () => {
    const token = SIM_CREDENTIALS.productSyncToken;
    for (const [headers, params] of [
      [{ authorization: `bearer ${token}` }, {}],
      [{ 'x-product-sync-token': token }, {}],
      [{}, { token }],
    ] as const) {
      const reply = await trigger({ ...headers }, { ...params });
      expect(reply.statusCode).not.toBe(401);
    }
  });
});
