/**
 * Leases that HubSpot itself enforces: mutual exclusion across processes (function containers, service
 * replicas) with no shared memory. A held lease is one record of LEASE_OBJECT whose unique-value property
 * `billwerk_lease_key` holds the key; HubSpot refuses a second record with the same value, so of two
 * callers creating at once exactly one wins. No read-then-write race: the create is the compare-and-set.
 *
 * - acquire: create {key, holder, expiresAt}. Refused → read the holder by key (batch read by idProperty,
 *   consistent, not a search). Ours (an earlier answer was lost) → acquired; live → `heldBy`; expired →
 *   take over: clear the key on THAT record id (not by key), then create anew. Two takers both clear the
 *   same old record; only one create wins. The old record is archived once another record holds the key.
 * - renew: PATCH the lease's own record with the key AND a new expiry. If a taker already created the
 *   new record, HubSpot refuses the key (lost); if the taker only cleared ours so far, the PATCH puts the
 *   key back and the taker's create is refused instead. Renew before expiry; treat `undefined` as lost.
 * - release: clear the key on the lease's record, then archive it. Clearing first frees the key even
 *   if HubSpot kept unique values of archived records (undocumented either way); a record already
 *   taken over or archived is left alone (404 is fine).
 * Sources and the choice of object: docs/deal-flow.md, "Leases".
 */
import { LEASE, LEASE_OBJECT } from './catalog.js';
import type { CrmRecord, HubSpotApi } from './hubspot/api.js';
import { HubSpotApiError } from './hubspot/errors.js';

export interface Lease {
  key: string;
  holder: string;
  /** The record that holds the key; renew and release touch only this id. */
  recordId: string;
  expiresAt: Date;
}

export interface LeaseHolder {
  holder: string;
  recordId: string;
  expiresAt: Date;
}

export type LeaseAttempt = { acquired: true; lease: Lease } | { acquired: false; heldBy: LeaseHolder };

export interface LeaseOptions {
  /** Who asks: unique per run (e.g. a random UUID); a lease record with this holder is ours. */
  holder: string;
  ttlMs: number;
  now: Date;
}

export class LeaseError extends Error {
  override name = 'LeaseError';
}

const LEASE_PROPERTIES = [LEASE.key, LEASE.holder, LEASE.expiresAt];

export async function acquireLease(hubspot: HubSpotApi, key: string, options: LeaseOptions): Promise<LeaseAttempt> {
  const first = await tryCreate(hubspot, key, options);
  if (first.acquired || !isExpired(first.heldBy, options.now)) return first;
  // Expired: its run died (or overran). Clear the key on that record id only, then compete for a new one.
  await clearKey(hubspot, first.heldBy.recordId);
  const second = await tryCreate(hubspot, key, options);
  // The old record is garbage unless its holder renewed in between (then it holds the key again).
  if (second.acquired || second.heldBy.recordId !== first.heldBy.recordId) await archive(hubspot, first.heldBy.recordId);
  return second;
}

/** A new expiry for a lease still held; undefined when it was lost (taken over after expiry, or released). */
export async function renewLease(hubspot: HubSpotApi, lease: Lease, options: { ttlMs: number; now: Date }): Promise<Lease | undefined> {
  const expiresAt = new Date(options.now.getTime() + options.ttlMs);
  try {
    await hubspot.updateObject(LEASE_OBJECT, lease.recordId, {
      [LEASE.key]: lease.key,
      [LEASE.holder]: lease.holder,
      [LEASE.expiresAt]: expiresAt.toISOString(),
    });
    return { ...lease, expiresAt };
  } catch (error) {
    if (isRefusal(error) || isGone(error)) return undefined;
    throw error;
  }
}

/** Frees the key; safe to call twice, after expiry, or after a takeover (only this lease's record is touched). */
export async function releaseLease(hubspot: HubSpotApi, lease: Pick<Lease, 'recordId'>): Promise<void> {
  await clearKey(hubspot, lease.recordId);
  await archive(hubspot, lease.recordId);
}

