/**
 * Two replicas of the service against the same HubSpot and billwerk: the built-in schedule runs each
 * tick on one of them only (a lease HubSpot enforces), and again at the next tick.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { hubspotScheduleLease } from '../../src/service/lease.js';
import { Schedule, scheduledJobs } from '../../src/service/schedule.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const HOLD_MS = 60 * 60 * 1000;
const CRONS = { productSync: '0 */12 * * *', reconcile: '*/15 * * * *' };

function replica(now: () => Date) {
  const { hubspot } = ctx.deps(); // each replica has its own clients, as in its own process
  return new Schedule({
    jobs: scheduledJobs(CRONS),
    env: ctx.env,
    logger: silentLogger,
    lease: hubspotScheduleLease(() => hubspot),
    holdMs: HOLD_MS,
    now,
  });
}

const products = () => ctx.hubspot.store.list('products').length;

describe('two replicas, one schedule', () => {
  it('runs the product sync tick on exactly one replica, skips a late tick, and runs the next tick once', async () => {
    let clock = new Date('2026-12-01T12:00:00Z');
    const now = () => clock;
    const [a, b] = [replica(now), replica(now)];
    const job = scheduledJobs(CRONS).find((j) => j.name === 'product-sync');
    expect(products()).toBe(0);

    const tick = await Promise.all([a.runJob(job!), b.runJob(job!)]);
    expect(tick.filter((run) => run.ran)).toHaveLength(1);
    expect(tick.find((run) => run.ran)).toMatchObject({ complete: true, lastStatus: 200 });
    const synced = products();
    expect(synced).toBeGreaterThan(0);
    const scheduledSyncs = () =>
      ctx.hubspot.simulator.calls.filter((c) => c.method === 'POST' && c.path === '/crm/v3/objects/products/batch/create').length;
    const createsAfterFirstTick = scheduledSyncs();

    // The other replica's clock is 2 s behind: it ticks after the first run finished. The lease is held.
    clock = new Date(clock.getTime() + 2_000);
    expect(await b.runJob(job!)).toMatchObject({ ran: false });

    clock = new Date('2026-12-02T00:00:00Z');
    const next = await Promise.all([a.runJob(job!), b.runJob(job!)]);
    expect(next.filter((run) => run.ran)).toHaveLength(1);
    expect(products()).toBe(synced); // an unchanged catalog creates nothing new
    expect(scheduledSyncs()).toBe(createsAfterFirstTick);
  });

  it('runs the reconciliation sweep on one replica per tick, to completion', async () => {
    const now = () => new Date('2026-12-01T12:30:00Z');
    const [a, b] = [replica(now), replica(now)];
    const job = scheduledJobs(CRONS).find((j) => j.name === 'reconciliation');
    expect(job, 'reconcile_trigger is in the operations table').toBeDefined();
    const tick = await Promise.all([a.runJob(job!), b.runJob(job!)]);
    expect(tick.filter((run) => run.ran)).toHaveLength(1);
    expect(tick.find((run) => run.ran)).toMatchObject({ complete: true, lastStatus: 200 });
  });
});
