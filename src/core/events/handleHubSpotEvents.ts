/**
 * HubSpot CRM events (one signed webhook batch) -> each changed, linked company or contact's billwerk
 * customer, every record on its own. A record that cannot be synced for good (deleted or merged in
 * HubSpot, refused by billwerk) is logged and written onto the record where there is one; only a
 * transient failure (HubSpot or billwerk unreachable, 429, 5xx, time budget) asks HubSpot to deliver
 * the batch again, which is safe: records already synced change nothing the second time.
 */
import type { BillwerkEnvironment } from '../billwerk/environment.js';
import type { Deps } from '../deps.js';
import { syncCustomer } from '../customer/syncCustomer.js';
import { isTransient, statusOf } from './failures.js';
import { toCustomerSyncTargets, type HubSpotWebhookEvent } from './toCustomerSyncTargets.js';

export interface HubSpotBatchResult {
  synced: number;
  /** Business failures, shown on the records' sync status. */
  failed: number;
  /** Not linked, unchanged, or gone from HubSpot. */
  ignored: number;
  /** True when a transient failure hit at least one record: answer non-2xx so HubSpot redelivers. */
  retry: boolean;
}

export async function handleHubSpotEvents(
  deps: Deps,
  events: readonly HubSpotWebhookEvent[],
  environment: BillwerkEnvironment,
): Promise<HubSpotBatchResult> {
  const result: HubSpotBatchResult = { synced: 0, failed: 0, ignored: 0, retry: false };
  for (const target of toCustomerSyncTargets(events)) {
    try {
      const outcome = await syncCustomer(deps, { ...target, environment, rethrowTransient: true });
      if (!outcome.ok) result.failed += 1;
      else if (outcome.value.status === 'synced') result.synced += 1;
      else result.ignored += 1;
    } catch (error) {
      const context = { ...target, status: statusOf(error), error: error instanceof Error ? error.message : String(error) };
      if (isTransient(error)) {
        result.retry = true;
        deps.logger.error('customer sync failed for now; HubSpot will deliver the batch again', context);
      } else {
        // e.g. 404: the record was deleted or merged after the change; retrying cannot bring it back.
        result.ignored += 1;
        deps.logger.warn('customer sync cannot be done for this record; acknowledged', context);
      }
    }
  }
  return result;
}
