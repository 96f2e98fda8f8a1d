/**
 * Settings page action "Start sync of products": one slice of the product sync, bounded by a time
 * budget below the function time limit. The settings section calls it again while the reply says
 * `complete: false`, showing the progress in between; every slice continues where the last stopped.
 */
import { z } from 'zod';
import { isProductSyncStale, readProductSyncState } from '../core/products/productSyncState.js';
import { succeed } from '../core/result.js';
import { syncProducts } from '../core/products/syncProducts.js';
import { privateFunction } from './runtime.js';

/**
 * HubSpot's serverless functions are documented with a 10-second execution limit
 * (https://developers.hubspot.com/docs/cms/data/serverless-functions, "Limits"); stop writing well before.
 */
export const PRODUCT_SYNC_TIME_BUDGET_MS = 7_000;

export const main = privateFunction(z.object({}), async (_input, services) => {
  const outcome = await syncProducts(services, { trigger: 'settings', timeBudgetMs: PRODUCT_SYNC_TIME_BUDGET_MS });
  if (!outcome.ok) return outcome;
  const { state } = await readProductSyncState(services.hubspot);
  return succeed({ run: outcome.value, state, stale: isProductSyncStale(state, services.now()) });
}, { name: 'start_product_sync' });
