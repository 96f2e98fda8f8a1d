/** Settings page: the last product sync run and whether the library is older than 12 hours. */
import { z } from 'zod';
import { isProductSyncStale, readProductSyncState } from '../core/products/productSyncState.js';
import { succeed } from '../core/result.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(z.object({}), async (_input, services) => {
  const { state } = await readProductSyncState(services.hubspot);
  return succeed({ state, stale: isProductSyncStale(state, services.now()), checkedAt: services.now().toISOString() });
}, { name: 'product_sync_status' });
