/**
 * Deal properties written by the apply protocol (signup and up/downgrade), and the progress record
 * that lets the next click resume at the first unfinished step. Pure.
 */
import { APPLY_CHANGE, DEAL } from '../catalog.js';
import type { CrmRecord } from '../hubspot/api.js';

/** Steps of the apply protocol that write something (docs/deal-flow.md "One apply protocol"). */
export type ApplyStep = 'order' | 'commit' | 'paymentTerm' | 'origin' | 'company' | 'contact' | 'note' | 'deal';

export interface ApplyProgress {
  orderId?: string;
  contractId?: string;
  customerId?: string;
  /** Steps finished by an earlier attempt (after the commit they run in parallel, so any subset). */
  done: ApplyStep[];
}

export function toProgressValue(progress: ApplyProgress): string {
  return JSON.stringify({ ...progress, done: [...new Set(progress.done)] });
}

/** What an earlier attempt recorded; anything unreadable counts as nothing done. */
export function parseProgress(value: string | null | undefined): ApplyProgress {
  try {
    const raw = JSON.parse(value ?? '') as Partial<ApplyProgress>;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return {
      ...(text(raw.orderId) ? { orderId: text(raw.orderId) } : {}),
      ...(text(raw.contractId) ? { contractId: text(raw.contractId) } : {}),
      ...(text(raw.customerId) ? { customerId: text(raw.customerId) } : {}),
      done: Array.isArray(raw.done) ? raw.done.filter((s): s is ApplyStep => typeof s === 'string') : [],
    };
  } catch {
    return { done: [] };
  }
}

export interface AppliedContract {
  contractId: string;
  customerId: string;
  orderId: string;
}

/**
 * Every step is done: the deal owns the contract from now on (ownership rule: contract id + synced =
 * true) and holds it in the unique-value owner property by which billwerk events find it. Another deal
 * holding it must have released it first (toReleasedOwnershipProperties): HubSpot rejects a second holder.
 */
export function toAppliedDealProperties(applied: AppliedContract, done: readonly ApplyStep[]): Record<string, string> {
  return {
    [DEAL.contractId]: applied.contractId,
    [DEAL.customerId]: applied.customerId,
    [DEAL.orderId]: applied.orderId,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: applied.contractId,
    [DEAL.applyChange]: APPLY_CHANGE.applied,
    [DEAL.syncError]: '',
    [DEAL.applyProgress]: toProgressValue({ ...applied, done: [...done, 'deal'] }),
  };
}

/** The order exists in billwerk (not committed yet): stored before the commit, so a retry commits it. */
export function toOrderedDealProperties(orderId: string, customerId: string | undefined): Record<string, string> {
  return {
    [DEAL.orderId]: orderId,
    ...(customerId ? { [DEAL.customerId]: customerId } : {}),
    [DEAL.applyProgress]: toProgressValue({ orderId, done: ['order'] }),
  };
}

/** A deal stops following its contract: not synced, and the unique owner value is free for the next deal. */
export function toReleasedOwnershipProperties(): Record<string, string> {
  return { [DEAL.contractSynced]: 'false', [DEAL.ownedContractId]: '' };
}

/** "Change failed" and why; `progress` when some steps are done (else the record of the last attempt stays). */
export function toApplyFailedProperties(message: string, progress?: ApplyProgress): Record<string, string> {
  return {
    [DEAL.applyChange]: APPLY_CHANGE.failed,
    [DEAL.syncError]: message,
    ...(progress ? { [DEAL.applyProgress]: toProgressValue(progress) } : {}),
  };
}

/** Only the properties whose value would change (HubSpot writes that change nothing are skipped). */
export function changedOnly(record: CrmRecord, wanted: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([name, value]) => (record.properties[name] ?? '') !== value));
}
