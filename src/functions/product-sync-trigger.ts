/**
 * Public endpoint an outside scheduler calls (every 12 hours, see README "Scheduling the product
 * sync"). The caller proves itself with PRODUCT_SYNC_TOKEN, sent as `Authorization: Bearer <token>`,
 * an `X-Product-Sync-Token` header or a `token` query parameter (for schedulers that cannot set
 * headers); compared in constant time. Replies with the same figures as the settings page
 * (startProductSync's report); while `status` is `running`, call again and the run continues.
 */
import { schedulerConfigSchema } from '../core/config.js';
import { startProductSync } from '../core/products/startProductSync.js';
import { constantTimeEqual } from '../core/webhookAuth.js';
import { endpointFunction, type EndpointRequest, type Services } from './runtime.js';
import { PRODUCT_SYNC_TIME_BUDGET_MS } from './start-product-sync.js';

export const PRODUCT_SYNC_TRIGGER_PATH = 'billwerk/product-sync';

/** The token the caller sent, from the first place that has one. */
export function presentedToken(request: EndpointRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return bearer ?? request.headers['x-product-sync-token'] ?? request.query.token ?? undefined;
}

export async function handleProductSyncTrigger(request: EndpointRequest, services: Services) {
  const { PRODUCT_SYNC_TOKEN } = services.config(schedulerConfigSchema);
  const token = presentedToken(request);
  if (!token || !constantTimeEqual(token, PRODUCT_SYNC_TOKEN)) {
    services.logger.warn('rejected product sync trigger', { reason: token ? 'wrong token' : 'missing token' });
    return { status: 401, body: { error: 'missing or wrong token' }, headers: { 'www-authenticate': 'Bearer' } };
  }
  const outcome = await startProductSync(services, { trigger: 'scheduler', timeBudgetMs: PRODUCT_SYNC_TIME_BUDGET_MS });
  if (!outcome.ok) return { status: 409, body: { error: outcome.problems.map((p) => p.message).join(' ') } };
  return { status: 200, body: outcome.value };
}

export const main = endpointFunction(handleProductSyncTrigger, { name: 'product_sync_trigger' });
