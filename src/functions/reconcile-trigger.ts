/**
 * Public endpoint an outside scheduler calls to run the reconciliation sweep (README "Scheduling the
 * reconciliation"): same token as the product sync (PRODUCT_SYNC_TOKEN, as `Authorization: Bearer`,
 * `X-Product-Sync-Token` or `?token=`). One call is one time-boxed slice; `complete: false` means call
 * again and the sweep continues from its stored cursor.
 */
import { billwerkConfigSchema, schedulerConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { reconcile } from '../core/events/reconcile.js';
import { constantTimeEqual } from '../core/webhookAuth.js';
import { presentedToken } from './product-sync-trigger.js';
import { endpointFunction, type EndpointReply, type EndpointRequest, type Services } from './runtime.js';

export const RECONCILE_TRIGGER_PATH = 'billwerk/reconcile';

/**
 * HubSpot stops a function after 10 s (docs/platform.md "Limits"); stop starting pages well before,
 * leaving room for the slowest page and the state write.
 */
export const RECONCILE_TIME_BUDGET_MS = 5_000;

export async function handleReconcileTrigger(request: EndpointRequest, services: Services): Promise<EndpointReply> {
  if (request.method !== 'POST') return { status: 405, body: { error: 'use POST' }, headers: { allow: 'POST' } };
  const { PRODUCT_SYNC_TOKEN } = services.config(schedulerConfigSchema);
  const token = presentedToken(request);
  if (!token || !constantTimeEqual(token, PRODUCT_SYNC_TOKEN)) {
    services.logger.warn('rejected reconciliation trigger', { reason: token ? 'wrong token' : 'missing token' });
    return { status: 401, body: { error: 'missing or wrong token' }, headers: { 'www-authenticate': 'Bearer' } };
  }
  const environment = billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL);
  const { complete, phase, checked, changed, failed } = await reconcile(services, {
    trigger: 'scheduler',
    environment,
    timeBudgetMs: RECONCILE_TIME_BUDGET_MS,
  });
  return { status: 200, body: { complete, phase, checked, changed, failed } };
}

export const main = endpointFunction(handleReconcileTrigger, { name: 'reconcile_trigger' });
