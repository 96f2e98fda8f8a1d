/**
 * Product catalog sync, billwerk → HubSpot product library ("Starting the synchronization of
 * products", "Hiding products in billwerk"), as a run of resumable slices: each function call
 * continues the run from the cursors in its state (productSyncState.ts) and stops before its time
 * budget ends, saving where it stands.
 *
 * items:    billwerk's catalog page by page (readCatalog.ts). Per chunk of 100: the products holding
 *           their keys (one batch read by the unique key; skipped while the library held no connector
 *           product at the start), planChunk (pure), upserts by key and archives (writeBatches.ts),
 *           several batches in flight. No search decides create or update, so search lag cannot
 *           create a duplicate, and HubSpot's unique key refuses one anyway.
 * vanished: only when the library held products of items the items phase did not meet (deleted in
 *           billwerk, or synced before the key existed): the product list page by page, archiving those.
 *
 * Memory: one billwerk page and its chunk's products at a time; the vanished phase also holds the
 * set of visible keys. Callers hold the product sync lease (productSyncLease.ts).
 */
import { randomUUID } from 'node:crypto';
import type { BillwerkApi } from '../billwerk/api.js';
import { PRODUCT } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { HubSpotApi } from '../hubspot/api.js';
import { isOutOfTime, OutOfTimeError, workingMs } from '../http/deadline.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { RateLimitWaitError } from '../hubspot/limiter.js';
import { toProductDraft } from '../mappers/toProductProperties.js';
import { keepHeapSmall } from './memory.js';
import { vanishedReason } from './planChanges.js';
import {
  saveProductSyncState,
  toSavedBurstWindow,
  type ProductSyncRun,
  type ProductSyncTrigger,
  type StoredProductSyncState,
} from './productSyncState.js';
import { catalogStreams, ITEM_LISTS, readEntityContext, streamPages, toCatalogItems, type EntityContext } from './readCatalog.js';
import {
  archiveProducts,
  BULK,
  chunks,
  emptyWrite,
  plainError,
  PRODUCT_BATCH_SIZE,
  READ_PROPERTIES,
  recordWrite,
  syncChunk,
  WRITES_IN_FLIGHT,
} from './writeBatches.js';

export { PRODUCT_BATCH_SIZE } from './writeBatches.js';

export interface ProductSyncOptions {
  trigger: ProductSyncTrigger;
  /** This slice stops starting work after this many ms (the function call's own budget may end sooner). */
  timeBudgetMs?: number;
}

/** Progress is saved at least this often, so a killed call repeats at most this much work. */
const CHECKPOINT_MS = 2_500;
/** Time kept back at the end of a slice to save the run. */
const SAVE_RESERVE_MS = 400;

export function newRun(billwerk: BillwerkApi, trigger: ProductSyncTrigger, now: Date, countAtStart: number): ProductSyncRun {
  const at = now.toISOString();
  return {
    id: randomUUID(),
    trigger,
    startedAt: at,
    updatedAt: at,
    phase: 'items',
    readsExisting: countAtStart > 0,
    countAtStart,
    streams: catalogStreams(billwerk),
    unreadEntities: [],
    visible: 0,
    created: 0,
    updated: 0,
    archived: 0,
    unchanged: 0,
    matchedOld: 0,
    errors: 0,
    errorItems: [],
    calls: 0,
    complete: false,
  };
}

/** Connector products in the library: one count query (a search's `total`), never a create/update decision. */
export async function countConnectorProducts(hubspot: HubSpotApi): Promise<number> {
  const page = await hubspot.search('products', {
    filterGroups: [{ filters: [{ propertyName: PRODUCT.itemId, operator: 'HAS_PROPERTY' }] }],
    properties: [PRODUCT.key],
    limit: 1,
  });
  return page.total;
}

/** When this slice must stop starting work: its own budget or the call's working time, minus the save. */
class SliceClock {
  private readonly endsAt: number;
  private lastSave: number;

  constructor(
    private readonly now: () => number,
    budgetMs: number | undefined,
  ) {
    const start = now();
    const working = workingMs();
    this.endsAt = start + Math.min(budgetMs ?? Infinity, Number.isFinite(working) ? working : Infinity) - SAVE_RESERVE_MS;
    this.lastSave = start;
  }

  /** Whether work estimated at `estimateMs` still fits. */
  fits(estimateMs: number): boolean {
    return this.now() + estimateMs <= this.endsAt;
  }

  saveDue(): boolean {
    return this.now() - this.lastSave >= CHECKPOINT_MS;
  }

  saved(): void {
    this.lastSave = this.now();
  }
}

export interface SliceResult {
  run: ProductSyncRun;
  stored: StoredProductSyncState;
  /** Why the slice stopped before the run was done. */
  stoppedBy?: 'time' | 'unavailable';
  stopMessage?: string;
  /** HubSpot's rate limit window is full: a call makes progress only from this time on (epoch ms). */
  retryAt?: number;
}

/**
 * Continues `run` until it is done or the slice's time is up, saving progress on the way and at the
 * end. HubSpot unavailable (after the client's retries) stops the slice with the run saved; the next
 * call continues. Returns the run as saved.
 */
