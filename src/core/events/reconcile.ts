/**
 * The reconciliation sweep: the guarantee behind the webhooks (which stay the fast path). With every
 * webhook dropped, in both directions, one complete sweep still converges
 *   (a) the billing state of every deal that owns a billwerk contract (refreshContractState's syncDeal:
 *       contract read, escalation cleared once nothing is owed, last invoice when billed since), and
 *   (b) every linked company and contact changed in HubSpot since the last complete sweep started ->
 *       its billwerk customer (syncCustomer, the same use-case as the webhook and "Sync now").
 *
 * One call works for at most its time budget and stores a cursor in the run state (reconcileState.ts);
 * the next call (scheduler or settings page) continues there. Records are listed by HubSpot search,
 * sorted by id and restarted from the last id (`hs_object_id > cursor`), so the 10,000-results cap of a
 * search never stops a sweep, and a record written during the sweep is at worst caught by the next one
 * (search lags writes). Two sweeps at once are harmless: every write is idempotent.
 */
import { COMPANY, CONTACT, DEAL } from '../catalog.js';
import type { BillwerkEnvironment } from '../billwerk/environment.js';
import type { Deps } from '../deps.js';
import type { CrmRecord } from '../hubspot/api.js';
import { syncCustomer, type CustomerRecordType } from '../customer/syncCustomer.js';
import { workingMs } from '../http/deadline.js';
import { cachedMappings } from '../settings/mappingsCache.js';
import { isTransient } from './failures.js';
import { followsContract, readProperties, syncDeal } from './refreshContractState.js';
import { readReconcileState, saveReconcileState, type ReconcilePhase, type ReconcileRun, type ReconcileState } from './reconcileState.js';

export type ReconcileTrigger = 'scheduler' | 'settings';

export interface ReconcileOptions {
  trigger: ReconcileTrigger;
  environment: BillwerkEnvironment;
  /** Stop starting new pages after this long (the function's 10 s limit minus the state write). */
  timeBudgetMs: number;
  /** Records per search page (HubSpot: at most 200). */
  pageSize?: number;
  /** Records synced at once within a page (billwerk latency dominates; HubSpot's limit is portal-wide). */
  concurrency?: number;
}

export interface ReconcileResult {
  complete: boolean;
  phase: ReconcilePhase;
  /** Records looked at in this call, and how many of them were written. */
  checked: number;
  changed: number;
  failed: number;
  state: ReconcileState;
}

const MAX_STALLS = 3;
/** Progress is saved at least this often, so a call cut short (time, a full rate-limit window) loses little. */
const SAVE_EVERY_MS = 2_000;
const PHASES: readonly ReconcilePhase[] = ['deals', 'companies', 'contacts'];
const MODIFIED_AT: Record<CustomerRecordType, string> = { companies: 'hs_lastmodifieddate', contacts: 'lastmodifieddate' };

export async function reconcile(deps: Deps, options: ReconcileOptions): Promise<ReconcileResult> {
  const startedAt = deps.now().getTime();
  const budgetMs = Math.min(options.timeBudgetMs, workingMs());
  const pageSize = options.pageSize ?? 100;
  const stored = await readReconcileState(deps.hubspot);
  const run: ReconcileRun = stored.state.current ?? newRun(deps, stored.state, options.trigger);
  const totals = { checked: 0, changed: 0, failed: 0 };
  const concurrency = options.concurrency ?? 6;
  let slowestBatchMs = 0;
  let batches = 0;
  // At least one batch per call, so every call moves the sweep on; then only batches that fit the budget.
  const timeLeft = () => batches === 0 || deps.now().getTime() - startedAt + slowestBatchMs <= budgetMs;

  let interrupted: string | undefined;
  // The state property exists once anything was saved; later saves update it.
  let saved = stored;
  let lastSaveAt = startedAt;
  const toState = (): ReconcileState => {
    const now = deps.now().toISOString();
    return run.phase === 'done'
      ? { lastComplete: { ...run, finishedAt: now }, current: undefined }
      : { lastComplete: stored.state.lastComplete, current: { ...run, updatedAt: now } };
  };
  const save = async (state: ReconcileState) => {
    await saveReconcileState(deps.hubspot, saved, state);
    saved = { ...saved, exists: true };
    lastSaveAt = deps.now().getTime();
  };
  pages: while (run.phase !== 'done' && timeLeft()) {
    let page: CrmRecord[];
    try {
      page = await nextPage(deps, run, pageSize);
    } catch (error) {
      if (!isTransient(error)) throw error;
      interrupted = describe(error);
      break;
    }
    for (let i = 0; i < page.length; i += concurrency) {
      if (!timeLeft()) break pages;
      const batchStart = deps.now().getTime();
      const batch = page.slice(i, i + concurrency);
      const settled = await Promise.allSettled(batch.map((record) => syncOne(deps, run.phase, record, options.environment)));
      const transient = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      // A record failing transiently call after call must not hold the sweep up: after MAX_STALLS it counts as failed.
      if (transient && (batches > 0 || (run.stalls ?? 0) + 1 < MAX_STALLS)) {
        // Out of time, rate-limited or unreachable: stop here; the next call redoes this batch (idempotent).
        interrupted = describe(transient.reason);
        if (batches === 0) run.stalls = (run.stalls ?? 0) + 1;
        break pages;
      }
      run.stalls = 0;
      const outcomes = settled.map((r): Outcome => (r.status === 'fulfilled' ? r.value : 'failed'));
      batches += 1;
      for (const o of outcomes) {
        totals.checked += 1;
        run.checked += 1;
        if (o === 'changed') {
          totals.changed += 1;
          run.changed += 1;
        }
        if (o === 'failed') {
          totals.failed += 1;
          run.failed += 1;
        }
      }
      // Records are done in id order: the cursor is the last one done.
      run.cursor = batch[batch.length - 1]!.id;
      slowestBatchMs = Math.max(slowestBatchMs, deps.now().getTime() - batchStart);
      if (deps.now().getTime() - lastSaveAt >= SAVE_EVERY_MS) {
        try {
          await save(toState());
        } catch (error) {
          if (!isTransient(error)) throw error;
          interrupted = describe(error);
          break pages;
        }
      }
    }
    if (page.length < pageSize) {
      run.phase = PHASES[PHASES.indexOf(run.phase) + 1] ?? 'done';
      run.cursor = '0';
    }
  }

  const complete = run.phase === 'done';
  const state = toState();
  try {
    await save(state);
  } catch (error) {
    // Not complete: the last periodic save holds the cursor, so the next call redoes at most SAVE_EVERY_MS
    // of work. Complete but unsaved: the sweep is not done until its state says so; the caller retries.
    if (complete || !isTransient(error)) throw error;
    interrupted = describe(error);
  }
  deps.logger.info('reconciliation sweep slice', {
    trigger: options.trigger,
    complete,
    phase: run.phase,
    ...totals,
    ...(interrupted ? { interrupted } : {}),
  });
  return { complete, phase: run.phase, ...totals, state };
}

