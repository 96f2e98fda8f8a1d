/**
 * The use-cases behind "Start sync of products", the scheduler endpoint and the status on the
 * settings page. One call = one slice of the run (syncProducts.ts) while holding the product sync
 * lease; a trigger while another call holds it writes nothing and reports that run's figures, so the
 * page, the scheduler and five concurrent buttons all see one run.
 *
 * The report is honest: "up to date" only when the last run is done and complete (every visible
 * billwerk item in HubSpot as billwerk has it, no item errors, every entity read), no catalog change
 * waits to be written, and it finished within the last 12 hours.
 */
import { PRODUCT } from '../catalog.js';
import type { Deps } from '../deps.js';
import { RateLimitWaitError } from '../hubspot/limiter.js';
import { fail, succeed, type Outcome } from '../result.js';
import { parseCatalogChanges, pendingChanges, PRODUCT_SYNC_CHANGES_PROPERTY, type CatalogChanges } from './catalogChanges.js';
import { SETUP_MISSING, writeRecordedChanges } from './catalogEvents.js';
import { withProductSyncLease } from './productSyncLease.js';
import {
  fromSavedBurstWindow,
  isProductSyncStale,
  PRODUCT_SYNC_STATE_PROPERTY,
  readProductSyncState,
  toStoredState,
  type ProductSyncRun,
  type ProductSyncState,
  type ProductSyncTrigger,
  writtenMarkOf,
} from './productSyncState.js';
import { continueRun, countConnectorProducts, newRun } from './syncProducts.js';
import { recordWrite } from './writeBatches.js';

export interface ProductSyncReport {
  /** never: no run yet; running: a run is in progress (continued by the next call); done. */
  status: 'never' | 'running' | 'done';
  /** Another call is writing right now (this one only reports). */
  busy: boolean;
  /** Visible billwerk items that are in HubSpot as billwerk has them. */
  synced: number;
  /** Visible billwerk items (known once the run has read the whole catalog, else the last run's figure). */
  total?: number;
  /** total − synced, when the total is known. */
  left?: number;
  created: number;
  updated: number;
  archived: number;
  unchanged: number;
  errors: number;
  errorItems: { label: string; message: string }[];
  /** Catalog changes from billwerk webhooks not written yet (or a full run is needed: `fullRunNeeded`). */
  pendingChanges: number;
  fullRunNeeded: boolean;
  upToDate: boolean;
  stale: boolean;
  trigger?: ProductSyncTrigger;
  startedAt?: string;
  finishedAt?: string;
  lastCompleteAt?: string;
  calls: number;
  /** Why the last slice stopped early, in plain words. */
  message?: string;
  /** HubSpot's rate limit is used up: calling again sooner than this makes no progress. */
  retryAfterMs?: number;
}