export async function continueRun(
  deps: Deps,
  stored: StoredProductSyncState,
  run: ProductSyncRun,
  options: ProductSyncOptions,
): Promise<SliceResult> {
  const now = () => deps.now().getTime();
  const clock = new SliceClock(now, options.timeBudgetMs);
  let current = stored;
  // The next slice inherits this one's share of HubSpot's burst window (productSyncState.ts).
  const burstWindow = () => toSavedBurstWindow(deps.hubspot.burstWindow.recentCalls());
  const save = async () => {
    run.updatedAt = deps.now().toISOString();
    current = await saveProductSyncState(deps.hubspot, current, { ...current.state, run, burstWindow: burstWindow() });
    clock.saved();
  };
  run.calls += 1;
  let stoppedBy: SliceResult['stoppedBy'];
  let stopMessage: string | undefined;
  let retryAt: number | undefined;
  try {
    if (run.phase === 'items') await itemsPhase(deps, run, clock, save);
    if (run.phase === 'vanished') await vanishedPhase(deps, run, clock, save);
    if (run.phase !== 'done') stoppedBy = 'time';
  } catch (error) {
    if (error instanceof OutOfTimeError || isOutOfTime(error)) {
      stoppedBy = 'time';
      const waitMs = rateLimitWait(error);
      if (waitMs !== undefined) retryAt = now() + waitMs;
    } else {
      stoppedBy = 'unavailable';
      stopMessage = `HubSpot or billwerk did not answer (${plainError(error)}); the next call continues where this one stopped.`;
      deps.logger.warn('product sync slice stopped', { runId: run.id, phase: run.phase, error: plainError(error) });
    }
  }
  if (run.phase === 'done' && !run.finishedAt) finish(deps, run);
  const lastComplete =
    run.phase === 'done' && run.complete
      ? { startedAt: run.startedAt, finishedAt: run.finishedAt!, items: run.visible }
      : current.state.lastComplete;
  run.updatedAt = deps.now().toISOString();
  current = await saveProductSyncState(deps.hubspot, current, {
    ...current.state,
    run,
    burstWindow: burstWindow(),
    ...(lastComplete ? { lastComplete } : {}),
  });
  deps.logger.info('product sync slice', {
    runId: run.id,
    phase: run.phase,
    calls: run.calls,
    visible: run.visible,
    created: run.created,
    updated: run.updated,
    archived: run.archived,
    unchanged: run.unchanged,
    errors: run.errors,
    stoppedBy,
  });
  return {
    run,
    stored: current,
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(stopMessage ? { stopMessage } : {}),
    ...(retryAt !== undefined ? { retryAt } : {}),
  };
}

/** How long HubSpot's window stays full, when that is why the slice stopped. */
function rateLimitWait(error: unknown): number | undefined {
  if (error instanceof RateLimitWaitError) return Math.ceil(error.waitMs);
  if (error instanceof HubSpotApiError && error.status === 429) return error.info.retryAfterMs;
  return undefined;
}

function finish(deps: Deps, run: ProductSyncRun): void {
  run.finishedAt = deps.now().toISOString();
  run.complete = run.errors === 0 && run.unreadEntities.length === 0;
}

/**
 * Estimated time to write a page: its items times the slowest ms per item so far (learned as it
 * goes; 1 s for a page of 500 before the first is written), and at least one HubSpot round trip.
 * Scaled by size, so a short last page still fits where a full one would not.
 */
const FIRST_MS_PER_ITEM = 2;
const MIN_PAGE_MS = 200;

/** billwerk lists read at once (each holds a page and the one read ahead). */
const STREAMS_AT_ONCE = 3;

/** At most `limit` tasks at once (the write batches of every stream share it). */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

