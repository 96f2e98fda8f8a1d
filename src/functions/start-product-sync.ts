/**
 * Settings page action "Start sync of products": one slice of the product sync (startProductSync).
 * The settings section calls it again while the report says `status: 'running'`, showing
 * "N of M items synced" in between; every slice continues where the last stopped.
 */
import { z } from 'zod';
import { startProductSync } from '../core/products/startProductSync.js';
import { privateFunction } from './runtime.js';

/**
 * HubSpot's serverless functions are documented with a 10-second execution limit
 * (https://developers.hubspot.com/docs/cms/data/serverless-functions, "Limits"); a slice stops
 * starting work well before (the call's own budget, runtime.ts, may end sooner).
 */
export const PRODUCT_SYNC_TIME_BUDGET_MS = 8_000;

export const main = privateFunction(
  z.object({}),
  (_input, services) => startProductSync(services, { trigger: 'settings', timeBudgetMs: PRODUCT_SYNC_TIME_BUDGET_MS }),
  { name: 'start_product_sync' },
);