/** Who holds `key` now, if anyone (expired leases included: compare `expiresAt` yourself). */
export async function readLease(hubspot: HubSpotApi, key: string): Promise<LeaseHolder | undefined> {
  const [record] = await hubspot.batchReadByProperty(LEASE_OBJECT, LEASE.key, [key], LEASE_PROPERTIES);
  return record ? toHolder(record) : undefined;
}

export function isExpired(holder: Pick<LeaseHolder, 'expiresAt'>, now: Date): boolean {
  return holder.expiresAt.getTime() <= now.getTime();
}

/** The lease record's company name. */
function leaseRecordName(key: string): string {
  return `billwerk connector lock ${key} (removed automatically, do not edit)`;
}

/**
 * One create, and on refusal the holder. "Refused, but nobody holds it" happens when the holder released
 * (or a taker cleared) between our create and our read: try again, a few times, then fail loudly.
 */
async function tryCreate(hubspot: HubSpotApi, key: string, options: LeaseOptions, attemptsLeft = 3): Promise<LeaseAttempt> {
  const expiresAt = new Date(options.now.getTime() + options.ttlMs);
  try {
    const record = await hubspot.createObject(LEASE_OBJECT, {
      // An admin who sees the record for its few seconds learns what it is rather than finding a nameless company.
      name: leaseRecordName(key),
      [LEASE.key]: key,
      [LEASE.holder]: options.holder,
      [LEASE.expiresAt]: expiresAt.toISOString(),
    });
    return { acquired: true, lease: { key, holder: options.holder, recordId: record.id, expiresAt } };
  } catch (error) {
    // Refused (someone holds the key) or no answer (our create may have landed): the key's record decides.
    if (!isRefusal(error) && !isNoAnswer(error)) throw error;
    const holder = await readLease(hubspot, key);
    if (!holder) {
      if (attemptsLeft > 1) return tryCreate(hubspot, key, options, attemptsLeft - 1);
      if (isNoAnswer(error)) throw error;
      throw new LeaseError(
        `HubSpot refused the lock record for "${key}" but no record holds it (${error instanceof Error ? error.message : String(error)}). Run setup so the unique property ${LEASE.key} exists on ${LEASE_OBJECT}.`,
      );
    }
    if (holder.holder === options.holder)
      return { acquired: true, lease: { key, holder: options.holder, recordId: holder.recordId, expiresAt: holder.expiresAt } };
    return { acquired: false, heldBy: holder };
  }
}

async function clearKey(hubspot: HubSpotApi, recordId: string): Promise<void> {
  try {
    await hubspot.updateObject(LEASE_OBJECT, recordId, { [LEASE.key]: '', [LEASE.holder]: '', [LEASE.expiresAt]: '' });
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

/** Cleanup only: the key is already free, so a failure here leaves a keyless record and nothing else. */
async function archive(hubspot: HubSpotApi, recordId: string): Promise<void> {
  await hubspot.batchArchive(LEASE_OBJECT, [recordId]).catch(() => undefined);
}

function toHolder(record: CrmRecord): LeaseHolder {
  const at = new Date(record.properties[LEASE.expiresAt] ?? '');
  // An unreadable expiry counts as expired: a lease nobody can date must not block forever.
  return { holder: record.properties[LEASE.holder] ?? '', recordId: record.id, expiresAt: Number.isNaN(at.getTime()) ? new Date(0) : at };
}

/** HubSpot's answer to a unique-value conflict: 400 VALIDATION_ERROR (or 409 CONFLICT; the code is not documented). */
function isRefusal(error: unknown): boolean {
  return error instanceof HubSpotApiError && (error.status === 400 || error.status === 409);
}

function isGone(error: unknown): boolean {
  return error instanceof HubSpotApiError && error.status === 404;
}

function isNoAnswer(error: unknown): boolean {
  return error instanceof HubSpotApiError && (error.status === 0 || error.status >= 500);
}