async function itemsPhase(deps: Deps, run: ProductSyncRun, clock: SliceClock, save: () => Promise<void>): Promise<void> {
  const mapping = { multiEntity: deps.billwerk.entities.length > 1 };
  const runStartedAt = Date.parse(run.startedAt);
  const slots = new Slots(WRITES_IN_FLIGHT);
  let slowestMsPerItem = FIRST_MS_PER_ITEM;
  const pageFits = (items: number) => clock.fits(Math.max(MIN_PAGE_MS, items * slowestMsPerItem));
  let failure: { error: unknown } | undefined;
  let saving: Promise<void> = Promise.resolve();
  const checkpoint = () => {
    if (!clock.saveDue()) return saving;
    clock.saved();
    saving = saving.then(save);
    return saving;
  };

  const contexts = new Map<string, Promise<EntityContext | undefined>>();
  const contextOf = (entityId: string) => {
    if (!contexts.has(entityId)) {
      contexts.set(
        entityId,
        readEntityContext(deps.billwerk.forEntity(entityId)).catch((error: unknown) => {
          markUnreadable(deps, run, entityId, error);
          return undefined;
        }),
      );
    }
    return contexts.get(entityId)!;
  };

  const follow = async (stream: ProductSyncRun['streams'][number]) => {
    const context = await contextOf(stream.entity);
    if (!context) return;
    const pages = streamPages(context, stream);
    try {
      for (;;) {
        // The time budget is checked before every page: a page not written is read again next call.
        if (failure || !pageFits(0)) return;
        const next = await pages.next();
        if (next.done || !pageFits(next.value.items.length)) return;
        const started = Date.now();
        const drafts = next.value.items.map((item) => toProductDraft(item, mapping));
        // Settled, not raced: no write of this page may still be in flight when the slice saves and ends.
        const settled = await Promise.allSettled(
          chunks(drafts).map((chunk) =>
            slots.run(() => syncChunk(deps.hubspot, chunk, { readsExisting: run.readsExisting, runStartedAt })),
          ),
        );
        const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (rejected) throw rejected.reason;
        const results = settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof syncChunk>>>).value);
        for (const { plan, write } of results) {
          run.visible += plan.upsert.length + plan.unchanged;
          run.unchanged += plan.unchanged;
          run.matchedOld += plan.matchedOld;
          recordWrite(run, write);
        }
        if (next.value.next) stream.after = next.value.next;
        else stream.done = true;
        // Learned from pages of a batch or more: a page of a few items is mostly round trip, not items.
        const written = next.value.items.length;
        if (written >= PRODUCT_BATCH_SIZE) slowestMsPerItem = Math.max(slowestMsPerItem, (Date.now() - started) / written);
        keepHeapSmall();
        if (stream.done) return;
        await checkpoint();
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      await pages.return(undefined);
    }
  };

  // A few streams at a time: enough to keep HubSpot's window busy, few enough pages in memory.
  const open = run.streams.filter((s) => !s.done && !run.unreadEntities.includes(s.entity));
  const streamSlots = new Slots(STREAMS_AT_ONCE);
  await Promise.all(open.map((stream) => streamSlots.run(() => follow(stream))));
  await saving;
  if (failure) throw failure.error;
  if (run.streams.some((s) => !s.done && !run.unreadEntities.includes(s.entity))) return;
  // Products older than the run that no item met: gone from billwerk, or synced before the key existed.
  run.phase = run.readsExisting && run.countAtStart > run.matchedOld ? 'vanished' : 'done';
  await save();
}

function markUnreadable(deps: Deps, run: ProductSyncRun, entityId: string, error: unknown): void {
  if (!run.unreadEntities.includes(entityId)) run.unreadEntities.push(entityId);
  const name = deps.billwerk.entities.find((e) => e.id === entityId)?.name ?? entityId;
  recordWrite(run, {
    ...emptyWrite(),
    errors: [
      {
        label: `entity "${name}"`,
        message: `its billwerk catalog could not be read (${plainError(error)}); its products were left as they are.`,
      },
    ],
  });
  deps.logger.warn('billwerk catalog of an entity could not be read', { entityId, error: plainError(error) });
}

/** Keys of every visible item of the readable entities (the vanished phase compares products with it). */
async function readVisibleKeys(billwerk: BillwerkApi, unread: ReadonlySet<string>): Promise<Set<string>> {
  const keys = new Set<string>();
  const mapping = { multiEntity: billwerk.entities.length > 1 };
  await Promise.all(
    billwerk.entities
      .filter((e) => !unread.has(e.id))
      .map(async (entity) => {
        const context = await readEntityContext(billwerk.forEntity(entity.id));
        await Promise.all(
          ITEM_LISTS.map(async (list) => {
            let after: string | undefined;
            do {
              const page = await context.api.listCatalogPage(list, after);
              for (const item of toCatalogItems(context, list, page.items)) {
                const draft = toProductDraft(item, mapping);
                if (!draft.hidden) keys.add(draft.key);
              }
              after = page.next;
            } while (after);
          }),
        );
      }),
  );
  return keys;
}

async function vanishedPhase(deps: Deps, run: ProductSyncRun, clock: SliceClock, save: () => Promise<void>): Promise<void> {
  const unread = new Set(run.unreadEntities);
  const visible = await readVisibleKeys(deps.billwerk, unread);
  let after = run.vanishedAfter;
  let slowestPageMs = 300;
  for (;;) {
    if (!clock.fits(slowestPageMs)) return;
    const started = Date.now();
    const page = await deps.hubspot.listPage('products', { properties: READ_PROPERTIES, after, limit: 100 }, BULK);
    const gone = page.results
      .filter((record) => vanishedReason(record, visible, unread))
      .map((record) => ({
        id: record.id,
        label: `billwerk item ${record.properties[PRODUCT.itemId]}`,
      }));
    recordWrite(run, await archiveProducts(deps.hubspot, gone));
    keepHeapSmall();
    after = page.after;
    run.vanishedAfter = after;
    slowestPageMs = Math.max(slowestPageMs, Date.now() - started);
    if (!after) break;
    if (clock.saveDue()) await save();
  }
  run.phase = 'done';
}

// Catalog webhooks live in catalogEvents.ts; re-exported for the billwerk event table (events/handleBillwerkEvent.ts).
export { CATALOG_EVENTS, handleCatalogEvent, isCatalogEvent, type CatalogEventResult } from './catalogEvents.js';
