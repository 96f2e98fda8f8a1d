/**
 * The service's built-in schedule (croner): the product sync every 12 hours, and a slice run of the
 * reconciliation sweep every 15 minutes (README "Scheduling the reconciliation"). Each job calls its operation from
 * src/functions/operations.ts exactly as an outside scheduler would (the same endpoint `main`, the
 * same token check), continuing while the reply says `complete: false`.
 *
 * Several replicas run the same schedule; a job runs on the one that wins a lease HubSpot enforces
 * (src/core/lock.ts). The lease is NOT released when the job is done: it expires after `holdMs`, so a
 * replica whose clock ticks a little later finds it held and skips that tick.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Logger } from '../core/log.js';
import { OPERATIONS, type Operation } from '../functions/operations.js';
import type { EndpointMain } from '../functions/endpointFunction.js';
import { describeError, type Env } from '../functions/services.js';

/** A lease held until it expires; `undefined` when another replica holds it. */
export interface ScheduleLease {
  tryAcquire(key: string, options: { holder: string; ttlMs: number; now: Date }): Promise<boolean>;
}

export interface ScheduledJob {
  name: string;
  cron: string;
  /** An endpoint operation that authenticates with PRODUCT_SYNC_TOKEN and answers `{complete}`. */
  main: EndpointMain;
  /** The path the operation is served at (for its logs). */
  path: string;
  /** How long a tick's lease is held, if not the schedule's default (must stay below the job's period). */
  holdMs?: number;
}

/** The reconciliation's recommended rhythm: each run continues the sweep from its stored cursor. */
export const RECONCILE_CRON = '*/15 * * * *';

/** The scheduler-triggered operations (same token, same `{complete}` reply), when they run, how long a tick's lease is held. */
const SCHEDULED_OPERATIONS = [
  { name: 'product-sync', uid: 'product_sync_trigger', cron: (c: ScheduleCrons) => c.productSync, holdMs: undefined },
  { name: 'reconciliation', uid: 'reconcile_trigger', cron: (c: ScheduleCrons) => c.reconcile, holdMs: 10 * 60 * 1000 },
] as const;

export interface ScheduleCrons {
  productSync: string;
  reconcile: string;
}

export function scheduledJobs(crons: ScheduleCrons): ScheduledJob[] {
  return SCHEDULED_OPERATIONS.flatMap(({ name, uid, cron, holdMs }) => {
    const operation = (OPERATIONS as Record<string, Operation>)[uid];
    return operation?.kind === 'endpoint'
      ? [{ name, cron: cron(crons), main: operation.main, path: operation.path, ...(holdMs ? { holdMs } : {}) }]
      : [];
  });
}

export interface ScheduleOptions {
  jobs: ScheduledJob[];
  env: Env;
  lease: ScheduleLease;
  logger: Logger;
  now?: () => Date;
  /** How long a tick's lease is held (default 1 hour: well past any clock skew between replicas). */
  holdMs?: number;
  /** Slices per run before giving up until the next tick (each slice stops within its time budget). */
  maxSlices?: number;
}

export interface JobRun {
  job: string;
  ran: boolean;
  slices: number;
  complete: boolean;
  lastStatus?: number;
}

export class Schedule {
  private readonly crons: Cron[] = [];
  private readonly running = new Set<Promise<JobRun>>();
  /** This replica, for the cron job names; each run holds its lease under a holder of its own. */
  private readonly replica = randomUUID();

  constructor(private readonly options: ScheduleOptions) {}

  start(): void {
    for (const job of this.options.jobs) {
      // protect: a tick while the previous run of this job is still going is skipped.
      this.crons.push(
        new Cron(job.cron, { timezone: 'UTC', protect: true, name: `${job.name}-${this.replica}` }, async () => {
          await this.track(this.runJob(job));
        }),
      );
    }
  }

  /** Stops ticking and waits for runs in progress (graceful shutdown). */
  async stop(): Promise<void> {
    for (const cron of this.crons) cron.stop();
    await Promise.allSettled([...this.running]);
  }

  nextRuns(): Record<string, string | undefined> {
    return Object.fromEntries(this.crons.map((cron, i) => [this.options.jobs[i]!.name, cron.nextRun()?.toISOString()]));
  }

  /** One tick of a job: run it here if this replica wins the tick's lease. */
  async runJob(job: ScheduledJob): Promise<JobRun> {
    const { logger, env } = this.options;
    const now = this.options.now ?? (() => new Date());
    const won = await this.options.lease
      .tryAcquire(`schedule:${job.name}`, {
        holder: `${this.replica}:${randomUUID()}`,
        ttlMs: job.holdMs ?? this.options.holdMs ?? 60 * 60 * 1000,
        now: now(),
      })
      .catch((error: unknown) => {
        logger.error('schedule lease failed; skipping this tick', { job: job.name, ...describeError(error) });
        return false;
      });
    if (!won) return { job: job.name, ran: false, slices: 0, complete: false };
    const run: JobRun = { job: job.name, ran: true, slices: 0, complete: false };
    const maxSlices = this.options.maxSlices ?? 100;
    while (!run.complete && run.slices < maxSlices) {
      run.slices += 1;
      const reply = await job.main({
        method: 'POST',
        headers: { authorization: `Bearer ${env.PRODUCT_SYNC_TOKEN ?? ''}`, 'content-type': 'application/json' },
        rawBody: '{}',
        secrets: env,
      });
      run.lastStatus = reply.statusCode;
      if (reply.statusCode !== 200) {
        logger.warn('scheduled job stopped', { job: job.name, status: reply.statusCode, body: reply.body.slice(0, 300) });
        break;
      }
      run.complete = (JSON.parse(reply.body) as { complete?: boolean }).complete !== false;
    }
    logger.info('scheduled job ran', { ...run });
    return run;
  }

  private track(run: Promise<JobRun>): Promise<JobRun> {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }
}
