/**
 * Card action behind BillingStatus: re-reads the deal's billwerk contract and writes what changed
 * (same convergent use-case as the webhook). Portals without Content Hub Enterprise have no endpoint
 * functions, so this is how their deals stay current: on card open when the state is stale, and on
 * "Retry sync" / "Refresh from billwerk".
 */
import { z } from 'zod';
import { refreshDealBillingState } from '../core/events/refreshContractState.js';
import { hubspotIdSchema, privateFunction } from './runtime.js';

export const refreshContractInput = z.object({
  dealId: hubspotIdSchema('deal'),
});

export const main = privateFunction(
  refreshContractInput,
  (input, services) => refreshDealBillingState(services, input, { reason: 'refresh from the deal card' }),
  { name: 'refresh_contract' },
);