export function toReport(
  state: ProductSyncState,
  changes: CatalogChanges,
  now: Date,
  extra: { busy?: boolean; message?: string; retryAfterMs?: number } = {},
): ProductSyncReport {
  const run: ProductSyncRun | undefined = state.run;
  const pending = pendingChanges(changes, writtenMarkOf(state));
  const stale = isProductSyncStale(state, now);
  const synced = run ? run.created + run.updated + run.unchanged : 0;
  const total = run && run.phase !== 'items' ? run.visible : state.lastComplete?.items;
  const done = run?.phase === 'done';
  return {
    status: !run ? 'never' : done ? 'done' : 'running',
    busy: extra.busy ?? false,
    synced,
    ...(total !== undefined ? { total, left: Math.max(0, total - synced) } : {}),
    created: run?.created ?? 0,
    updated: run?.updated ?? 0,
    archived: run?.archived ?? 0,
    unchanged: run?.unchanged ?? 0,
    errors: run?.errors ?? 0,
    errorItems: run?.errorItems ?? [],
    pendingChanges: pending.items.length,
    fullRunNeeded: Boolean(pending.overflowAt),
    upToDate: Boolean(done && run?.complete && !stale && pending.items.length === 0 && !pending.overflowAt),
    stale,
    ...(run ? { trigger: run.trigger, startedAt: run.startedAt } : {}),
    ...(run?.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(state.lastComplete ? { lastCompleteAt: state.lastComplete.finishedAt } : {}),
    calls: run?.calls ?? 0,
    ...(extra.message ? { message: extra.message } : {}),
    ...(extra.retryAfterMs !== undefined && !done ? { retryAfterMs: extra.retryAfterMs } : {}),
  };
}

async function readEverything(deps: Deps) {
  const properties = await deps.hubspot.listProperties('products');
  return {
    setUp: properties.some((p) => p.name === PRODUCT.key && p.hasUniqueValue !== false),
    stored: toStoredState(properties.find((p) => p.name === PRODUCT_SYNC_STATE_PROPERTY)),
    changes: parseCatalogChanges(properties.find((p) => p.name === PRODUCT_SYNC_CHANGES_PROPERTY)),
  };
}

/** The status on the settings page and for the scheduler (one properties call). */
export async function productSyncStatus(deps: Deps): Promise<Outcome<ProductSyncReport>> {
  const { setUp, stored, changes } = await readEverything(deps);
  if (!setUp) return fail({ record: 'product sync', message: SETUP_MISSING });
  return succeed(toReport(stored.state, changes, deps.now()));
}

export interface StartOptions {
  trigger: ProductSyncTrigger;
  timeBudgetMs?: number;
}

/**
 * One slice of the product sync: continues the run in progress, or starts one when the last is done
 * (a run that finished complete is a resync: reads only, for an unchanged catalog no product write).
 */
export async function startProductSync(deps: Deps, options: StartOptions): Promise<Outcome<ProductSyncReport>> {
  const before = await readEverything(deps);
  if (!before.setUp) return fail({ record: 'product sync', message: SETUP_MISSING });
  try {
    return await runSlice(deps, options);
  } catch (error) {
    // HubSpot's rate-limit window is full for longer than this call has left (e.g. a slice right after a
    // large one): nothing more can be done now, and the run is as last saved. Say when to call again
    // instead of failing, as a slice that stops on the limit does.
    if (!(error instanceof RateLimitWaitError)) throw error;
    deps.logger.info('product sync waits for HubSpot rate limit', { waitMs: Math.ceil(error.waitMs) });
    const waitS = Math.ceil(error.waitMs / 1000);
    const message = `HubSpot's rate limit is used up for the moment; nothing was synced by this call. Start the sync again in ${waitS} s.`;
    const retryAfterMs = untilNextCall(deps.now().getTime() + error.waitMs, deps.now());
    return succeed(toReport(before.stored.state, before.changes, deps.now(), { message, retryAfterMs }));
  }
}

/**
 * A fresh invocation spends about this long before its first batch (start-up, the state and lease
 * calls): the caller may call again that much before HubSpot's window has room; the slice's pacer
 * waits out the rest.
 */
const NEXT_CALL_STARTUP_MS = 600;

/** How long the caller should wait before the next call, for a window that has room again at `retryAt`. */
function untilNextCall(retryAt: number, now: Date): number {
  return Math.max(0, Math.ceil(retryAt - now.getTime() - NEXT_CALL_STARTUP_MS));
}

async function runSlice(deps: Deps, options: StartOptions): Promise<Outcome<ProductSyncReport>> {
  const outcome = await withProductSyncLease(deps.hubspot, deps.now(), async () => {
    // Read again under the lease: the holder before us may have saved since.
    let stored = await readProductSyncState(deps.hubspot);
    deps.hubspot.burstWindow.assumeCalls(fromSavedBurstWindow(stored.state.burstWindow));
    const inProgress = stored.state.run && stored.state.run.phase !== 'done' ? stored.state.run : undefined;
    const run = inProgress ?? newRun(deps.billwerk, options.trigger, deps.now(), await countConnectorProducts(deps.hubspot));
    const slice = await continueRun(deps, stored, run, options);
    stored = slice.stored;
    // Webhook changes recorded meanwhile are written by whoever holds the lease.
    if (!slice.stoppedBy) {
      const changes = await writeRecordedChanges(deps, stored);
      stored = changes.stored;
      if (changes.write.errors.length) recordWrite(run, changes.write);
    }
    return { state: stored.state, message: slice.stopMessage, retryAt: slice.retryAt };
  });
  const changes = parseCatalogChanges(await deps.hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY));
  if (!outcome.held) {
    const { state } = await readProductSyncState(deps.hubspot);
    return succeed(toReport(state, changes, deps.now(), { busy: true }));
  }
  const { state, message, retryAt } = outcome.value;
  const retryAfterMs = retryAt === undefined ? undefined : untilNextCall(retryAt, deps.now());
  return succeed(
    toReport(state, changes, deps.now(), { ...(message ? { message } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }),
  );
}
