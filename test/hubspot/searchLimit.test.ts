/**
 * HubSpot's search limit (5 searches per second per account, on top of the burst limit): the simulator
 * answers like HubSpot, and the client paces searches under it and recovers from a search 429 that
 * names no Retry-After. Clocks are fake: pacing and retries never wait in real time.
 */
import { describe, expect, it } from 'vitest';
import { HUBSPOT_SEARCH_RATE_LIMIT } from '../../src/simulators/hubspot/index.js';
import { noPacing, RateLimitPacer, SEARCH_RATE_LIMIT } from '../../src/core/hubspot/limiter.js';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { fakeClock, maxInAnyWindow, useHubSpot, type Harness } from './support.js';

const SEARCH = 'POST /crm/v3/objects/:objectType/search';
const hub = useHubSpot({ seed: true });

/** A raw search request, as another invocation of the app (or curl) would send it. */
function rawSearch(h: Harness): Promise<Response> {
  return h.sim.simulator.handle(
    new Request('https://api.hubapi.com/crm/v3/objects/deals/search', {
      method: 'POST',
      headers: { authorization: 'Bearer sim-hubspot-token', 'content-type': 'application/json' },
      body: JSON.stringify({ filterGroups: [], properties: ['dealname'], limit: 1 }),
    }),
  );
}

const findDeals = (client: HubSpotApi, name: string) =>
  client.search('deals', {
    filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'EQ', value: name }] }],
    properties: ['dealname'],
  });

/** A client whose pacers and retries run on `clock`. */
function clockedClient(
  h: Harness,
  clock: ReturnType<typeof fakeClock>,
  searchLimiter = new RateLimitPacer({ ...SEARCH_RATE_LIMIT, now: clock.now, sleep: clock.sleep }),
) {
  return h.client({ limiter: new RateLimitPacer({ now: clock.now, sleep: clock.sleep }), searchLimiter, sleep: clock.sleep });
}

describe('the simulator’s search limit', () => {
  it('is HubSpot’s documented 5 searches per second unless switched off', () => {
    const h = hub.reset();
    expect(h.sim.simulator.searchRateLimit).toEqual({ limit: 5, windowMs: 1000 });
    expect(HUBSPOT_SEARCH_RATE_LIMIT).toEqual(SEARCH_RATE_LIMIT);
    expect(hub.reset({ searchRateLimit: false }).sim.simulator.searchRateLimit).toBeUndefined();
  });

  it('answers the 6th search within a second with HubSpot’s secondly 429: no Retry-After, no rate-limit headers', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.rateLimit = { limit: 190, windowMs: 10_000 };
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await rawSearch(h));

    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const rejected = answers[5]!;
    expect(await rejected.json()).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
      message: expect.stringContaining('secondly'),
      correlationId: expect.any(String),
    });
    expect(rejected.headers.get('retry-after')).toBeNull();
    // HubSpot's search answers carry no X-HubSpot-RateLimit-* headers, rejected or not.
    for (const answer of answers) expect([...answer.headers.keys()].filter((k) => k.startsWith('x-hubspot-ratelimit'))).toEqual([]);

    clock.t = 1000;
    expect((await rawSearch(h)).status).toBe(200);
  });

  it('limits searches only: other calls go on while searches are throttled', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    for (let i = 0; i < 5; i++) await rawSearch(h);
    const client = h.client({ searchLimiter: noPacing, limiter: noPacing, retry: { retries: 0 } });
    await expect(findDeals(client, 'x')).rejects.toMatchObject({ status: 429, category: 'RATE_LIMITS' });
    await expect(client.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname'])).resolves.toMatchObject({
      id: h.sim.seeded!.signupDeal.id,
    });
  });

  it('counts searches against the burst limit too', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.rateLimit = { limit: 3, windowMs: 10_000 };
    for (let i = 0; i < 3; i++) expect((await rawSearch(h)).status).toBe(200);
    const client = h.client({ limiter: noPacing, searchLimiter: noPacing, retry: { retries: 0 } });
    await expect(client.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname'])).rejects.toMatchObject({ status: 429 });
  });

  it('can be scaled or switched off at run time', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.searchRateLimit = { limit: 2, windowMs: 100 };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await rawSearch(h)).status);
    clock.t = 100;
    statuses.push((await rawSearch(h)).status);
    h.sim.simulator.searchRateLimit = undefined;
    for (let i = 0; i < 10; i++) statuses.push((await rawSearch(h)).status);
    expect(statuses).toEqual([200, 200, 429, 200, ...Array(10).fill(200)]);
  });
});

