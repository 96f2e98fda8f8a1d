/**
 * Where the product sync remembers its last run: the description of one connector-owned product
 * property, `billwerk_product_sync_state`, holding a short JSON document.
 *
 * Why there (docs/products.md): HubSpot is the only storage the connector has. A property definition
 * needs only the properties API the connector already uses, one GET reads it, one PATCH writes it, it
 * is never a record in the product library (a "state product" would show up for reps and in quotes),
 * and product writes stay exactly the catalog's changes. The property is not part of the setup
 * catalog, so setup never overwrites the description; it is created on the first save.
 */
import { z } from 'zod';
import { GROUP, type PropertyDefinition } from '../catalog.js';
import type { HubSpotApi } from '../hubspot/api.js';

export const PRODUCT_SYNC_STATE_PROPERTY = 'billwerk_product_sync_state';

/** The product library should be refreshed at least this often (the guide's 12-hour rhythm). */
export const PRODUCT_SYNC_INTERVAL_MS = 12 * 60 * 60 * 1000;

const PREFIX = 'State of the billwerk product sync, written by the connector (do not edit): ';
const MAX_MESSAGES = 3;
const MAX_MESSAGE_LENGTH = 200;

export const productSyncTriggerSchema = z.enum(['settings', 'scheduler', 'webhook']);
export type ProductSyncTrigger = z.infer<typeof productSyncTriggerSchema>;

export const productSyncRunSchema = z.object({
  trigger: productSyncTriggerSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Every planned change was written (false: cut off by the time budget or an error; the next run continues). */
  complete: z.boolean(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  archived: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Changes left for the next run. */
  remaining: z.number().int().nonnegative(),
  /** The first few error messages, in plain words. */
  errorMessages: z.array(z.string()),
});
export type ProductSyncRun = z.infer<typeof productSyncRunSchema>;

export const productSyncStateSchema = z.object({
  lastRun: productSyncRunSchema.optional(),
  /** When a full sync last finished with nothing left to do. */
  lastCompleteAt: z.string().optional(),
});
export type ProductSyncState = z.infer<typeof productSyncStateSchema>;

function definition(state: ProductSyncState): PropertyDefinition {
  return {
    objectType: 'products',
    name: PRODUCT_SYNC_STATE_PROPERTY,
    label: 'billwerk product sync (state)',
    description: PREFIX + JSON.stringify(state),
    groupName: GROUP.billwerk,
    type: 'string',
    fieldType: 'text',
    connectorOwned: true,
  };
}

export interface StoredProductSyncState {
  state: ProductSyncState;
  /** The state property exists (else the first save creates it). */
  exists: boolean;
}

/** Reads the stored state; a missing or unreadable state is "never ran" (the next run rewrites it). */
export async function readProductSyncState(hubspot: HubSpotApi): Promise<StoredProductSyncState> {
  const property = await hubspot.getProperty('products', PRODUCT_SYNC_STATE_PROPERTY);
  return { state: parseProductSyncState(property?.description), exists: property !== undefined };
}

export function parseProductSyncState(description: string | undefined | null): ProductSyncState {
  if (!description?.startsWith(PREFIX)) return {};
  try {
    const parsed = productSyncStateSchema.safeParse(JSON.parse(description.slice(PREFIX.length)));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Stores the run (one properties call); messages are shortened so the description stays small. */
export async function saveProductSyncRun(hubspot: HubSpotApi, previous: StoredProductSyncState, run: ProductSyncRun): Promise<ProductSyncState> {
  const trimmed: ProductSyncRun = {
    ...run,
    errorMessages: run.errorMessages.slice(0, MAX_MESSAGES).map((m) => (m.length > MAX_MESSAGE_LENGTH ? `${m.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : m)),
  };
  const state: ProductSyncState = { lastRun: trimmed, lastCompleteAt: run.complete ? run.finishedAt : previous.state.lastCompleteAt };
  if (previous.exists) await hubspot.updateProperty(definition(state));
  else await hubspot.createProperty(definition(state));
  return state;
}

/** True when no complete sync finished within the last 12 hours. */
export function isProductSyncStale(state: ProductSyncState, now: Date): boolean {
  if (!state.lastCompleteAt) return true;
  const at = Date.parse(state.lastCompleteAt);
  return !Number.isFinite(at) || now.getTime() - at > PRODUCT_SYNC_INTERVAL_MS;
}
