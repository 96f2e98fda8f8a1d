/**
 * Where the product sync keeps its run: the description of one connector-owned product property,
 * `billwerk_product_sync_state`, holding a short JSON document with the run in progress (its phase
 * and a cursor for each phase, so every call continues where the last stopped) and the last complete
 * run. Only the holder of the product sync lease writes it (productSyncLease.ts).
 *
 * Why there (docs/products.md): HubSpot is the only storage the connector has. A property definition
 * needs only the properties API the connector already uses, one GET reads it, one PATCH writes it,
 * and it is never a record in the product library. The property is not part of the setup catalog
 * (setup would overwrite the description); the first save creates it.
 */
import { z } from 'zod';
import type { HubSpotApi, PropertyInfo } from '../hubspot/api.js';
import { propertyDocument } from '../propertyDocument.js';
import type { WrittenMark } from './catalogChanges.js';

export const PRODUCT_SYNC_STATE_PROPERTY = 'billwerk_product_sync_state';

/** What the lease holders have written of the recorded catalog changes. */
export function writtenMarkOf(state: ProductSyncState): WrittenMark {
  return {
    ...(state.changesWrittenUpTo ? { upTo: state.changesWrittenUpTo } : {}),
    ...(state.changesWrittenRefs ? { refs: state.changesWrittenRefs } : {}),
  };
}

/** The product library should be refreshed at least this often (the guide's 12-hour rhythm). */
export const PRODUCT_SYNC_INTERVAL_MS = 12 * 60 * 60 * 1000;

const PREFIX = 'State of the billwerk product sync, written by the connector (do not edit): ';
/** Errors kept by item; the count covers all of them. */
export const MAX_ERROR_ITEMS = 20;
const MAX_MESSAGE_LENGTH = 200;

export const productSyncTriggerSchema = z.enum(['settings', 'scheduler', 'webhook']);
export type ProductSyncTrigger = z.infer<typeof productSyncTriggerSchema>;

const count = z.number().int().nonnegative();

export const productSyncRunSchema = z.object({
  id: z.string(),
  trigger: productSyncTriggerSchema,
  startedAt: z.string(),
  /** Last saved progress. */
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  /** items: billwerk's catalog page by page; vanished: products whose item is gone; done. */
  phase: z.enum(['items', 'vanished', 'done']),
  /** The library held connector products when the run started: compare hashes before writing. */
  readsExisting: z.boolean(),
  /** Connector products when the run started (one count query). */
  countAtStart: count,
  /** One cursor per entity and sellable list, read side by side. */
  streams: z.array(
    z.object({
      entity: z.string(),
      list: z.enum(['planVariants', 'components', 'discounts']),
      after: z.string().optional(),
      done: z.boolean(),
    }),
  ),
  /** The product list's cursor in the vanished phase. */
  vanishedAfter: z.string().optional(),
  /** Entities whose catalog could not be read: their products are left untouched. */
  unreadEntities: z.array(z.string()),
  /** Visible (sellable) billwerk items seen so far; the total once the items phase is done. */
  visible: count,
  created: count,
  updated: count,
  archived: count,
  unchanged: count,
  /** Products older than the run that belong to a billwerk item (visible or hidden). */
  matchedOld: count,
  errors: count,
  errorItems: z.array(z.object({ label: z.string(), message: z.string() })),
  /** Function calls this run took. */
  calls: count,
  /** Every item in HubSpot as billwerk has it (set when the run is done). */
  complete: z.boolean(),
});
export type ProductSyncRun = z.infer<typeof productSyncRunSchema>;

/**
 * The HubSpot calls of the last slice still counting in the burst window when it saved: answer times
 * as `at` + offsets in ms. The next slice (a fresh process) knows when they leave the window instead
 * of assuming a whole window for every call it did not make.
 */
const burstWindowSchema = z.object({ at: z.number(), offsetsMs: z.array(count).max(1_000) });
export type SavedBurstWindow = z.infer<typeof burstWindowSchema>;

/** `times` in ascending order (the pacer's `recentCalls`); the newest 1,000 are kept. */
export function toSavedBurstWindow(times: readonly number[]): SavedBurstWindow | undefined {
  const kept = times.slice(-1_000);
  if (kept.length === 0) return undefined;
  const at = kept[0]!;
  return { at, offsetsMs: kept.map((t) => Math.round(t - at)) };
}

export function fromSavedBurstWindow(saved: SavedBurstWindow | undefined): number[] {
  return saved ? saved.offsetsMs.map((offset) => saved.at + offset) : [];
}

export const productSyncStateSchema = z.object({
  run: productSyncRunSchema.optional(),
  /** The last run that finished with every item in step. */
  lastComplete: z.object({ startedAt: z.string(), finishedAt: z.string(), items: count }).optional(),
  /** Recorded catalog changes (catalogChanges.ts) with an `at` up to this time are written (the WrittenMark's watermark). */
  changesWrittenUpTo: z.string().optional(),
  /** Refs of recorded changes after `changesWrittenUpTo` that are written too (catalogChanges.ts WrittenMark). */
  changesWrittenRefs: z.array(z.string()).max(1_000).optional(),
  burstWindow: burstWindowSchema.optional(),
});
export type ProductSyncState = z.infer<typeof productSyncStateSchema>;

const productSyncStateDocument = propertyDocument({
  objectType: 'products',
  name: PRODUCT_SYNC_STATE_PROPERTY,
  label: 'billwerk product sync (state)',
  prefix: PREFIX,
  schema: productSyncStateSchema,
  empty: (): ProductSyncState => ({}),
});

export interface StoredProductSyncState {
  state: ProductSyncState;
  /** The state property exists (else the first save creates it). */
  exists: boolean;
}

export function toStoredState(property: PropertyInfo | undefined): StoredProductSyncState {
  return { state: parseProductSyncState(property?.description), exists: property !== undefined };
}

/** Reads the stored state; a missing or unreadable state is "never ran". */
export async function readProductSyncState(hubspot: HubSpotApi): Promise<StoredProductSyncState> {
  return toStoredState(await hubspot.getProperty('products', PRODUCT_SYNC_STATE_PROPERTY));
}

export function parseProductSyncState(description: string | undefined | null): ProductSyncState {
  return productSyncStateDocument.parse(description);
}

function trimmed(state: ProductSyncState): ProductSyncState {
  if (!state.run) return state;
  const errorItems = state.run.errorItems.slice(0, MAX_ERROR_ITEMS).map((e) => ({
    label: e.label.slice(0, MAX_MESSAGE_LENGTH),
    message: e.message.length > MAX_MESSAGE_LENGTH ? `${e.message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : e.message,
  }));
  return { ...state, run: { ...state.run, errorItems } };
}

/** Stores the state (one properties call); creates the property on the first save. */
export async function saveProductSyncState(
  hubspot: HubSpotApi,
  stored: StoredProductSyncState,
  state: ProductSyncState,
): Promise<StoredProductSyncState> {
  await productSyncStateDocument.save(hubspot, trimmed(state), stored.exists);
  return { state, exists: true };
}

/** True when no complete sync finished within the last 12 hours. */
export function isProductSyncStale(state: ProductSyncState, now: Date): boolean {
  if (!state.lastComplete) return true;
  const at = Date.parse(state.lastComplete.finishedAt);
  return !Number.isFinite(at) || now.getTime() - at > PRODUCT_SYNC_INTERVAL_MS;
}
