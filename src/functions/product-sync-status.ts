/** Settings page: where the product sync stands ("N of M items synced", errors by item, up to date or not). */
import { z } from 'zod';
import { productSyncStatus } from '../core/products/startProductSync.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(z.object({}), (_input, services) => productSyncStatus(services), { name: 'product_sync_status' });
