import { beforeEach, describe, expect, it } from 'vitest';
import { RateLimitPacer } from '../../src/core/hubspot/limiter.js';
import { useHubSpot } from './support.js';

/** A clock that only moves when someone sleeps. */
function fakeClock() {
  const clock = { t: 0, sleeps: 0, now: () => clock.t, sleep: async (ms: number) => void ((clock.t += ms), clock.sleeps++) };
  return clock;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

const headers = (max: number, remaining: number, windowMs: number) => ({
  'x-hubspot-ratelimit-max': String(max),
  'x-hubspot-ratelimit-remaining': String(remaining),
  'x-hubspot-ratelimit-interval-milliseconds': String(windowMs),
});

describe('RateLimitPacer', () => {
  it('does not delay while no limit is known', async () => {
    const clock = fakeClock();
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 1000; i++) (await pacer.acquire())();
    expect(clock.t).toBe(0);
  });

  it('keeps a burst of 2,000 calls under 190 per 10 s and close to the minimum time', async () => {
    const clock = fakeClock();
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep });
    pacer.observe(headers(190, 189, 10_000));
    const sentAt: number[] = [];
    // Concurrent callers, as Promise.all in a use-case would make them.
    await Promise.all(Array.from({ length: 2000 }, () => pacer.acquire().then((answered) => (sentAt.push(clock.t), answered()))));

    expect(maxInAnyWindow(sentAt, 10_000)).toBeLessThanOrEqual(190);
    const minimum = (2000 / 190) * 10_000;
    expect(clock.t).toBeLessThanOrEqual(minimum * 1.2);
    expect(clock.t).toBeGreaterThanOrEqual(Math.floor(2000 / 190) * 10_000);
  });

  it('leaves room for calls HubSpot counted from elsewhere (another function invocation)', async () => {
    const clock = fakeClock();
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep });
    // HubSpot says 100 of 190 are used although we sent nothing yet.
    pacer.observe(headers(190, 90, 10_000));
    const sentAt: number[] = [];
    for (let i = 0; i < 100; i++) {
      const answered = await pacer.acquire();
      sentAt.push(clock.t);
      answered();
    }
    expect(sentAt.filter((t) => t === 0)).toHaveLength(90);
    expect(clock.t).toBeGreaterThan(0);
  });

  it('holds a slot until a window after the answer, so slow answers cannot cause a 429', async () => {
    const clock = fakeClock();
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep, limit: 10, windowMs: 1000, guardMs: 0 });
    const inFlight = [];
    for (let i = 0; i < 10; i++) inFlight.push(await pacer.acquire());
    clock.t = 700; // HubSpot may have counted them as late as now
    for (const answered of inFlight) answered();
    const eleventh = await pacer.acquire();
    expect(clock.t).toBe(1700);
    eleventh();
  });

  it('bulk work leaves the reserve free, and a call that may use it does not queue behind waiting bulk work', async () => {
    // A clock whose sleeps end only when the test says so, so waiting bulk work and other calls overlap.
    let t = 0;
    let wake: (() => void) | undefined;
    const sleep = (ms: number) => new Promise<void>((resolve) => (wake = () => ((t += ms), resolve())));
    const pacer = new RateLimitPacer({ now: () => t, sleep, limit: 10, windowMs: 1000, guardMs: 0 });
    for (let i = 0; i < 7; i++) (await pacer.acquire({ reserve: 3 }))();
    // The 8th bulk call would eat into the reserve: it waits for the window to roll.
    const bulk = pacer.acquire({ reserve: 3 }).then((answered) => (answered(), t));
    await new Promise((resolve) => setImmediate(resolve));
    expect(wake).toBeDefined();
    // Meanwhile the bookkeeping calls (saving progress, releasing the lease) go at once, even though bulk waits.
    for (let i = 0; i < 3; i++) {
      const answered = await pacer.acquire();
      expect(t).toBe(0);
      answered();
    }
    wake!();
    expect(await bulk).toBe(1000);
  });

  it('calls an earlier invocation made leave the window when they were made, not a window after they are revealed', async () => {
    const clock = fakeClock();
    clock.t = 5_000;
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep, guardMs: 0 });
    // The first answer of this process: 180 of 190 used, none of them ours.
    (await pacer.acquire())();
    pacer.observe(headers(190, 9, 10_000));
    // The earlier invocation saved when it made them: 180 calls between 0 and 1.8 s ago... of the previous window.
    pacer.assumeCalls(Array.from({ length: 180 }, (_, i) => i * 10));
    const sentAt: number[] = [];
    for (let i = 0; i < 20; i++) {
      const answered = await pacer.acquire();
      sentAt.push(clock.t);
      answered();
    }
    // 9 slots are free now; the rest free from 10 s on (the first inherited call's answer + a window),
    // not from 15 s (a window after this process learned of them).
    expect(sentAt.filter((t) => t === 5_000)).toHaveLength(9);
    expect(Math.max(...sentAt)).toBeLessThan(10_200);
    expect(pacer.recentCalls().length).toBeLessThanOrEqual(190);
  });

  it('adopts a changed limit from later responses', async () => {
    const clock = fakeClock();
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep, limit: 100, windowMs: 10_000 });
    pacer.observe(headers(10, 9, 1000));
    const sentAt: number[] = [];
    for (let i = 0; i < 30; i++) {
      const answered = await pacer.acquire();
      sentAt.push(clock.t);
      answered();
    }
    expect(maxInAnyWindow(sentAt, 1000)).toBeLessThanOrEqual(10);
    expect(pacer.state).toMatchObject({ limit: 10, windowMs: 1000 });
  });
});

describe('client pacing against the simulator', () => {
  const hub = useHubSpot({ seed: true });
  let clock: ReturnType<typeof fakeClock>;
  beforeEach(() => {
    clock = fakeClock();
  });

  it('a burst of reads under a tight limit gets no 429 after the limit is learned', async () => {
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.rateLimit = { limit: 10, windowMs: 1000 };
    const pacer = new RateLimitPacer({ now: clock.now, sleep: clock.sleep });
    const client = h.client({ limiter: pacer, sleep: clock.sleep });
    const id = h.sim.seeded!.signupDeal.id;
    for (let i = 0; i < 60; i++) await client.getObject('deals', id, ['dealname']);

    expect(h.sim.simulator.calls).toHaveLength(60);
    expect(h.sim.simulator.calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(clock.t).toBeGreaterThanOrEqual(5000);
  });

  it('without the pacer the same burst hits 429s and relies on Retry-After', async () => {
    const h = hub.reset({ seed: true, now: clock.now });
    h.sim.simulator.rateLimit = { limit: 10, windowMs: 1000 };
    const client = h.client({ limiter: { acquire: async () => {}, observe: () => {} }, sleep: clock.sleep });
    const id = h.sim.seeded!.signupDeal.id;
    for (let i = 0; i < 60; i++) await client.getObject('deals', id, ['dealname']);
    expect(h.sim.simulator.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
  });
});