function newRun(deps: Deps, previous: ReconcileState, trigger: ReconcileTrigger): ReconcileRun {
  const now = deps.now().toISOString();
  return {
    trigger,
    startedAt: now,
    updatedAt: now,
    phase: 'deals',
    cursor: '0',
    checked: 0,
    changed: 0,
    failed: 0,
    // Companies and contacts changed since the last complete sweep STARTED (changes during it count again).
    customersChangedSince: previous.lastComplete?.startedAt ?? '1970-01-01T00:00:00.000Z',
  };
}

async function nextPage(deps: Deps, run: ReconcileRun, limit: number): Promise<CrmRecord[]> {
  const after = { propertyName: 'hs_object_id', operator: 'GT' as const, value: run.cursor };
  const sorts = [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }];
  if (run.phase === 'deals') {
    const properties = [...readProperties(await cachedMappings(deps.hubspot, deps.now())), DEAL.ownedContractId];
    const { results } = await deps.hubspot.search('deals', {
      filterGroups: [{ filters: [after, { propertyName: DEAL.ownedContractId, operator: 'HAS_PROPERTY' }] }],
      properties,
      sorts,
      limit,
    });
    return results;
  }
  const type = run.phase as CustomerRecordType;
  const linked = { propertyName: type === 'companies' ? COMPANY.customerId : CONTACT.customerId, operator: 'HAS_PROPERTY' as const };
  const changed = { propertyName: MODIFIED_AT[type], operator: 'GTE' as const, value: String(Date.parse(run.customersChangedSince)) };
  // The connector's own status write after a sync also modifies a record, so a record synced by one sweep
  // is looked at once more by the next (which then finds nothing to send and writes nothing).
  const { results } = await deps.hubspot.search(type, {
    filterGroups: [{ filters: [after, linked, changed] }],
    properties: [],
    sorts,
    limit,
  });
  return results;
}

type Outcome = 'unchanged' | 'changed' | 'failed';

/**
 * One record. A failure a retry cannot fix is counted (and written onto the record by the use-case)
 * and the sweep goes on; a transient one (time budget, 429, 5xx, no answer) is thrown to stop the slice.
 */
async function syncOne(deps: Deps, phase: ReconcilePhase, record: CrmRecord, environment: BillwerkEnvironment): Promise<Outcome> {
  try {
    if (phase === 'deals') {
      const contractId = (record.properties[DEAL.ownedContractId] ?? '').trim();
      if (!followsContract(record, contractId)) return 'unchanged';
      const result = await syncDeal(deps, record, contractId, undefined, {
        reason: 'reconciliation sweep',
        mappings: await cachedMappings(deps.hubspot, deps.now()),
      });
      if (result.status === 'failed' && result.retryable) throw Object.assign(new Error(result.message), { status: 503 });
      return result.status === 'updated' ? 'changed' : result.status === 'failed' ? 'failed' : 'unchanged';
    }
    const outcome = await syncCustomer(deps, {
      objectType: phase as CustomerRecordType,
      objectId: record.id,
      environment,
      rethrowTransient: true,
    });
    if (!outcome.ok) return 'failed';
    return outcome.value.status === 'synced' && outcome.value.changed ? 'changed' : 'unchanged';
  } catch (error) {
    if (isTransient(error)) throw error;
    deps.logger.warn('reconciliation could not sync a record', { phase, id: record.id, error: describe(error) });
    return 'failed';
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
