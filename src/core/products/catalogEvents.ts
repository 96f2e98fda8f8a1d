/**
 * billwerk catalog webhooks (PlanVariant*, Component*, Plan*, Discount*): the product library follows
 * billwerk within a minute, without one call's worth of work per event in a burst.
 *
 * An event takes the product sync lease and writes its item (plus every change recorded meanwhile) in
 * batches. If the lease is held (a sync slice, or another event's call), it records its item
 * (catalogChanges.ts) and answers 2xx: the holder writes it before letting go. billwerk never has a
 * reason to retry, so a burst is no retry storm.
 */
import { randomUUID } from 'node:crypto';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import { webhookEventSchema, type PlanGroup } from '../billwerk/schemas.js';
import { ITEM_TYPE, PRODUCT } from '../catalog.js';
import type { Deps } from '../deps.js';
import { productKey, toProductDraft, type CatalogItem, type ProductDraft } from '../mappers/toProductProperties.js';
import { fail, succeed, type Outcome } from '../result.js';
import {
  markWritten,
  parseCatalogChanges,
  pendingChanges,
  PRODUCT_SYNC_CHANGES_PROPERTY,
  recordCatalogChange,
  type CatalogChange,
  type ChangeKind,
} from './catalogChanges.js';
import { withProductSyncLease } from './productSyncLease.js';
import {
  PRODUCT_SYNC_STATE_PROPERTY,
  readProductSyncState,
  saveProductSyncState,
  toStoredState,
  writtenMarkOf,
  type StoredProductSyncState,
} from './productSyncState.js';
import { addWrite, archiveProducts, chunks, emptyWrite, inPool, readExisting, syncChunk, type WriteResult } from './writeBatches.js';

export const CATALOG_EVENTS = [
  'PlanVariantCreated',
  'PlanVariantChanged',
  'PlanVariantDeleted',
  'ComponentCreated',
  'ComponentChanged',
  'ComponentDeleted',
  'PlanCreated',
  'PlanChanged',
  'PlanDeleted',
  'DiscountCreated',
  'DiscountChanged',
  'DiscountDeleted',
] as const;

export function isCatalogEvent(name: string): boolean {
  return (CATALOG_EVENTS as readonly string[]).includes(name);
}

export const SETUP_MISSING =
  'The billwerk product properties do not exist in HubSpot yet. Run setup first (connector settings page, "Run setup"), then start the product sync again.';

export interface CatalogEventResult {
  /** synced: written now; recorded: written by the call that holds the product sync; ignored. */
  status: 'synced' | 'recorded' | 'ignored';
  reason?: string;
  created: number;
  updated: number;
  archived: number;
  errors: number;
  errorMessages: string[];
}

const TARGETS: { prefix: string; kind: ChangeKind; idField: 'PlanVariantId' | 'ComponentId' | 'PlanId' | 'DiscountId' }[] = [
  { prefix: 'PlanVariant', kind: 'PlanVariant', idField: 'PlanVariantId' },
  { prefix: 'Component', kind: 'Component', idField: 'ComponentId' },
  { prefix: 'Discount', kind: 'Discount', idField: 'DiscountId' },
  { prefix: 'Plan', kind: 'Plan', idField: 'PlanId' },
];

function isNotFound(error: unknown): boolean {
  const e = error as { status?: unknown; response?: { status?: unknown } } | null;
  return e?.status === 404 || e?.response?.status === 404;
}

async function findOrGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function planGroupOf(api: BillwerkEntityApi, id: string | null | undefined): Promise<PlanGroup | undefined> {
  return id ? (await api.listPlanGroups()).find((g) => g.Id === id) : undefined;
}

/** What one change means now: the items as billwerk has them, and the keys of items that are gone. */
async function resolveChange(api: BillwerkEntityApi, change: CatalogChange): Promise<{ items: CatalogItem[]; goneKeys: string[] }> {
  const entity = api.entity;
  const gone = { items: [], goneKeys: [productKey(entity.id, change.id)] };
  switch (change.kind) {
    case 'PlanVariant': {
      const variant = await findOrGone(() => api.getPlanVariant(change.id));
      if (!variant) return gone;
      const plan = await findOrGone(() => api.getPlan(variant.PlanId));
      return {
        items: [
          {
            type: ITEM_TYPE.planVariant,
            entity,
            variant,
            plan,
            planGroup: await planGroupOf(api, variant.PlanGroupId ?? plan?.PlanGroupId),
          },
        ],
        goneKeys: [],
      };
    }
    case 'Component': {
      const component = await findOrGone(() => api.getComponent(change.id));
      if (!component) return gone;
      return {
        items: [{ type: ITEM_TYPE.component, entity, component, planGroup: await planGroupOf(api, component.PlanGroupId) }],
        goneKeys: [],
      };
    }
    case 'Discount': {
      const discount = await findOrGone(() => api.getDiscount(change.id));
      return discount ? { items: [{ type: ITEM_TYPE.discount, entity, discount }], goneKeys: [] } : gone;
    }
    case 'Plan': {
      // A plan's name is in its variants' names and its visibility hides them.
      const plan = await findOrGone(() => api.getPlan(change.id));
      if (!plan) return { items: [], goneKeys: [] };
      const variants = (await api.listPlanVariants()).filter((v) => v.PlanId === change.id);
      const planGroup = await planGroupOf(api, plan.PlanGroupId);
      return {
        items: variants.map((variant): CatalogItem => ({ type: ITEM_TYPE.planVariant, entity, variant, plan, planGroup })),
        goneKeys: [],
      };
    }
  }
}

