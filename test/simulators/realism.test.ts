/**
 * The simulators' real-world switches: seeded per-route latency, the search index lagging writes,
 * and one way to delay, fail, time out or drop any route's n-th call. Time runs on a fake clock
 * that the simulators' `sleep` advances, so nothing here waits.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBillwerkSimulator } from '../../src/simulators/billwerk/index.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { drawMs, routeKind, seededRandom, SimulatedNetworkError, type LatencyProfile } from '../../src/simulators/framework.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { BILLWERK_LATENCY } from '../../src/simulators/profiles.js';

function fakeClock(start = Date.UTC(2026, 11, 1)) {
  const clock = { t: start, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
}

function hubspot(options: { latency?: LatencyProfile; searchLagMs?: number } = {}) {
  const clock = fakeClock();
  const sim = createHubSpotSimulator({ now: clock.now, sleep: clock.sleep, searchRateLimit: false, ...options });
  return { clock, sim, call: (method: string, path: string, body?: unknown) => call(sim, method, path, body) };
}

async function call(sim: HubSpotSim, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await sim.simulator.handle(
    new Request(`https://api.hubapi.com${path}`, {
      method,
      headers: { authorization: `Bearer ${SIM_CREDENTIALS.hubspotToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** How long one call took on the fake clock. */
async function timed(clock: { t: number }, run: () => Promise<unknown>): Promise<number> {
  const start = clock.t;
  await run();
  return clock.t - start;
}

const searchByEmail = (email: string) => ({
  filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
  properties: ['email', 'firstname'],
});

