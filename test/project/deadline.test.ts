/**
 * The time budget of a function call (src/core/http/deadline.ts): retries stop before it, requests
 * time out within it, the edge wraps every call in one, and the product sync stops inside it. Clocks
 * are injected; nothing here measures real time.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBillwerkClient } from '../../src/core/billwerk/client.js';
import { BillwerkApiError } from '../../src/core/billwerk/errors.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../../src/core/config.js';
import { isOutOfTime, OutOfTimeError, remainingMs, requestTimeoutMs, runWithDeadline, workingMs } from '../../src/core/http/deadline.js';
import { DEFAULT_RETRY, withRetry } from '../../src/core/http/retry.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { succeed } from '../../src/core/result.js';
import { main as triggerMain } from '../../src/functions/product-sync-trigger.js';
import { PRODUCT_SYNC_TIME_BUDGET_MS } from '../../src/functions/start-product-sync.js';
import {
  DEFAULT_CALL_BUDGET,
  endpointFunction,
  overrideCallBudget,
  overrideServices,
  privateFunction,
  type Services,
} from '../../src/functions/runtime.js';
import { seedLargeCatalog } from '../../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

/** A clock the test moves; retry waits move it by what they wait. */
function testClock(start = 1_000_000) {
  const clock = { ms: start, waits: [] as number[] };
  return {
    clock,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.ms += ms;
    },
  };
}

const unavailable = () => Object.assign(new Error('503 from the server'), { status: 503 });

describe('deadline', () => {
  it('nothing is limited outside a budget', () => {
    expect(remainingMs()).toBe(Infinity);
    expect(requestTimeoutMs(15_000)).toBe(15_000);
  });

  it('keeps a reserve at the end of the budget; a nested budget never outlasts the outer one', async () => {
    const { clock, now } = testClock();
    await runWithDeadline(
      9_000,
      async () => {
        expect(remainingMs()).toBe(9_000);
        expect(workingMs()).toBe(7_500);
        clock.ms += 1_000;
        await runWithDeadline(60_000, async () => expect(remainingMs()).toBe(8_000), { reserveMs: 1_500 });
      },
      { reserveMs: 1_500, now },
    );
  });

  it('concurrent calls each see their own budget', async () => {
    const { now } = testClock();
    const seen = await Promise.all([
      runWithDeadline(
        3_000,
        async () => {
          await Promise.resolve();
          return remainingMs();
        },
        { now },
      ),
      runWithDeadline(
        8_000,
        async () => {
          await Promise.resolve();
          return remainingMs();
        },
        { now },
      ),
    ]);
    expect(seen).toEqual([3_000, 8_000]);
  });

  it("a request's timeout shrinks to the working time left; in the reserve to what is left; none once spent", async () => {
    const { clock, now } = testClock();
    await runWithDeadline(
      9_000,
      async () => {
        expect(requestTimeoutMs(15_000)).toBe(7_500);
        expect(requestTimeoutMs(2_000)).toBe(2_000);
        clock.ms += 8_000; // in the reserve: the error write may use the rest
        expect(requestTimeoutMs(15_000)).toBe(1_000);
        clock.ms += 1_000;
        expect(() => requestTimeoutMs(15_000)).toThrow(OutOfTimeError);
      },
      { reserveMs: 1_500, now },
    );
  });
});

