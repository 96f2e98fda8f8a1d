/**
 * Deal properties written by apply / execute, and the apply claim marker. Pure.
 *
 * The claim (`billwerk_apply_claim` = `<token> <ISO start time>`) is written before anything is
 * created in billwerk and read back to detect a second apply running at the same time (HubSpot has
 * no compare-and-set, so the last writer wins and the other backs off). A claim older than
 * CLAIM_TTL_MS is treated as abandoned (e.g. a function killed by its time limit) so a retry resumes.
 */
import { APPLY_CHANGE, DEAL } from '../catalog.js';
import type { CrmRecord } from '../hubspot/api.js';

export const CLAIM_TTL_MS = 2 * 60_000;

export interface Claim {
  token: string;
  at: Date;
}

export function toClaimValue(claim: Claim): string {
  return `${claim.token} ${claim.at.toISOString()}`;
}

export function parseClaim(value: string | null | undefined): Claim | undefined {
  const [token, at] = value?.trim().split(/\s+/) ?? [];
  const date = at ? new Date(at) : undefined;
  return token && date && !Number.isNaN(date.getTime()) ? { token, at: date } : undefined;
}

/** A claim by someone else that is still fresh: another apply is running. */
export function activeForeignClaim(deal: CrmRecord, ownToken: string | undefined, now: Date): Claim | undefined {
  const claim = parseClaim(deal.properties[DEAL.applyClaim]);
  if (!claim || claim.token === ownToken) return undefined;
  return now.getTime() - claim.at.getTime() < CLAIM_TTL_MS ? claim : undefined;
}

export function toClaimProperties(claim: Claim): Record<string, string> {
  return { [DEAL.applyClaim]: toClaimValue(claim), [DEAL.applyChange]: APPLY_CHANGE.requested };
}

export interface AppliedContract {
  contractId: string;
  customerId: string;
  orderId: string;
}

/**
 * The deal owns the contract from now on (ownership rule: contract id + synced = true), and holds it in
 * the unique-value owner property by which billwerk events find it. Another deal holding it must have
 * released it first (toReleasedOwnershipProperties): HubSpot rejects a second holder.
 */
export function toAppliedDealProperties(applied: AppliedContract): Record<string, string> {
  return {
    [DEAL.contractId]: applied.contractId,
    [DEAL.customerId]: applied.customerId,
    [DEAL.orderId]: applied.orderId,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: applied.contractId,
    [DEAL.applyChange]: APPLY_CHANGE.applied,
    [DEAL.syncError]: '',
    [DEAL.applyClaim]: '',
  };
}

/** A deal stops following its contract: not synced, and the unique owner value is free for the next deal. */
export function toReleasedOwnershipProperties(): Record<string, string> {
  return { [DEAL.contractSynced]: 'false', [DEAL.ownedContractId]: '' };
}

export function toApplyFailedProperties(message: string): Record<string, string> {
  return { [DEAL.applyChange]: APPLY_CHANGE.failed, [DEAL.syncError]: message, [DEAL.applyClaim]: '' };
}

/** Only the properties whose value would change (HubSpot writes that change nothing are skipped). */
export function changedOnly(record: CrmRecord, wanted: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([name, value]) => (record.properties[name] ?? '') !== value));
}