describe('latency', () => {
  it('a fixed latency makes every call take exactly that long', async () => {
    const { clock, call } = hubspot({ latency: { default: { kind: 'fixed', ms: 80 } } });
    for (let i = 0; i < 3; i++) expect(await timed(clock, () => call('GET', '/crm/v3/objects/contacts'))).toBe(80);
  });

  it('uniform and tail draws stay within their bounds and spread out', () => {
    const random = seededRandom(7);
    const uniform = Array.from({ length: 2000 }, () => drawMs({ kind: 'uniform', minMs: 150, maxMs: 300 }, random));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...uniform)).toBeLessThan(300);
    expect(Math.max(...uniform) - Math.min(...uniform)).toBeGreaterThan(140);
    const tail = Array.from({ length: 2000 }, () => drawMs({ kind: 'tail', fixedMs: 20, meanTailMs: 40 }, random));
    expect(Math.min(...tail)).toBeGreaterThanOrEqual(20);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    expect(mean).toBeGreaterThan(55);
    expect(mean).toBeLessThan(65);
    // An exponential tail: some calls take several times the mean.
    expect(tail.filter((ms) => ms > 20 + 3 * 40).length).toBeGreaterThan(20);
  });

  it('the same seed replays the same latencies; another seed draws others', async () => {
    const profile = (seed: number): LatencyProfile => ({ default: { kind: 'tail', fixedMs: 20, meanTailMs: 40 }, seed });
    const trial = async (seed: number) => {
      const { clock, call } = hubspot({ latency: profile(seed) });
      const durations: number[] = [];
      for (let i = 0; i < 10; i++) durations.push(await timed(clock, () => call('GET', '/crm/v3/objects/contacts')));
      return durations;
    };
    const first = await trial(42);
    expect(await trial(42)).toEqual(first);
    expect(await trial(43)).not.toEqual(first);
  });

  it('batch reads, searches and writes each get their own latency; a route pattern overrides its class', async () => {
    const { clock, call } = hubspot({
      latency: {
        read: { kind: 'fixed', ms: 10 },
        search: { kind: 'fixed', ms: 200 },
        write: { kind: 'fixed', ms: 50 },
        routes: { 'GET /crm/v3/pipelines/:objectType': { kind: 'fixed', ms: 1 } },
      },
    });
    expect(await timed(clock, () => call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '1' }] }))).toBe(10);
    expect(await timed(clock, () => call('POST', '/crm/v3/objects/contacts/search', {}))).toBe(200);
    expect(await timed(clock, () => call('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@example.com' } }))).toBe(50);
    expect(await timed(clock, () => call('GET', '/crm/v3/pipelines/deals'))).toBe(1);
    expect([
      routeKind('POST', '/api/v1/orders/preview'),
      routeKind('POST', '/api/v1/orders'),
      routeKind('GET', '/api/v1/customers'),
    ]).toEqual(['read', 'write', 'read']);
  });

  it('billwerk order creation is slower than its other calls in the benchmark profile', async () => {
    const clock = fakeClock();
    const billwerk = createBillwerkSimulator({ now: clock.now, sleep: clock.sleep, latency: BILLWERK_LATENCY });
    const token = async () => {
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SIM_CREDENTIALS.billwerkClientId,
        client_secret: SIM_CREDENTIALS.billwerkClientSecret,
      });
      return billwerk.simulator.handle(
        new Request('https://sandbox.billwerk.com/oauth/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
    };
    expect(await timed(clock, token)).toBe(150);
    const order = () =>
      billwerk.simulator.handle(new Request('https://sandbox.billwerk.com/api/v1/orders', { method: 'POST', body: '{}' }));
    expect(await timed(clock, order)).toBe(300);
  });

  it('the default sleep is setTimeout, so fake timers drive it', async () => {
    vi.useFakeTimers();
    try {
      const sim = createHubSpotSimulator({ searchRateLimit: false, latency: { default: { kind: 'fixed', ms: 5000 } } });
      let done = false;
      const pending = call(sim, 'GET', '/crm/v3/objects/contacts').then(() => (done = true));
      await vi.advanceTimersByTimeAsync(4000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1000);
      await pending;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('search lag', () => {
  it('search misses a fresh record until the lag has passed; a read by id sees it at once', async () => {
    const { clock, sim, call } = hubspot({ searchLagMs: 5000 });
    const created = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'fresh@example.com', firstname: 'Ada' } });
    expect(created.status).toBe(201);
    expect((await call('POST', '/crm/v3/objects/contacts/search', searchByEmail('fresh@example.com'))).body.total).toBe(0);
    expect((await call('GET', `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(200);
    clock.t += 4999;
    expect((await call('POST', '/crm/v3/objects/contacts/search', searchByEmail('fresh@example.com'))).body.total).toBe(0);
    clock.t += 1;
    const found = await call('POST', '/crm/v3/objects/contacts/search', searchByEmail('fresh@example.com'));
    expect(found.body.results.map((r: { id: string }) => r.id)).toEqual([created.body.id]);

    // A change is searchable under its old value until it is indexed, then only under the new one.
    await call('PATCH', `/crm/v3/objects/contacts/${created.body.id}`, { properties: { firstname: 'Grace' } });
    const firstnames = async () =>
      (await call('POST', '/crm/v3/objects/contacts/search', searchByEmail('fresh@example.com'))).body.results.map(
        (r: any) => r.properties.firstname,
      );
    expect(await firstnames()).toEqual(['Ada']);
    clock.t += 5000;
    expect(await firstnames()).toEqual(['Grace']);
    sim.store.searchLagMs = 0;
    expect(await firstnames()).toEqual(['Grace']);
  });

  it('is off by default: a fresh record is found at once', async () => {
    const { call } = hubspot();
    await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'now@example.com' } });
    expect((await call('POST', '/crm/v3/objects/contacts/search', searchByEmail('now@example.com'))).body.total).toBe(1);
  });
});

describe('faults', () => {
  afterEach(() => vi.useRealTimers());

  it('fails only the n-th call of the named route, and only as many as asked', async () => {
    const { sim, call } = hubspot();
    sim.simulator.inject({ on: 'POST /crm/v3/objects/:objectType', nth: 2, count: 2, fault: { kind: 'fail', status: 503 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      await call('GET', '/crm/v3/objects/contacts'); // another route: not counted
      statuses.push((await call('POST', '/crm/v3/objects/contacts', { properties: { email: `c${i}@example.com` } })).status);
    }
    expect(statuses).toEqual([201, 503, 503, 201, 201]);
    expect(sim.store.count('contacts')).toBe(3);
  });

  it('delays a call and then answers it normally', async () => {
    const { clock, call, sim } = hubspot({ latency: { default: { kind: 'fixed', ms: 80 } } });
    sim.simulator.inject({ on: /\/contacts$/, fault: { kind: 'delay', ms: 2000 } });
    expect(await timed(clock, async () => expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200))).toBe(2080);
    expect(await timed(clock, () => call('GET', '/crm/v3/objects/contacts'))).toBe(80);
  });

  it('drops a call like a reset connection and times one out after its wait', async () => {
    const { sim, call } = hubspot();
    sim.simulator.inject({ on: 'GET /crm/v3/objects/:objectType', fault: { kind: 'drop' } });
    await expect(call('GET', '/crm/v3/objects/contacts')).rejects.toBeInstanceOf(SimulatedNetworkError);
    vi.useFakeTimers();
    sim.simulator.inject({ on: 'GET /crm/v3/objects/:objectType', fault: { kind: 'timeout', ms: 30_000 } });
    const pending = call('GET', '/crm/v3/objects/contacts').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await pending).toBeInstanceOf(SimulatedNetworkError);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });

  it('failNext, timeoutNext and dropNext still queue faults in order', async () => {
    const { sim, call } = hubspot();
    sim.simulator.failNext(1, 500);
    sim.simulator.failNext(1, 429, { match: /contacts/ });
    sim.simulator.dropNext(1);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(500);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(429);
    await expect(call('GET', '/crm/v3/objects/contacts')).rejects.toBeInstanceOf(SimulatedNetworkError);
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });
});