/** Writes `changes` in batches: drafts upserted by key (or archived when hidden), gone items archived. */
async function writeChanges(deps: Deps, changes: readonly CatalogChange[]): Promise<WriteResult> {
  const mapping = { multiEntity: deps.billwerk.entities.length > 1 };
  const drafts = new Map<string, ProductDraft>();
  const goneKeys = new Set<string>();
  const configured = changes.filter((c) => deps.billwerk.entities.some((e) => e.id === c.entity));
  const resolved = await inPool(configured.map((change) => () => resolveChange(deps.billwerk.forEntity(change.entity), change)));
  for (const { items, goneKeys: gone } of resolved) {
    for (const item of items) {
      const draft = toProductDraft(item, mapping);
      drafts.set(draft.key, draft);
    }
    for (const key of gone) goneKeys.add(key);
  }
  const result = emptyWrite();
  const written = await inPool(
    chunks([...drafts.values()]).map((chunk) => () => syncChunk(deps.hubspot, chunk, { readsExisting: true, runStartedAt: 0 })),
  );
  for (const { write } of written) addWrite(result, write);
  for (const chunk of chunks([...goneKeys].filter((k) => !drafts.has(k)))) {
    const existing = await readExisting(deps.hubspot, chunk);
    addWrite(
      result,
      await archiveProducts(
        deps.hubspot,
        [...existing.values()].map((p) => ({ id: p.id, label: `billwerk item ${p.key}` })),
      ),
    );
  }
  return result;
}

/**
 * Holding the lease: writes the changes recorded by others and remembers up to when (one state write).
 * Returns what was written; changes recorded while this runs are left for the next holder.
 */
export async function writeRecordedChanges(
  deps: Deps,
  stored: StoredProductSyncState,
): Promise<{ write: WriteResult; stored: StoredProductSyncState }> {
  // Taken before the read: every entry appended after it is after the new mark (catalogChanges.ts).
  const readAt = deps.now().getTime();
  const list = parseCatalogChanges(await deps.hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY));
  const previous = writtenMarkOf(stored.state);
  const pending = pendingChanges(list, previous);
  if (pending.items.length === 0) return { write: emptyWrite(), stored };
  const write = await writeChanges(deps, pending.items);
  const mark = markWritten(previous, list, pending.items, readAt);
  const next = await saveProductSyncState(deps.hubspot, stored, {
    ...stored.state,
    changesWrittenUpTo: mark.upTo,
    changesWrittenRefs: mark.refs,
  });
  return { write, stored: next };
}

const result = (status: CatalogEventResult['status'], write: WriteResult, reason?: string): CatalogEventResult => ({
  status,
  ...(reason ? { reason } : {}),
  created: write.created,
  updated: write.updated,
  archived: write.archived,
  errors: write.errors.length,
  errorMessages: write.errors.map((e) => `${e.label}: ${e.message}`),
});

export async function handleCatalogEvent(deps: Deps, rawEvent: unknown): Promise<Outcome<CatalogEventResult>> {
  const parsed = webhookEventSchema.safeParse(rawEvent);
  if (!parsed.success) return fail({ record: 'billwerk event', message: 'The event has no readable Event name.' });
  const event = parsed.data;
  if (!isCatalogEvent(event.Event)) return succeed(result('ignored', emptyWrite(), `${event.Event} is not a catalog event`));
  const target = TARGETS.find((t) => event.Event.startsWith(t.prefix) && !(t.prefix === 'Plan' && event.Event.startsWith('PlanVariant')))!;
  const itemId = event[target.idField];
  if (!itemId)
    return fail({
      record: `billwerk event ${event.Event}`,
      field: target.idField,
      message: `The event does not name the ${target.idField}.`,
    });
  const entityId = event.EntityId ?? deps.billwerk.entities[0]?.id;
  if (!entityId || !deps.billwerk.entities.some((e) => e.id === entityId))
    return succeed(result('ignored', emptyWrite(), `entity ${event.EntityId} is not configured`));

  const properties = await deps.hubspot.listProperties('products');
  if (!properties.some((p) => p.name === PRODUCT.key)) return fail({ record: 'product sync', message: SETUP_MISSING });
  const stored = toStoredState(properties.find((p) => p.name === PRODUCT_SYNC_STATE_PROPERTY));
  const change: CatalogChange = {
    entity: entityId,
    kind: target.kind,
    id: itemId,
    at: deps.now().toISOString(),
    ref: randomUUID().slice(0, 12),
  };

  const outcome = await withProductSyncLease(deps.hubspot, deps.now(), async () => {
    const write = await writeChanges(deps, [change]);
    // Changes others recorded while the lease was held, in the same call (state read again: a holder
    // before us may have saved since).
    addWrite(write, (await writeRecordedChanges(deps, await readProductSyncState(deps.hubspot))).write);
    return write;
  });
  if (!outcome.held) {
    await recordCatalogChange(deps.hubspot, change, writtenMarkOf(stored.state), deps.now);
    deps.logger.info('catalog event recorded for the running product sync', { event: event.Event, itemId, entityId });
    return succeed(result('recorded', emptyWrite()));
  }
  deps.logger.info('catalog event synced', {
    event: event.Event,
    itemId,
    entityId,
    created: outcome.value.created,
    updated: outcome.value.updated,
    archived: outcome.value.archived,
  });
  return succeed(result('synced', outcome.value));
}
