/**
 * One writer at a time per portal: every call that writes products (a sync slice, a catalog event)
 * holds the product sync lease (src/core/lock.ts, enforced by HubSpot's unique value) for the length
 * of the call. A second trigger meanwhile does not write: it reports the running run (a sync trigger)
 * or records its change for the holder (a catalog event). A call killed while holding the lease
 * blocks others only until the lease expires.
 */
import { randomUUID } from 'node:crypto';
import type { HubSpotApi } from '../hubspot/api.js';
import { acquireLease, releaseLease, type Lease, type LeaseHolder } from '../lock.js';

export const PRODUCT_SYNC_LEASE_KEY = 'billwerk-product-sync';
/** Longer than one function call (10 s): a holder never loses it while it works. */
export const PRODUCT_SYNC_LEASE_TTL_MS = 20_000;

export type LeaseOutcome<T> = { held: true; value: T } | { held: false; heldBy: LeaseHolder };

/** Runs `work` holding the lease, or reports who holds it. The lease is released however `work` ends. */
export async function withProductSyncLease<T>(
  hubspot: HubSpotApi,
  now: Date,
  work: (lease: Lease) => Promise<T>,
): Promise<LeaseOutcome<T>> {
  const attempt = await acquireLease(hubspot, PRODUCT_SYNC_LEASE_KEY, { holder: randomUUID(), ttlMs: PRODUCT_SYNC_LEASE_TTL_MS, now });
  if (!attempt.acquired) return { held: false, heldBy: attempt.heldBy };
  try {
    return { held: true, value: await work(attempt.lease) };
  } finally {
    // Out of time or not: the next caller must not wait for the expiry.
    await releaseLease(hubspot, attempt.lease).catch(() => undefined);
  }
}
