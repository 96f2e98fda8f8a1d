/**
 * The schedule's lease, enforced by HubSpot (src/core/lock.ts: a record with a unique-value key;
 * of two replicas creating it at once exactly one wins).
 */
import type { HubSpotApi } from '../core/hubspot/api.js';
import type { ScheduleLease } from './schedule.js';

interface LockModule {
  acquireLease(hubspot: HubSpotApi, key: string, options: { holder: string; ttlMs: number; now: Date }): Promise<{ acquired: boolean }>;
}

// TODO(service): import acquireLease statically once src/core/lock.ts (deal helper) is on main.
const LOCK_MODULE: string = '../core/lock.js';

export function hubspotScheduleLease(hubspot: () => HubSpotApi): ScheduleLease {
  return {
    async tryAcquire(key, options) {
      const lock = (await import(LOCK_MODULE)) as LockModule;
      return (await lock.acquireLease(hubspot(), key, options)).acquired;
    },
  };
}
