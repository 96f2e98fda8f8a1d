/**
 * Catalog changes billwerk reported (webhooks) that are not written yet: the description of a second
 * connector-owned product property, `billwerk_product_sync_changes`. A webhook that arrives while the
 * product sync lease is held (a run, or another event being written) records its item here and answers
 * 2xx; the lease holder writes the recorded items in batches before it lets go.
 *
 * Writers of this document are the webhook calls only (they append); the lease holder never writes it
 * but remembers in the run state what it has written (`WrittenMark`), and appenders drop those
 * entries. Appenders take turns under a lease of their own (CHANGES_LEASE_KEY); more than MAX_PENDING
 * entries turn into "a full run is needed".
 *
 * What counts as written is not "every entry up to the newest `at` the holder wrote": an entry's
 * `at` is when its webhook call started, and calls in separate processes append in another order, so
 * an entry appended after the holder read the list can carry an older `at` than one it wrote (that
 * lost changes in a burst: scripts/catalog-burst.ts). The holder marks as written every entry up to
 * RECORDING_MARGIN_MS before it READ the list (any entry it did not see was appended later, so its
 * `at` is at most one call's length older), plus the refs of the entries it wrote after that.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fitsWorkingTime } from '../http/deadline.js';
import { sleep } from '../http/retry.js';
import type { HubSpotApi, PropertyInfo } from '../hubspot/api.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { acquireLease, releaseLease } from '../lock.js';
import { propertyDocument } from '../propertyDocument.js';

export const PRODUCT_SYNC_CHANGES_PROPERTY = 'billwerk_product_sync_changes';
export const MAX_PENDING = 300;
const PREFIX = 'billwerk catalog changes not yet written to products, kept by the connector (do not edit): ';

export const changeKindSchema = z.enum(['PlanVariant', 'Component', 'Discount', 'Plan']);
export type ChangeKind = z.infer<typeof changeKindSchema>;

const changeSchema = z.object({
  entity: z.string(),
  kind: changeKindSchema,
  id: z.string(),
  /** When the webhook call that recorded it started. */
  at: z.string(),
  /** Random, per entry: what the holder remembers of the entries it wrote inside the margin. */
  ref: z.string().optional(),
});
export type CatalogChange = z.infer<typeof changeSchema>;

/**
 * Longest time between a webhook call taking an entry's `at` and its append landing (a function call
 * lasts at most 10 s), plus clock differences between containers.
 */
export const RECORDING_MARGIN_MS = 15_000;

/** What the lease holder has written: every entry up to `upTo`, and those after it named in `refs`. */
export interface WrittenMark {
  upTo?: string;
  refs?: readonly string[];
}

/** The mark after writing `written` from a list read at `readAt` (epoch ms, taken before the read). */
export function markWritten(
  previous: WrittenMark,
  list: CatalogChanges,
  written: readonly CatalogChange[],
  readAt: number,
): { upTo: string; refs: string[] } {
  const candidate = new Date(readAt - RECORDING_MARGIN_MS).toISOString();
  const upTo = previous.upTo && previous.upTo > candidate ? previous.upTo : candidate;
  const known = new Set([...(previous.refs ?? []), ...written.flatMap((c) => (c.ref ? [c.ref] : []))]);
  // Only refs of entries still after the watermark need keeping (the rest are covered by `upTo`).
  const refs = list.items.filter((c) => c.ref && c.at > upTo && known.has(c.ref)).map((c) => c.ref!);
  return { upTo, refs };
}

export const catalogChangesSchema = z.object({
  items: z.array(changeSchema),
  /** More changes came than the document holds: only a full run brings the library in line. */
  overflowAt: z.string().optional(),
});
export type CatalogChanges = z.infer<typeof catalogChangesSchema>;

const catalogChangesDocument = propertyDocument({
  objectType: 'products',
  name: PRODUCT_SYNC_CHANGES_PROPERTY,
  label: 'billwerk product sync (changes)',
  prefix: PREFIX,
  schema: catalogChangesSchema,
  empty: (): CatalogChanges => ({ items: [] }),
});

export function parseCatalogChanges(property: PropertyInfo | undefined): CatalogChanges {
  return catalogChangesDocument.parse(property?.description);
}

/** Entries not yet written by the lease holder. */
export function pendingChanges(changes: CatalogChanges, written: WrittenMark): CatalogChanges {
  const after = (at: string) => !written.upTo || at > written.upTo;
  const refs = new Set(written.refs ?? []);
  return {
    items: changes.items.filter((c) => after(c.at) && !(c.ref && refs.has(c.ref))),
    ...(changes.overflowAt && after(changes.overflowAt) ? { overflowAt: changes.overflowAt } : {}),
  };
}

const sameItem = (a: CatalogChange, b: CatalogChange) => a.entity === b.entity && a.kind === b.kind && a.id === b.id;

/**
 * Appenders take turns under this lease (src/core/lock.ts): a property description has no
 * compare-and-set, and with appends only read back, two appenders at once could still drop each
 * other's entry (the second one reading before and writing after the first one's check).
 */
export const CHANGES_LEASE_KEY = 'billwerk-product-changes';
const CHANGES_LEASE_TTL_MS = 10_000;
/** Wait between turns (jittered), and how many turns a call waits at most outside a time budget. */
const TURN_WAIT_MS = 400;
const MAX_TURNS = 30;

/**
 * Records one change: takes the appenders' lease, reads, appends, writes. `written` lets the append
 * drop entries the lease holder has written. A call that cannot get its turn in time throws (the
 * webhook answers 503 and billwerk delivers it again): nothing is lost.
 */
export async function recordCatalogChange(
  hubspot: HubSpotApi,
  change: CatalogChange,
  written: WrittenMark,
  now: () => Date = () => new Date(),
): Promise<void> {
  const holder = randomUUID();
  for (let turn = 0; ; turn++) {
    const attempt = await acquireLease(hubspot, CHANGES_LEASE_KEY, { holder, ttlMs: CHANGES_LEASE_TTL_MS, now: now() });
    if (attempt.acquired) {
      try {
        return await append(hubspot, change, written);
      } finally {
        await releaseLease(hubspot, attempt.lease).catch(() => undefined);
      }
    }
    const waitMs = TURN_WAIT_MS * (1 + Math.random());
    if (turn >= MAX_TURNS || !fitsWorkingTime(waitMs, 1_000))
      throw new Error(
        'The catalog change could not be recorded in time (other webhook calls were recording theirs); billwerk will deliver it again.',
      );
    await sleep(waitMs);
  }
}

async function append(hubspot: HubSpotApi, change: CatalogChange, written: WrittenMark): Promise<void> {
  const property = await hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY);
  const current = pendingChanges(parseCatalogChanges(property), written);
  if (current.overflowAt || current.items.some((c) => sameItem(c, change) && c.at >= change.at)) return;
  const items = [...current.items.filter((c) => !sameItem(c, change)), change];
  const next: CatalogChanges = items.length > MAX_PENDING ? { items: [], overflowAt: change.at } : { items };
  if (property) return void (await hubspot.updateProperty(catalogChangesDocument.definition(next)));
  try {
    await hubspot.createProperty(catalogChangesDocument.definition(next));
  } catch (error) {
    // Created meanwhile (a first append whose answer was lost): update it instead.
    if (!(error instanceof HubSpotApiError && error.status === 409)) throw error;
    await hubspot.updateProperty(catalogChangesDocument.definition(next));
  }
}
