/**
 * Catalog changes billwerk reported (webhooks) that are not written yet: the description of a second
 * connector-owned product property, `billwerk_product_sync_changes`. A webhook that arrives while the
 * product sync lease is held (a run, or another event being written) records its item here and answers
 * 2xx; the lease holder writes the recorded items in batches before it lets go.
 *
 * Writers of this document are the webhook calls only (they append); the lease holder never writes it
 * but remembers in the run state up to when it has written (`changesWrittenUpTo`), and appenders drop
 * entries older than that. An append is verified by reading it back (two appenders at once would
 * otherwise lose one); more than MAX_PENDING entries turn into "a full run is needed".
 */
import { z } from 'zod';
import type { HubSpotApi, PropertyInfo } from '../hubspot/api.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { propertyDocument } from '../propertyDocument.js';

export const PRODUCT_SYNC_CHANGES_PROPERTY = 'billwerk_product_sync_changes';
export const MAX_PENDING = 300;
const PREFIX = 'billwerk catalog changes not yet written to products, kept by the connector (do not edit): ';

export const changeKindSchema = z.enum(['PlanVariant', 'Component', 'Discount', 'Plan']);
export type ChangeKind = z.infer<typeof changeKindSchema>;

const changeSchema = z.object({ entity: z.string(), kind: changeKindSchema, id: z.string(), at: z.string() });
export type CatalogChange = z.infer<typeof changeSchema>;

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

/** Entries not yet written by the lease holder (written up to `writtenUpTo`). */
export function pendingChanges(changes: CatalogChanges, writtenUpTo: string | undefined): CatalogChanges {
  const after = (at: string) => !writtenUpTo || at > writtenUpTo;
  return {
    items: changes.items.filter((c) => after(c.at)),
    ...(changes.overflowAt && after(changes.overflowAt) ? { overflowAt: changes.overflowAt } : {}),
  };
}

const sameItem = (a: CatalogChange, b: CatalogChange) => a.entity === b.entity && a.kind === b.kind && a.id === b.id;

/**
 * Records one change (read, append, write, read back; up to three tries). `writtenUpTo` lets the
 * append drop entries the lease holder has written.
 */
export async function recordCatalogChange(hubspot: HubSpotApi, change: CatalogChange, writtenUpTo: string | undefined): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const property = await hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY);
    const current = pendingChanges(parseCatalogChanges(property), writtenUpTo);
    if (current.overflowAt || current.items.some((c) => sameItem(c, change) && c.at >= change.at)) return;
    const items = [...current.items.filter((c) => !sameItem(c, change)), change];
    const next: CatalogChanges = items.length > MAX_PENDING ? { items: [], overflowAt: change.at } : { items };
    if (property) await hubspot.updateProperty(catalogChangesDocument.definition(next));
    else {
      try {
        await hubspot.createProperty(catalogChangesDocument.definition(next));
      } catch (error) {
        if (!(error instanceof HubSpotApiError && error.status === 409)) throw error;
        continue;
      }
    }
    const check = parseCatalogChanges(await hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY));
    if (check.overflowAt || check.items.some((c) => sameItem(c, change) && c.at >= change.at)) return;
  }
  throw new Error('The catalog change could not be recorded (HubSpot kept overwriting it); billwerk will deliver it again.');
}