describe('client pacing under the search limit', () => {
  it('40 concurrent searches never exceed 5 in any second and meet no 429', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    const client = clockedClient(h, clock);
    await Promise.all(Array.from({ length: 40 }, (_, i) => findDeals(client, `Deal ${i}`)));

    const searches = h.sim.simulator.calls.filter((c) => c.route === SEARCH);
    expect(searches).toHaveLength(40);
    expect(searches.filter((c) => c.status === 429)).toHaveLength(0);
    expect(
      maxInAnyWindow(
        searches.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(5);
    // Not slower than needed: 40 searches at 5 per second fit in 8 windows (plus guards and spins).
    expect(clock.t).toBeGreaterThanOrEqual(7000);
  });

  it('keeps both limits when searches and other calls share a burst window', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.rateLimit = { limit: 8, windowMs: 1000 };
    const client = clockedClient(h, clock);
    const id = h.sim.seeded!.signupDeal.id;
    await client.getObject('deals', id, ['dealname']); // the burst limit is learned from the headers
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? findDeals(client, `Deal ${i}`) : client.getObject('deals', id, ['dealname']))),
    );

    const calls = h.sim.simulator.calls;
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(
      maxInAnyWindow(
        calls.filter((c) => c.route === SEARCH).map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(5);
    expect(
      maxInAnyWindow(
        calls.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(8);
  });

  it('retries a search 429 without Retry-After once the search window has passed', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    // Another invocation of the app used up this second's searches; our pacer could not know.
    for (let i = 0; i < 5; i++) await rawSearch(h);
    const sleeps: number[] = [];
    const client = h.client({
      limiter: noPacing,
      searchLimiter: new RateLimitPacer({ ...SEARCH_RATE_LIMIT, now: clock.now, sleep: clock.sleep }),
      sleep: async (ms) => (sleeps.push(ms), clock.sleep(ms)),
    });
    const dealname = h.sim.store.get('deals', h.sim.seeded!.signupDeal.id)!.properties.dealname!;
    const page = await findDeals(client, dealname);

    expect(page.results.map((r) => r.id)).toEqual([h.sim.seeded!.signupDeal.id]);
    const ours = h.sim.simulator.calls.slice(5);
    expect(ours.map((c) => c.status)).toEqual([429, 200]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(ours[1]!.at - ours[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.logs.some((l) => l.message.includes('retrying') && l.context?.status === 429)).toBe(true);
  });

  it('after a search 429 the next search waits for the window instead of meeting another 429', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    for (let i = 0; i < 5; i++) await rawSearch(h);
    const client = h.client({
      limiter: noPacing,
      retry: { retries: 0 },
      searchLimiter: new RateLimitPacer({ ...SEARCH_RATE_LIMIT, now: clock.now, sleep: clock.sleep }),
    });
    await expect(findDeals(client, 'first')).rejects.toMatchObject({ status: 429 });
    await findDeals(client, 'second');

    const ours = h.sim.simulator.calls.slice(5);
    expect(ours.map((c) => c.status)).toEqual([429, 200]);
    expect(ours[1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('waits the search window it paces under, not a fixed second (scaled windows for benchmarks)', async () => {
    const clock = fakeClock();
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.searchRateLimit = { limit: 5, windowMs: 250 };
    for (let i = 0; i < 5; i++) await rawSearch(h);
    const sleeps: number[] = [];
    const client = h.client({
      limiter: noPacing,
      searchLimiter: new RateLimitPacer({ limit: 5, windowMs: 250, now: clock.now, sleep: clock.sleep }),
      sleep: async (ms) => (sleeps.push(ms), clock.sleep(ms)),
    });
    await findDeals(client, 'x');
    expect(h.sim.simulator.calls.slice(5).map((c) => c.status)).toEqual([429, 200]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThan(1000);
  });
});
