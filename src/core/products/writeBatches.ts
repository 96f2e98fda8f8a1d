/**
 * Write: upserts by the unique product key and archives, several batches in flight at once. The
 * client's pacer keeps them within the portal's burst limit; the pool only bounds how many wait at
 * once. Upserts are idempotent (a repeated batch finds the products the first one created), so a
 * batch whose answer was lost, or a whole call killed mid-write, is simply written again next time.
 */
import { PRODUCT } from '../catalog.js';
import type { CallOptions, HubSpotApi } from '../hubspot/api.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { toCreateProperties, type ProductDraft } from '../mappers/toProductProperties.js';
import { planChunk, toExistingProduct, type ExistingProduct } from './planChanges.js';
import { MAX_ERROR_ITEMS, type ProductSyncRun } from './productSyncState.js';

/** Products the sync reads back: the key, the hash, and what tells connector products apart. */
export const READ_PROPERTIES = [PRODUCT.key, PRODUCT.contentHash, PRODUCT.itemId, PRODUCT.entity];

export const PRODUCT_BATCH_SIZE = 100;
/** Product batches are bulk work: they leave the burst window's reserve to the run's bookkeeping. */
export const BULK: CallOptions = { bulk: true };
/** Batches in flight per call: 6 × 100 items at ~80 ms a call is far above the 19 calls/s HubSpot allows. */
export const WRITES_IN_FLIGHT = 6;

export interface ItemError {
  label: string;
  message: string;
}

export interface WriteResult {
  created: number;
  updated: number;
  archived: number;
  errors: ItemError[];
}

export const emptyWrite = (): WriteResult => ({ created: 0, updated: 0, archived: 0, errors: [] });

export function addWrite(into: WriteResult, more: WriteResult): void {
  into.created += more.created;
  into.updated += more.updated;
  into.archived += more.archived;
  into.errors.push(...more.errors);
}

/** A batch HubSpot rejected as a whole for one input's values: worth retrying item by item. */
function isRejectedInput(error: unknown): boolean {
  return error instanceof HubSpotApiError && (error.status === 400 || error.status === 207 || error.status === 409);
}

export function plainError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function chunks<T>(items: readonly T[], size = PRODUCT_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs tasks with at most `limit` at once; the first failure is rethrown once all started ones settled. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit = WRITES_IN_FLIGHT): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const index = next++;
      try {
        results[index] = await tasks[index]!();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

async function upsertBatch(hubspot: HubSpotApi, drafts: readonly ProductDraft[]): Promise<WriteResult> {
  const result = emptyWrite();
  const written = await hubspot.batchUpsert(
    'products',
    PRODUCT.key,
    drafts.map((d) => ({ id: d.key, properties: toCreateProperties(d) })),
    BULK,
  );
  for (const record of written) {
    if (record.new) result.created += 1;
    else result.updated += 1;
  }
  return result;
}

/**
 * Upserts `drafts` (one batch of at most 100). A batch HubSpot refuses for bad input is retried one
 * by one so only the bad item fails, named in its error; anything else (HubSpot unavailable, out of
 * time) is thrown and the run continues from its cursor next time.
 */
export async function upsertProducts(hubspot: HubSpotApi, drafts: readonly ProductDraft[]): Promise<WriteResult> {
  if (drafts.length === 0) return emptyWrite();
  try {
    return await upsertBatch(hubspot, drafts);
  } catch (error) {
    if (!isRejectedInput(error) || drafts.length === 1) {
      if (isRejectedInput(error)) return { ...emptyWrite(), errors: [{ label: drafts[0]!.label, message: plainError(error) }] };
      throw error;
    }
  }
  const result = emptyWrite();
  for (const draft of drafts) addWrite(result, await upsertProducts(hubspot, [draft]));
  return result;
}

/**
 * Archives products (at most 100). The key is cleared first: whether HubSpot keeps the unique values
 * of archived records is not documented, and an item shown again must be able to get a new product
 * under its key (archived records cannot be restored through the API).
 */
export async function archiveProducts(hubspot: HubSpotApi, products: readonly { id: string; label: string }[]): Promise<WriteResult> {
  if (products.length === 0) return emptyWrite();
  const ids = products.map((p) => p.id);
  try {
    await hubspot.batchUpdate(
      'products',
      ids.map((id) => ({ id, properties: { [PRODUCT.key]: '' } })),
      BULK,
    );
  } catch (error) {
    // 207: some were archived already (a repeated batch after a lost answer); archive the rest.
    if (!(error instanceof HubSpotApiError && error.status === 207)) throw error;
  }
  await hubspot.batchArchive('products', ids, BULK);
  return { ...emptyWrite(), archived: products.length };
}

/** Adds a write's counts and (the first few) item errors to the run. */
export function recordWrite(
  run: Pick<ProductSyncRun, 'created' | 'updated' | 'archived' | 'errors' | 'errorItems'>,
  write: WriteResult,
): void {
  run.created += write.created;
  run.updated += write.updated;
  run.archived += write.archived;
  run.errors += write.errors.length;
  run.errorItems.push(...write.errors.slice(0, Math.max(0, MAX_ERROR_ITEMS - run.errorItems.length)));
}

/** The products holding `keys` (one batch read by the unique key per 100). */
export async function readExisting(hubspot: HubSpotApi, keys: readonly string[]): Promise<Map<string, ExistingProduct>> {
  const found = new Map<string, ExistingProduct>();
  for (const record of await hubspot.batchReadByProperty('products', PRODUCT.key, keys, READ_PROPERTIES, BULK)) {
    const product = toExistingProduct(record);
    if (product) found.set(product.key, product);
  }
  return found;
}

/** Brings one chunk of drafts in line: read (unless the library was empty), plan, write. */
export async function syncChunk(
  hubspot: HubSpotApi,
  drafts: readonly ProductDraft[],
  options: { readsExisting: boolean; runStartedAt: number },
) {
  const existing = options.readsExisting
    ? await readExisting(
        hubspot,
        drafts.map((d) => d.key),
      )
    : new Map<string, ExistingProduct>();
  const plan = planChunk(drafts, existing, options.runStartedAt);
  const write = emptyWrite();
  addWrite(write, await upsertProducts(hubspot, plan.upsert));
  addWrite(write, await archiveProducts(hubspot, plan.archive));
  return { plan, write };
}
