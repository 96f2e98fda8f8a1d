/**
 * Decide (pure): what one chunk of billwerk items needs in HubSpot, given the products that hold
 * their keys. Products are found by their unique key (`billwerk_product_key`), so there is at most
 * one per item: no duplicate handling is needed, and writes are upserts by that key.
 */
import { PRODUCT } from '../catalog.js';
import type { CrmRecord } from '../hubspot/api.js';
import { productKey, type ProductDraft } from '../mappers/toProductProperties.js';

export interface ExistingProduct {
  id: string;
  key: string;
  hash: string;
  /** Epoch ms; products created after the run started are not "old" (see matchedOld). */
  createdAt: number;
}

export interface ChunkPlan {
  /** Visible items with no product or a different content hash: created or updated by one upsert. */
  upsert: ProductDraft[];
  /** Products of hidden items: the guide's "no longer available in the HubSpot product library". */
  archive: { id: string; label: string }[];
  unchanged: number;
  /** Products that existed before the run started and belong to an item of this chunk. */
  matchedOld: number;
}

export function planChunk(
  drafts: readonly ProductDraft[],
  existing: ReadonlyMap<string, ExistingProduct>,
  runStartedAt: number,
): ChunkPlan {
  const plan: ChunkPlan = { upsert: [], archive: [], unchanged: 0, matchedOld: 0 };
  for (const draft of drafts) {
    const product = existing.get(draft.key);
    if (product && product.createdAt < runStartedAt) plan.matchedOld += 1;
    if (draft.hidden) {
      if (product) plan.archive.push({ id: product.id, label: draft.label });
    } else if (product && product.hash === draft.properties[PRODUCT.contentHash]) {
      plan.unchanged += 1;
    } else {
      plan.upsert.push(draft);
    }
  }
  return plan;
}

/** The product's key: its stored key, or (a product synced before the key existed) entity + item id. */
export function keyOfRecord(record: CrmRecord): string | undefined {
  const stored = record.properties[PRODUCT.key];
  if (stored) return stored;
  const itemId = record.properties[PRODUCT.itemId];
  const entityId = record.properties[PRODUCT.entity];
  return itemId && entityId ? productKey(entityId, itemId) : undefined;
}

export function toExistingProduct(record: CrmRecord): ExistingProduct | undefined {
  const key = record.properties[PRODUCT.key];
  if (!key) return undefined;
  const createdAt = Date.parse(record.createdAt ?? '');
  return { id: record.id, key, hash: record.properties[PRODUCT.contentHash] ?? '', createdAt: Number.isFinite(createdAt) ? createdAt : 0 };
}

export type VanishedReason = 'gone' | 'unkeyed';

/**
 * Whether a product of the library must go in the vanished pass: its item is no longer visible in
 * billwerk (deleted), or it was synced before the unique key existed (the key pass re-created it
 * under its key). Products of entities that could not be read, and products not made by the
 * connector, are left alone.
 */
export function vanishedReason(
  record: CrmRecord,
  visibleKeys: ReadonlySet<string>,
  unreadEntities: ReadonlySet<string>,
): VanishedReason | undefined {
  const entityId = record.properties[PRODUCT.entity];
  if (!record.properties[PRODUCT.itemId] || !entityId || unreadEntities.has(entityId)) return undefined;
  if (!record.properties[PRODUCT.key]) return 'unkeyed';
  return visibleKeys.has(record.properties[PRODUCT.key]!) ? undefined : 'gone';
}
