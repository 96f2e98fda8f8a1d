/**
 * The schedule's lease, enforced by HubSpot (src/core/lock.ts: a record with a unique-value key;
 * of two replicas creating it at once exactly one wins).
 */
import type { HubSpotApi } from '../core/hubspot/api.js';
import { acquireLease } from '../core/lock.js';
import type { ScheduleLease } from './schedule.js';

export function hubspotScheduleLease(hubspot: () => HubSpotApi): ScheduleLease {
  return {
    async tryAcquire(key, options) {
      return (await acquireLease(hubspot(), key, options)).acquired;
    },
  };
}
