/**
 * The billwerk client against the stateful simulator (msw): OAuth token handling, entity header,
 * retries, typed errors, paging and reply validation.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../src/core/billwerk/client.js';
import {
  BillwerkApiError,
  BillwerkReplyError,
  isNotFound,
  isRepFixable,
  UnknownBillwerkEntityError,
} from '../../src/core/billwerk/errors.js';
import { DEMO_ENTITIES, SIM_BILLWERK_BASE_URL } from '../../src/simulators/constants.js';
import { useBillwerk } from './helpers.js';

const h = useBillwerk();
const root = DEMO_ENTITIES[0]!.id;
const second = DEMO_ENTITIES[1]!.id;
const seededRoot = () => h.sim.seeded![root]!;

describe('OAuth token', () => {
  it('requests one token and reuses it for many calls', async () => {
    const api = h.client().forEntity(root);
    for (let i = 0; i < 5; i++) await api.listPlanGroups();
    await api.getCustomer(seededRoot().customers.plain.Id);
    expect(h.tokenRequests()).toBe(1);
    expect(h.sim.simulator.count('GET /api/v1/planGroups')).toBe(5);
  });

  it('sends 100 concurrent calls with exactly one token request', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => h.sim.store.addCustomer({ CompanyName: `Customer ${i}` }, root).Id);
    const api = h.client().forEntity(root);
    const replies = await Promise.all(ids.map((id) => api.getCustomer(id)));
    expect(replies.map((c) => c.CompanyName)).toEqual(ids.map((_, i) => `Customer ${i}`));
    expect(h.sim.simulator.count('GET /api/v1/customers/:id')).toBe(100);
    expect(h.tokenRequests()).toBe(1);
  });

  it('shares one request between identical GETs in flight, but not between writes', async () => {
    const api = h.client().forEntity(root);
    const id = seededRoot().customers.plain.Id;
    const [a, b] = await Promise.all([api.getCustomer(id), api.getCustomer(id)]);
    expect(a).toEqual(b);
    expect(a).not.toBe(b); // each caller gets its own object
    expect(h.sim.simulator.count('GET /api/v1/customers/:id')).toBe(1);
    await Promise.all([api.updateCustomer(id, { PhoneNumber: '1' }), api.updateCustomer(id, { PhoneNumber: '1' })]);
    expect(h.sim.simulator.count('PATCH /api/v1/customers/:id')).toBe(2);
  });

  it('renews the token before it expires', async () => {
    const api = h.client().forEntity(root);
    await api.listPlanGroups();
    h.clock.now += 3_000 * 1000; // 50 min: still inside the lifetime minus margin
    await api.listPlanGroups();
    expect(h.tokenRequests()).toBe(1);
    h.clock.now += 560 * 1000; // 59 min 20 s: inside the last minute
    await api.listPlanGroups();
    expect(h.tokenRequests()).toBe(2);
    expect(h.sim.simulator.calls.filter((c) => c.status === 401)).toHaveLength(0);
  });

  it('renews once and retries when billwerk rejects a cached token (revoked)', async () => {
    const api = h.client().forEntity(root);
    await api.listPlanGroups();
    h.sim.tokens.revokeAll();
    const groups = await api.listPlanGroups();
    expect(groups.length).toBeGreaterThan(0);
    expect(h.tokenRequests()).toBe(2);
    expect(h.sim.simulator.count(/GET \/api\/v1\/planGroups/)).toBe(2 + 0 + 1); // ok, 401, ok
  });

  it('gives up after one renewal when every token is rejected', async () => {
    const api = h.client().forEntity(root);
    await api.listPlanGroups();
    // Every API call answers 401 from now on (as with a client lacking rights).
    h.sim.simulator.failNext(10, 401, { match: /\/api\/v1\//, body: { Message: 'Authorization has been denied for this request.' } });
    const error = await api.listPlanGroups().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillwerkApiError);
    expect((error as BillwerkApiError).status).toBe(401);
    expect(h.tokenRequests()).toBe(2);
  });

  it('names the credentials problem (never the secret) when the client id/secret are wrong', async () => {
    const api = h.client({}, { BILLWERK_CLIENT_SECRET: 'wrong-secret-value' }).forEntity(root);
    const error = (await api.listPlanGroups().catch((e: unknown) => e)) as BillwerkApiError;
    expect(error).toBeInstanceOf(BillwerkApiError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('BILLWERK_CLIENT_SECRET');
    expect(error.message).not.toContain('wrong-secret-value');
    expect(JSON.stringify(error.info)).not.toContain('wrong-secret-value');
  });

  it('never shares a token between different credentials, even with a shared cache', async () => {
    const cache = new TokenCache();
    await h.client({ tokenCache: cache }).forEntity(root).listPlanGroups();
    const other = h.client({ tokenCache: cache }, { BILLWERK_CLIENT_SECRET: 'another-secret' }).forEntity(root);
    await expect(other.listPlanGroups()).rejects.toMatchObject({ status: 401 });
    // A second client with the same credentials reuses the cached token.
    await h.client({ tokenCache: cache }).forEntity(root).listPlanGroups();
    expect(h.sim.simulator.calls.filter((c) => c.route === 'POST /oauth/token' && c.status === 200)).toHaveLength(1);
  });
});

describe('legal entities', () => {
  it("sends X-SELECTED-LEGAL-ENTITY-ID with several entities and reads that entity's data", async () => {
    const headers: (string | null)[] = [];
    h.server.use(
      http.all(`${SIM_BILLWERK_BASE_URL}/api/*`, ({ request }) => void headers.push(request.headers.get('x-selected-legal-entity-id'))),
    );
    const client = h.client();
    const rootGroups = await client.forEntity(root).listPlanGroups();
    const secondGroups = await client.forEntity(second).listPlanGroups();
    expect(headers).toEqual([root, second]);
    expect(rootGroups.map((g) => g.Id)).not.toEqual(secondGroups.map((g) => g.Id));
    expect(secondGroups.map((g) => g.Id)).toContain(h.sim.seeded![second]!.planGroups.eur.Id);
  });

  it('sends no entity header for a single-entity account', async () => {
    const headers: (string | null)[] = [];
    h.server.use(
      http.all(`${SIM_BILLWERK_BASE_URL}/api/*`, ({ request }) => void headers.push(request.headers.get('x-selected-legal-entity-id'))),
    );
    const client = h.client({}, { BILLWERK_ENTITIES: [DEMO_ENTITIES[0]!] });
    await client.forEntity().listPlanGroups();
    expect(headers).toEqual([null]);
  });

  it('throws a clear error for an entity that is not configured', () => {
    const client = h.client();
    expect(() => client.forEntity('64a0000000000000000000ff')).toThrow(UnknownBillwerkEntityError);
    expect(() => client.forEntity('64a0000000000000000000ff')).toThrow(/64a0000000000000000000ff.*not configured/);
    expect(client.forEntity(null).entity.id).toBe(root);
  });
});

describe('retries and errors', () => {
  it('retries a 500 and then succeeds', async () => {
    h.sim.simulator.failNext(2, 500, { match: /\/api\/v1\/customers\// });
    const customer = await h.client().forEntity(root).getCustomer(seededRoot().customers.plain.Id);
    expect(customer.Id).toBe(seededRoot().customers.plain.Id);
    expect(h.sim.simulator.count(/GET \/api\/v1\/customers\//)).toBe(3);
    expect(h.waits).toHaveLength(2);
  });

  it('honours Retry-After of a 429', async () => {
    h.sim.simulator.rateLimit = { limit: 1, windowMs: 7_000 };
    const api = h.client({ retry: { baseDelayMs: 1, maxDelayMs: 5_000, random: () => 0.5 } }).forEntity(root);
    await api.listPlanGroups(); // takes the only slot in the window
    await api.listPlanGroups(); // 429 with Retry-After, waits (fake clock), then gets through
    expect(h.sim.simulator.count(/GET \/api\/v1\/planGroups/)).toBe(3);
    expect(h.waits).toEqual([7_000]);
  });

  it("gives up after bounded retries with a typed error that keeps billwerk's message", async () => {
    h.sim.simulator.failNext(20, 503, { match: /\/api\/v1\//, body: { Message: 'Service temporarily unavailable, maintenance' } });
    const error = (await h
      .client({ retry: { retries: 3 } })
      .forEntity(root)
      .listPlanGroups()
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error).toBeInstanceOf(BillwerkApiError);
    expect(error.status).toBe(503);
    expect(error.billwerkMessage).toBe('Service temporarily unavailable, maintenance');
    expect(error.message).toContain('GET /api/v1/planGroups');
    expect(h.sim.simulator.count(/GET \/api\/v1\/planGroups/)).toBe(4);
  });

  it('retries a dropped connection for a read', async () => {
    h.sim.simulator.dropNext(1, /\/api\/v1\/customers\//);
    const customer = await h.client().forEntity(root).getCustomer(seededRoot().customers.plain.Id);
    expect(customer.Id).toBe(seededRoot().customers.plain.Id);
  });

  it('does not resend a create after a dropped connection (it may have been carried out)', async () => {
    h.sim.simulator.dropNext(1, /\/api\/v1\/customers$/);
    const api = h.client().forEntity(root);
    const error = (await api
      .createCustomer({ CompanyName: 'Once GmbH', EmailAddress: 'once@example.com' })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error).toBeInstanceOf(BillwerkApiError);
    expect(error.status).toBe(0);
    expect(h.sim.simulator.count('POST /api/v1/customers')).toBe(1);
  });

  it('times out a hanging read and retries it', async () => {
    h.sim.simulator.timeoutNext(1, 300, /\/api\/v1\/customers\//);
    const customer = await h.client({ timeoutMs: 50 }).forEntity(root).getCustomer(seededRoot().customers.plain.Id);
    expect(customer.Id).toBe(seededRoot().customers.plain.Id);
    expect(h.waits).toHaveLength(1);
  });

  it('does not resend an order commit that timed out', async () => {
    const api = h.client({ timeoutMs: 50 }).forEntity(root);
    const order = await api.createOrder({
      CustomerId: seededRoot().customers.plain.Id,
      Cart: { PlanVariantId: seededRoot().planVariants.starterMonthly.Id },
    });
    h.sim.simulator.timeoutNext(1, 300, /\/commit$/);
    const error = (await api.commitOrder(order.Id).catch((e: unknown) => e)) as BillwerkApiError;
    expect(error).toBeInstanceOf(BillwerkApiError);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/timed out/);
    expect(h.sim.simulator.count('POST /api/v1/orders/:id/commit')).toBe(1);
  });

  it('retries a create on 429 (billwerk did not act)', async () => {
    h.sim.simulator.failNext(1, 429, { match: /\/api\/v1\/customers$/ });
    const customer = await h.client().forEntity(root).createCustomer({ CompanyName: 'Twice GmbH', EmailAddress: 'twice@example.com' });
    expect(customer.CompanyName).toBe('Twice GmbH');
    expect(h.sim.store.findCustomers({ search: 'Twice' }, root)).toHaveLength(1);
  });

  it("surfaces billwerk's 422 message as rep-fixable, without retrying", async () => {
    const api = h.client().forEntity(root);
    const error = await api
      .previewOrder({ CustomerId: seededRoot().customers.plain.Id, Cart: { PlanVariantId: seededRoot().planVariants.legacyHidden.Id } })
      .catch((e: unknown) => e);
    expect(isRepFixable(error)).toBe(true);
    expect((error as BillwerkApiError).status).toBe(422);
    expect((error as BillwerkApiError).billwerkMessage).toMatch(/hidden/);
    expect(h.sim.simulator.count('POST /api/v1/orders/preview')).toBe(1);
  });

  it('reports a 409 for a duplicate external customer id as rep-fixable', async () => {
    const api = h.client().forEntity(root);
    const error = await api
      .createCustomer({ CompanyName: 'Copy', ExternalCustomerId: seededRoot().customers.withExternalId.ExternalCustomerId! })
      .catch((e: unknown) => e);
    expect(isRepFixable(error)).toBe(true);
    expect((error as BillwerkApiError).status).toBe(409);
  });

  it('tells a 404 apart', async () => {
    const error = await h
      .client()
      .forEntity(root)
      .getContract('64b000000000000000000000')
      .catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect(isRepFixable(error)).toBe(false);
  });

  it('names the endpoint when a reply does not have the expected shape', async () => {
    h.server.use(http.get(`${SIM_BILLWERK_BASE_URL}/api/v1/contracts/:id`, () => HttpResponse.json({ Id: 'c1', Balance: 'lots' })));
    const error = await h
      .client()
      .forEntity(root)
      .getContract('c1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillwerkReplyError);
    expect((error as BillwerkReplyError).endpoint).toBe('GET /api/v1/contracts/:id');
    expect((error as Error).message).toMatch(/CustomerId|Balance/);
  });
});

describe('paging', () => {
  it('follows take/from across several pages and returns every item once', async () => {
    for (let i = 0; i < 12; i++)
      h.sim.store.upsertComponent({ PlanGroupId: seededRoot().planGroups.eur.Id, Name: { _c: `Extra ${i}` }, PricePerUnit: i }, root);
    const expected = h.sim.store
      .list('components', root)
      .map((c) => c.Id)
      .sort();
    const components = await h.client({ pageSize: 4 }).forEntity(root).listComponents();
    expect(components.map((c) => c.Id).sort()).toEqual(expected);
    expect(new Set(components.map((c) => c.Id)).size).toBe(components.length);
    expect(h.sim.simulator.count(/GET \/api\/v1\/components/)).toBeGreaterThanOrEqual(Math.ceil(expected.length / 3));
  });
});