describe('withRetry within a budget', () => {
  it('stops before a wait would run past the working time and throws the last error, marked out of time', async () => {
    const { clock, now, sleep } = testClock();
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(unavailable());
    };
    // Without a budget the same loop uses all its retries.
    const unbounded = await withRetry(failing, {
      ...DEFAULT_RETRY,
      sleep,
      random: () => 1,
      decide: () => ({ retry: true, afterMs: 2_000 }),
    }).catch((e: unknown) => e);
    expect(attempts).toBe(DEFAULT_RETRY.retries + 1);
    expect(isOutOfTime(unbounded)).toBe(false);

    attempts = 0;
    clock.waits.length = 0;
    const startedAt = clock.ms;
    const error = await runWithDeadline(
      9_000,
      () => withRetry(failing, { ...DEFAULT_RETRY, sleep, random: () => 1, decide: () => ({ retry: true, afterMs: 2_000 }) }),
      { reserveMs: 1_500, now },
    ).catch((e: unknown) => e);

    // 7.5 s of working time hold three 2-second waits (each leaving time for an attempt), not a fourth.
    expect(clock.waits).toEqual([2_000, 2_000, 2_000]);
    expect(attempts).toBe(4);
    expect(clock.ms - startedAt).toBeLessThanOrEqual(7_500);
    expect(error).toMatchObject({ status: 503 });
    expect(isOutOfTime(error)).toBe(true);
  });

  it('does not start a Retry-After wait longer than the budget', async () => {
    const { clock, now, sleep } = testClock();
    const error = await runWithDeadline(
      8_000,
      () => withRetry(() => Promise.reject(unavailable()), { ...DEFAULT_RETRY, sleep, decide: () => ({ retry: true, afterMs: 30_000 }) }),
      { now },
    ).catch((e: unknown) => e);
    expect(clock.waits).toEqual([]);
    expect(isOutOfTime(error)).toBe(true);
  });

  it('a failure that is not worth retrying is not called out of time', async () => {
    const { now, sleep } = testClock();
    const rejected = Object.assign(new Error('422'), { status: 422 });
    const error = await runWithDeadline(
      8_000,
      () => withRetry(() => Promise.reject(rejected), { ...DEFAULT_RETRY, sleep, decide: () => ({ retry: false }) }),
      { now },
    ).catch((e: unknown) => e);
    expect(error).toBe(rejected);
    expect(isOutOfTime(error)).toBe(false);
  });
});

