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

const PHASES: readonly ReconcilePhase[] = ['deals', 'companies', 'contacts'];
const MODIFIED_AT: Record<CustomerRecordType, string> = { companies: 'hs_lastmodifieddate', contacts: 'lastmodifieddate' };

export async function reconcile(deps: Deps, options: ReconcileOptions): Promise<ReconcileResult> {
  const startedAt = deps.now().getTime();
  const budgetMs = Math.min(options.timeBudgetMs, workingMs());
  const pageSize = options.pageSize ?? 100;
  const stored = await readReconcileState(deps.hubspot);
  const run: ReconcileRun = stored.state.current ?? newRun(deps, stored.state, options.trigger);
  const totals = { checked: 0, changed: 0, failed: 0 };
  let slowestPageMs = 0;
  let pages = 0;

  while (run.phase !== 'done') {
    // At least one page per call, so every call moves the sweep on; then only pages that fit the budget.
    const elapsed = deps.now().getTime() - startedAt;
    if (pages > 0 && elapsed + slowestPageMs > budgetMs) break;
    pages += 1;
    const pageStart = deps.now().getTime();
    const page = await nextPage(deps, run, pageSize);
    const outcomes = await inBatches(page, options.concurrency ?? 4, (record) => syncOne(deps, run.phase, record, options.environment));
    for (const o of outcomes) {
      totals.checked += 1;
      if (o === 'changed') totals.changed += 1;
      if (o === 'failed') totals.failed += 1;
    }
    run.checked += page.length;
    run.changed += outcomes.filter((o) => o === 'changed').length;
    run.failed += outcomes.filter((o) => o === 'failed').length;
    if (page.length < pageSize) {
      run.phase = PHASES[PHASES.indexOf(run.phase) + 1] ?? 'done';
      run.cursor = '0';
    } else {
      run.cursor = page[page.length - 1]!.id;
    }
    slowestPageMs = Math.max(slowestPageMs, deps.now().getTime() - pageStart);
  }

  const now = deps.now().toISOString();
  const complete = run.phase === 'done';
  const state: ReconcileState = complete
    ? { lastComplete: { ...run, finishedAt: now }, current: undefined }
    : { lastComplete: stored.state.lastComplete, current: { ...run, updatedAt: now } };
  await saveReconcileState(deps.hubspot, stored, state);
  deps.logger.info('reconciliation sweep slice', { trigger: options.trigger, complete, phase: run.phase, ...totals });
  return { complete, phase: run.phase, ...totals, state };
}

function newRun(deps: Deps, previous: ReconcileState, trigger: ReconcileTrigger): ReconcileRun {
  const now = deps.now().toISOString();
  return {
    trigger, startedAt: now, updatedAt: now, phase: 'deals', cursor: '0', checked: 0, changed: 0, failed: 0,
    // Companies and contacts changed since the last complete sweep STARTED (changes during it count again).
    customersChangedSince: previous.lastComplete?.startedAt ?? '1970-01-01T00:00:00.000Z',
  };
}

async function nextPage(deps: Deps, run: ReconcileRun, limit: number): Promise<CrmRecord[]> {
  const after = { propertyName: 'hs_object_id', operator: 'GT' as const, value: run.cursor };
  const sorts = [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }];
  if (run.phase === 'deals') {
    const properties = [...readProperties(await cachedMappings(deps.hubspot, deps.now())), DEAL.ownedContractId];
    const { results } = await deps.hubspot.search('deals', { filterGroups: [{ filters: [after, { propertyName: DEAL.ownedContractId, operator: 'HAS_PROPERTY' }] }], properties, sorts, limit });
    return results;
  }
  const type = run.phase as CustomerRecordType;
  const linked = { propertyName: type === 'companies' ? COMPANY.customerId : CONTACT.customerId, operator: 'HAS_PROPERTY' as const };
  const changed = { propertyName: MODIFIED_AT[type], operator: 'GTE' as const, value: String(Date.parse(run.customersChangedSince)) };
  const { results } = await deps.hubspot.search(type, { filterGroups: [{ filters: [after, linked, changed] }], properties: [], sorts, limit });
  return results;
}

type Outcome = 'unchanged' | 'changed' | 'failed';

/** One record; a failure is counted (and written onto the record by the use-case), never stops the sweep. */
async function syncOne(deps: Deps, phase: ReconcilePhase, record: CrmRecord, environment: BillwerkEnvironment): Promise<Outcome> {
  try {
    if (phase === 'deals') {
      const contractId = (record.properties[DEAL.ownedContractId] ?? '').trim();
      if (!followsContract(record, contractId)) return 'unchanged';
      const result = await syncDeal(deps, record, contractId, undefined, { reason: 'reconciliation sweep', mappings: await cachedMappings(deps.hubspot, deps.now()) });
      return result.status === 'updated' ? 'changed' : result.status === 'failed' ? 'failed' : 'unchanged';
    }
    const outcome = await syncCustomer(deps, { objectType: phase as CustomerRecordType, objectId: record.id, environment });
    if (!outcome.ok) return 'failed';
    return outcome.value.status === 'synced' && outcome.value.changed ? 'changed' : 'unchanged';
  } catch (error) {
    // Transient trouble with one record: counted; the next sweep tries it again.
    deps.logger.warn('reconciliation could not sync a record', { phase, id: record.id, transient: isTransient(error), error: error instanceof Error ? error.message : String(error) });
    return 'failed';
  }
}

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