describe('clients within a budget', () => {
  const ctx = useSimulators();
  const root = DEMO_ENTITIES[0]!.id;
  const noWait = async () => {};

  it('billwerk: a hanging read times out at the end of the working time, not after the 15 s request timeout', async () => {
    const billwerk = createBillwerkClient(readConfig(billwerkConfigSchema, ctx.env), { timeoutMs: 15_000, sleep: noWait });
    const customerId = ctx.billwerk.seeded![root]!.customers.plain.Id;
    await billwerk.forEntity(root).getCustomer(customerId); // token cached outside the budget
    ctx.billwerk.simulator.timeoutNext(5, 30_000, /\/customers\//);
    const { now } = testClock();

    // 200 ms of working time on a clock that stands still: the request gets 200 ms, and no retry fits.
    const error = await runWithDeadline(1_700, () => billwerk.forEntity(root).getCustomer(customerId), { reserveMs: 1_500, now }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(BillwerkApiError);
    expect((error as BillwerkApiError).message).toMatch(/timed out/);
    expect(isOutOfTime(error)).toBe(true);
    expect(ctx.billwerk.simulator.count('GET /api/v1/customers/:id')).toBe(2);
  });

  it('HubSpot: a hanging read times out at the end of the working time and is not retried past it', async () => {
    const hubspot = createHubSpotClient(readConfig(hubspotConfigSchema, ctx.env), { timeoutMs: 15_000, sleep: noWait });
    ctx.hubspot.simulator.timeoutNext(5, 30_000);
    const { now } = testClock();

    const error = await runWithDeadline(1_700, () => hubspot.getObject('deals', ctx.hubspot.seeded!.signupDeal.id, ['dealname']), {
      reserveMs: 1_500,
      now,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(isOutOfTime(error)).toBe(true);
    expect(ctx.hubspot.simulator.calls).toHaveLength(1);
  });

  it('no request is sent once the budget is spent', async () => {
    const billwerk = createBillwerkClient(readConfig(billwerkConfigSchema, ctx.env), { sleep: noWait });
    const { clock, now } = testClock();
    const error = await runWithDeadline(
      1_000,
      async () => {
        clock.ms += 1_000;
        return billwerk.forEntity(root).createCustomer({ CompanyName: 'Late GmbH', EmailAddress: 'late@example.com' });
      },
      { now },
    ).catch((e: unknown) => e);
    expect(isOutOfTime(error)).toBe(true);
    expect(ctx.billwerk.simulator.calls).toHaveLength(0);
  });
});

describe('the edge gives every call a budget', () => {
  const ctx = useSimulators();

  it("a card call gets the private budget, an endpoint call the one that fits billwerk's 10 s webhook wait", async () => {
    const { now } = testClock();
    overrideCallBudget({ now });
    const seen: number[] = [];
    const remember = async () => {
      seen.push(remainingMs(), workingMs());
      return succeed(true);
    };
    await privateFunction(z.object({}), remember)({ parameters: {}, secrets: ctx.env });
    await endpointFunction(async () => (await remember(), { status: 200 }))({ method: 'POST', secrets: ctx.env } as never);

    const { privateMs, endpointMs, reserveMs } = DEFAULT_CALL_BUDGET;
    expect(seen).toEqual([privateMs, privateMs - reserveMs, endpointMs, endpointMs - reserveMs]);
    expect(privateMs).toBeLessThan(10_000);
    expect(endpointMs).toBeLessThan(10_000);
  });

  it('a function may set its own budget', async () => {
    overrideCallBudget({ now: testClock().now });
    const outcome = await privateFunction(z.object({}), async () => succeed(remainingMs()), { budgetMs: 3_000 })({
      parameters: {},
      secrets: ctx.env,
    });
    expect(outcome).toEqual({ ok: true, value: 3_000 });
  });

  it('out of time: the card reads which service did not answer in time; an endpoint answers 503 so the caller retries', async () => {
    ctx.hubspot.simulator.timeoutNext(5, 30_000);
    const { now } = testClock();
    overrideCallBudget({ privateMs: 1_700, endpointMs: 1_700, reserveMs: 1_500, now });
    const readDeal = async (_input: unknown, services: Services) => {
      await services.hubspot.getObject('deals', ctx.hubspot.seeded!.signupDeal.id, ['dealname']);
      return succeed(true);
    };

    const card = await privateFunction(z.object({}), readDeal)({ parameters: {}, secrets: ctx.env });
    expect(card).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/^HubSpot did not answer in time/) }] });

    const endpoint = await endpointFunction(async (_request, services) => (await readDeal({}, services), { status: 200 }))({
      method: 'POST',
      secrets: ctx.env,
    } as never);
    expect(endpoint.statusCode).toBe(503);
  });

  it("the product sync stops within the endpoint call's working time, which is shorter than its own 7 s budget", async () => {
    const root = DEMO_ENTITIES[0]!.id;
    seedLargeCatalog(ctx.billwerk.store, { items: 3500, entityId: root });
    // Each upsert batch costs "0.4 seconds" on the test clock (batches run side by side): the call's
    // working time ends long before the catalog does.
    const { clock, now } = testClock(Date.now());
    const deps = ctx.deps();
    const slowHubSpot: typeof deps.hubspot = Object.assign(Object.create(deps.hubspot) as typeof deps.hubspot, {
      batchUpsert: async (...args: Parameters<typeof deps.hubspot.batchUpsert>) => {
        clock.ms += 400;
        return deps.hubspot.batchUpsert(...args);
      },
    });
    overrideServices(() => ({ billwerk: deps.billwerk, hubspot: slowHubSpot, logger: silentLogger, now: () => new Date(clock.ms) }));
    overrideCallBudget({ now });
    const { endpointMs, reserveMs } = DEFAULT_CALL_BUDGET;
    expect(endpointMs - reserveMs).toBeLessThan(PRODUCT_SYNC_TIME_BUDGET_MS);

    const reply = await triggerMain({
      method: 'POST',
      headers: { authorization: `Bearer ${SIM_CREDENTIALS.productSyncToken}` },
      params: {},
      secrets: ctx.env,
    } as never);

    expect(reply.statusCode).toBe(200);
    const report = JSON.parse(String(reply.body)) as { status: string; created: number };
    // Stopped with its progress saved (the next call continues), not cut off by the platform.
    expect(report.status).toBe('running');
    expect(report.created).toBeGreaterThan(0);
    expect(report.created).toBeLessThan(3500);
  });
});
