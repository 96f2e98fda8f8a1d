/**
 * Product catalog sync, billwerk → HubSpot product library ("Starting the synchronization of
 * products", "Hiding products in billwerk").
 *
 * gather: billwerk's catalog of every configured entity + the connector's existing HubSpot products
 * decide: planProductChanges (pure): create / update (content hash differs) / archive (hidden, deleted
 *         or a duplicate) / unchanged
 * write:  batches of 100, stopping before the time budget runs out.
 *
 * Resumable by construction: every run recomputes the plan from what HubSpot holds, keyed by
 * entity + billwerk item id, so a run cut off after some batches simply finds those products done
 * and never creates them twice. An unchanged catalog costs reads only, zero product writes.
 */
import type { BillwerkApi, BillwerkEntityApi } from '../billwerk/api.js';
import { webhookEventSchema, type Plan, type PlanGroup } from '../billwerk/schemas.js';
import { ITEM_TYPE, PRODUCT } from '../catalog.js';
import type { BillwerkEntity } from '../config.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, Filter, HubSpotApi } from '../hubspot/api.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { workingMs } from '../http/deadline.js';
import {
  productKey, toCreateProperties, toProductDraft, type CatalogItem, type ItemType, type ProductDraft,
} from '../mappers/toProductProperties.js';
import { readProductSyncState, saveProductSyncRun, type ProductSyncRun, type ProductSyncTrigger } from './productSyncState.js';
import { fail, succeed, type Outcome } from '../result.js';

export const PRODUCT_BATCH_SIZE = 100;
const SEARCH_PAGE = 200;

export interface ProductSyncOptions {
  trigger: ProductSyncTrigger;
  /**
   * Stop starting new write batches when the next one would end after this many ms from the start
   * (a function's time limit). What is left is written by the next run.
   */
  timeBudgetMs?: number;
}

export interface ProductSyncSummary extends ProductSyncRun {
  /** Changes this run planned (created + updated + archived + errors + remaining). */
  planned: number;
  /** Sellable items billwerk lists (visible or hidden) across the entities that could be read. */
  items: number;
}

// ---------------------------------------------------------------------------------------------------
// Decide (pure)

export interface ExistingProduct {
  id: string;
  key: string;
  itemId: string;
  entityId: string;
  planId: string;
  hash: string;
}

export interface ProductChangePlan {
  create: ProductDraft[];
  update: { id: string; draft: ProductDraft }[];
  archive: { id: string; reason: 'hidden' | 'gone' | 'duplicate'; label: string }[];
  unchanged: number;
}

/**
 * What to write so HubSpot matches `drafts`, looking only at existing products for which
 * `inScope` holds (a full sync: the entities read successfully; an event: the items it names).
 */
export function planProductChanges(drafts: readonly ProductDraft[], existing: readonly ExistingProduct[], inScope: (product: ExistingProduct) => boolean): ProductChangePlan {
  const plan: ProductChangePlan = { create: [], update: [], archive: [], unchanged: 0 };
  const byKey = new Map<string, ExistingProduct[]>();
  for (const product of existing) {
    if (!inScope(product)) continue;
    const list = byKey.get(product.key) ?? [];
    list.push(product);
    byKey.set(product.key, list);
  }
  const seen = new Set<string>();
  for (const draft of drafts) {
    if (seen.has(draft.key)) continue;
    seen.add(draft.key);
    // Oldest first: line items made from the oldest product keep pointing at a live product.
    const found = (byKey.get(draft.key) ?? []).sort((a, b) => Number(a.id) - Number(b.id));
    if (draft.hidden) {
      for (const product of found) plan.archive.push({ id: product.id, reason: 'hidden', label: draft.label });
      continue;
    }
    const [keep, ...duplicates] = found;
    for (const product of duplicates) plan.archive.push({ id: product.id, reason: 'duplicate', label: draft.label });
    if (!keep) plan.create.push(draft);
    else if (keep.hash !== draft.properties[PRODUCT.contentHash]) plan.update.push({ id: keep.id, draft });
    else plan.unchanged += 1;
  }
  for (const [key, products] of byKey) {
    if (seen.has(key)) continue;
    for (const product of products) plan.archive.push({ id: product.id, reason: 'gone', label: `billwerk item ${product.itemId}` });
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Gather

/**
 * Like Promise.all, but fails only after every read has finished: a failed read must not leave the
 * others paging on after the function has answered (a serverless runtime may freeze or kill them).
 */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Every sellable item of one entity with its plan and plan group (5 list calls). */
export async function readEntityCatalog(api: BillwerkEntityApi): Promise<CatalogItem[]> {
  const [planGroups, plans, variants, components, discounts] = await settleAll([
    api.listPlanGroups(), api.listPlans(), api.listPlanVariants(), api.listComponents(), api.listDiscounts(),
  ] as const);
  const groupById = new Map(planGroups.map((g) => [g.Id, g]));
  const planById = new Map(plans.map((p) => [p.Id, p]));
  const entity = api.entity;
  return [
    ...variants.map((variant): CatalogItem => {
      const plan = planById.get(variant.PlanId);
      return { type: ITEM_TYPE.planVariant, entity, variant, plan, planGroup: groupById.get(variant.PlanGroupId ?? plan?.PlanGroupId ?? '') };
    }),
    ...components.map((component): CatalogItem => ({ type: ITEM_TYPE.component, entity, component, planGroup: groupById.get(component.PlanGroupId ?? '') })),
    ...discounts.map((discount): CatalogItem => ({ type: ITEM_TYPE.discount, entity, discount })),
  ];
}

const EXISTING_PROPERTIES = [PRODUCT.itemId, PRODUCT.entity, PRODUCT.planId, PRODUCT.contentHash];

function toExisting(record: CrmRecord): ExistingProduct | undefined {
  const itemId = record.properties[PRODUCT.itemId];
  const entityId = record.properties[PRODUCT.entity];
  if (!itemId || !entityId) return undefined;
  return {
    id: record.id, key: productKey(entityId, itemId), itemId, entityId,
    planId: record.properties[PRODUCT.planId] ?? '', hash: record.properties[PRODUCT.contentHash] ?? '',
  };
}

/**
 * Every product the connector made, paging by record id (`hs_object_id > last`) instead of the
 * search cursor: the cursor stops at 10,000 results, the id filter does not, and 200 results per call
 * need half the calls of the list endpoint (100 per page).
 */
export async function readExistingProducts(hubspot: HubSpotApi, extraFilters: Filter[] = []): Promise<ExistingProduct[]> {
  const products: ExistingProduct[] = [];
  let lastId: string | undefined;
  for (;;) {
    const filters: Filter[] = [{ propertyName: PRODUCT.itemId, operator: 'HAS_PROPERTY' }, ...extraFilters];
    if (lastId) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: lastId });
    const page = await hubspot.search('products', {
      filterGroups: [{ filters }], properties: EXISTING_PROPERTIES, sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], limit: SEARCH_PAGE,
    });
    for (const record of page.results) {
      const product = toExisting(record);
      if (product) products.push(product);
    }
    if (page.results.length < SEARCH_PAGE) return products;
    lastId = page.results[page.results.length - 1]!.id;
  }
}

// ---------------------------------------------------------------------------------------------------
// Write

interface WriteProgress {
  created: number;
  updated: number;
  archived: number;
  errors: number;
  errorMessages: string[];
  /** Set when the run stopped early (time budget or HubSpot unavailable). */
  stopped?: 'budget' | 'unavailable';
}

interface Clock {
  startedAt: number;
  now: () => number;
  budgetMs?: number;
  /** Longest batch so far: the estimate for the next one. */
  slowestBatchMs: number;
}

function tighterBudget(syncBudgetMs: number | undefined, callWorkingMs: number): number | undefined {
  return Number.isFinite(callWorkingMs) ? Math.min(syncBudgetMs ?? Infinity, Math.max(0, callWorkingMs)) : syncBudgetMs;
}

function hasTimeFor(clock: Clock): boolean {
  if (clock.budgetMs === undefined) return true;
  return clock.now() - clock.startedAt + clock.slowestBatchMs <= clock.budgetMs;
}

/** A batch HubSpot rejected as a whole for one input's values: worth retrying item by item. */
function isRejectedInput(error: unknown): boolean {
  return error instanceof HubSpotApiError && (error.status === 400 || error.status === 207 || error.status === 409);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function plainError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes `items` in batches. A batch rejected for bad input is retried one by one so only the bad
 * item fails (with its name in the message); any other failure stops the run, to be continued next time.
 */
async function writeBatches<T>(
  items: readonly T[],
  progress: WriteProgress,
  clock: Clock,
  op: { write: (batch: T[]) => Promise<void>; label: (item: T) => string; done: (count: number) => void },
): Promise<void> {
  for (const batch of chunks(items, PRODUCT_BATCH_SIZE)) {
    if (progress.stopped) return;
    if (!hasTimeFor(clock)) {
      progress.stopped = 'budget';
      return;
    }
    const started = clock.now();
    try {
      await op.write(batch);
      op.done(batch.length);
    } catch (error) {
      if (!isRejectedInput(error)) {
        progress.stopped = 'unavailable';
        progress.errors += 1;
        progress.errorMessages.push(`HubSpot did not accept a batch of products (${plainError(error)}); the next run continues.`);
        return;
      }
      for (const item of batch) {
        try {
          await op.write([item]);
          op.done(1);
        } catch (single) {
          if (!isRejectedInput(single)) throw single;
          progress.errors += 1;
          progress.errorMessages.push(`${op.label(item)}: ${plainError(single)}`);
        }
      }
    }
    clock.slowestBatchMs = Math.max(clock.slowestBatchMs, clock.now() - started);
  }
}

async function applyPlan(hubspot: HubSpotApi, plan: ProductChangePlan, clock: Clock): Promise<WriteProgress> {
  const progress: WriteProgress = { created: 0, updated: 0, archived: 0, errors: 0, errorMessages: [] };
  await writeBatches(plan.create, progress, clock, {
    write: async (batch) => void (await hubspot.batchCreate('products', batch.map((d) => ({ properties: toCreateProperties(d) })))),
    label: (d) => d.label,
    done: (n) => (progress.created += n),
  });
  await writeBatches(plan.update, progress, clock, {
    write: async (batch) => void (await hubspot.batchUpdate('products', batch.map((u) => ({ id: u.id, properties: u.draft.properties })))),
    label: (u) => u.draft.label,
    done: (n) => (progress.updated += n),
  });
  await writeBatches(plan.archive, progress, clock, {
    write: (batch) => hubspot.batchArchive('products', batch.map((a) => a.id)),
    label: (a) => a.label,
    done: (n) => (progress.archived += n),
  });
  return progress;
}

function plannedCount(plan: ProductChangePlan): number {
  return plan.create.length + plan.update.length + plan.archive.length;
}

// ---------------------------------------------------------------------------------------------------
// Full sync

const SETUP_MISSING = 'The billwerk product properties do not exist in HubSpot yet. Run the setup on the connector settings page, then start the product sync again.';

function isMissingProperty(error: unknown): boolean {
  return error instanceof HubSpotApiError && error.status === 400 && /billwerk_/.test(error.message + JSON.stringify(error.info.details ?? []));
}

/**
 * Reads each entity's catalog, one entity after the other (an entity's five lists already run side
 * by side); an entity that cannot be read is left out (its products stay untouched).
 */
async function readAllCatalogs(billwerk: BillwerkApi): Promise<{ items: CatalogItem[]; readEntities: Set<string>; errors: string[] }> {
  const items: CatalogItem[] = [];
  const readEntities = new Set<string>();
  const errors: string[] = [];
  for (const entity of billwerk.entities) {
    try {
      items.push(...(await readEntityCatalog(billwerk.forEntity(entity.id))));
      readEntities.add(entity.id);
    } catch (error) {
      errors.push(`The billwerk catalog of entity "${entity.name}" could not be read (${plainError(error)}); its products were left as they are.`);
    }
  }
  return { items, readEntities, errors };
}

export async function syncProducts(deps: Deps, options: ProductSyncOptions): Promise<Outcome<ProductSyncSummary>> {
  // The function call's own working time (http/deadline.ts) may end sooner than the sync's budget.
  const clock: Clock = { startedAt: deps.now().getTime(), now: () => deps.now().getTime(), budgetMs: tighterBudget(options.timeBudgetMs, workingMs()), slowestBatchMs: 0 };
  const startedAt = deps.now().toISOString();
  // The three reads do not depend on each other: billwerk's pages overlap HubSpot's.
  const [stored, existing, catalog] = await settleAll([
    readProductSyncState(deps.hubspot),
    // undefined: the connector's product properties are missing (setup has not run).
    readExistingProducts(deps.hubspot).catch((error: unknown) => {
      if (isMissingProperty(error)) return undefined;
      throw error;
    }),
    readAllCatalogs(deps.billwerk),
  ] as const);
  if (!existing) return fail({ record: 'product sync', message: SETUP_MISSING });
  const mapping = { multiEntity: deps.billwerk.entities.length > 1 };
  const drafts = catalog.items.map((item) => toProductDraft(item, mapping));
  const plan = planProductChanges(drafts, existing, (p) => catalog.readEntities.has(p.entityId));
  const progress = await applyPlan(deps.hubspot, plan, clock);

  const planned = plannedCount(plan);
  const written = progress.created + progress.updated + progress.archived;
  const errors = progress.errors + catalog.errors.length;
  const run: ProductSyncRun = {
    trigger: options.trigger,
    startedAt,
    finishedAt: deps.now().toISOString(),
    complete: !progress.stopped && catalog.errors.length === 0,
    created: progress.created,
    updated: progress.updated,
    archived: progress.archived,
    unchanged: plan.unchanged,
    errors,
    remaining: Math.max(0, planned - written - progress.errors),
    errorMessages: [...catalog.errors, ...progress.errorMessages],
  };
  await saveProductSyncRun(deps.hubspot, stored, run);
  deps.logger.info('product sync finished', {
    trigger: run.trigger, complete: run.complete, created: run.created, updated: run.updated, archived: run.archived,
    unchanged: run.unchanged, errors: run.errors, remaining: run.remaining, stopped: progress.stopped,
  });
  return succeed({ ...run, planned, items: drafts.length });
}

// ---------------------------------------------------------------------------------------------------
// Catalog webhook events

export const CATALOG_EVENTS = [
  'PlanVariantCreated', 'PlanVariantChanged', 'PlanVariantDeleted',
  'ComponentCreated', 'ComponentChanged', 'ComponentDeleted',
  'PlanCreated', 'PlanChanged', 'PlanDeleted',
  'DiscountCreated', 'DiscountChanged', 'DiscountDeleted',
] as const;

export function isCatalogEvent(name: string): boolean {
  return (CATALOG_EVENTS as readonly string[]).includes(name);
}

export interface CatalogEventResult {
  status: 'synced' | 'ignored';
  reason?: string;
  created: number;
  updated: number;
  archived: number;
  unchanged: number;
  errors: number;
  errorMessages: string[];
}

function isNotFound(error: unknown): boolean {
  const e = error as { status?: unknown; response?: { status?: unknown } } | null;
  return e?.status === 404 || e?.response?.status === 404;
}

/** The item, or undefined when billwerk says it no longer exists (a *Deleted event). */
async function findOrGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function planGroupOf(api: BillwerkEntityApi, id: string | null | undefined): Promise<PlanGroup | undefined> {
  if (!id) return undefined;
  return (await api.listPlanGroups()).find((g) => g.Id === id);
}

interface EventScope {
  items: CatalogItem[];
  /** Existing products this event may change. */
  filters: Filter[][];
  inScope: (product: ExistingProduct) => boolean;
}

async function scopeOfEvent(api: BillwerkEntityApi, kind: ItemType | 'Plan', id: string): Promise<EventScope> {
  const entity = api.entity;
  const byItem = (itemIds: string[]): Pick<EventScope, 'filters' | 'inScope'> => ({
    filters: [[{ propertyName: PRODUCT.entity, operator: 'EQ', value: entity.id }, { propertyName: PRODUCT.itemId, operator: 'IN', values: itemIds }]],
    inScope: (p) => p.entityId === entity.id && itemIds.includes(p.itemId),
  });
  switch (kind) {
    case ITEM_TYPE.planVariant: {
      const variant = await findOrGone(() => api.getPlanVariant(id));
      if (!variant) return { items: [], ...byItem([id]) };
      const plan = await findOrGone(() => api.getPlan(variant.PlanId));
      const planGroup = await planGroupOf(api, variant.PlanGroupId ?? plan?.PlanGroupId);
      return { items: [{ type: ITEM_TYPE.planVariant, entity, variant, plan, planGroup }], ...byItem([id]) };
    }
    case ITEM_TYPE.component: {
      const component = await findOrGone(() => api.getComponent(id));
      if (!component) return { items: [], ...byItem([id]) };
      return { items: [{ type: ITEM_TYPE.component, entity, component, planGroup: await planGroupOf(api, component.PlanGroupId) }], ...byItem([id]) };
    }
    case ITEM_TYPE.discount: {
      const discount = await findOrGone(() => api.getDiscount(id));
      return { items: discount ? [{ type: ITEM_TYPE.discount, entity, discount }] : [], ...byItem([id]) };
    }
    case 'Plan':
      return planScope(api, entity, id);
  }
}

/** A plan event touches all its variants: the plan's name is in theirs, its visibility hides them. */
async function planScope(api: BillwerkEntityApi, entity: BillwerkEntity, planId: string): Promise<EventScope> {
  const plan: Plan | undefined = await findOrGone(() => api.getPlan(planId));
  const variants = plan ? (await api.listPlanVariants()).filter((v) => v.PlanId === planId) : [];
  const planGroup = plan ? await planGroupOf(api, plan.PlanGroupId) : undefined;
  const items = variants.map((variant): CatalogItem => ({ type: ITEM_TYPE.planVariant, entity, variant, plan, planGroup }));
  const variantIds = variants.map((v) => v.Id);
  const entityFilter: Filter = { propertyName: PRODUCT.entity, operator: 'EQ', value: entity.id };
  return {
    items,
    filters: [
      [entityFilter, { propertyName: PRODUCT.planId, operator: 'EQ', value: planId }],
      ...(variantIds.length ? [[entityFilter, { propertyName: PRODUCT.itemId, operator: 'IN' as const, values: variantIds }]] : []),
    ],
    inScope: (p) => p.entityId === entity.id && (p.planId === planId || variantIds.includes(p.itemId)),
  };
}

const EVENT_TARGETS: { prefix: string; kind: ItemType | 'Plan'; idField: 'PlanVariantId' | 'ComponentId' | 'PlanId' | 'DiscountId' }[] = [
  { prefix: 'PlanVariant', kind: ITEM_TYPE.planVariant, idField: 'PlanVariantId' },
  { prefix: 'Component', kind: ITEM_TYPE.component, idField: 'ComponentId' },
  { prefix: 'Discount', kind: ITEM_TYPE.discount, idField: 'DiscountId' },
  { prefix: 'Plan', kind: 'Plan', idField: 'PlanId' },
];

async function readScopedProducts(hubspot: HubSpotApi, filterGroups: Filter[][]): Promise<ExistingProduct[]> {
  const found = new Map<string, ExistingProduct>();
  for (const filters of filterGroups) {
    for (const product of await readExistingProducts(hubspot, filters)) found.set(product.id, product);
  }
  return [...found.values()];
}

/**
 * Syncs just the items a billwerk catalog event names (a Plan event: the plan's variants), so the
 * product library follows billwerk within a minute; the periodic full sync stays the safety net.
 */
export async function handleCatalogEvent(deps: Deps, rawEvent: unknown): Promise<Outcome<CatalogEventResult>> {
  const ignored = (reason: string): Outcome<CatalogEventResult> =>
    succeed({ status: 'ignored', reason, created: 0, updated: 0, archived: 0, unchanged: 0, errors: 0, errorMessages: [] });
  const parsed = webhookEventSchema.safeParse(rawEvent);
  if (!parsed.success) return fail({ record: 'billwerk event', message: 'The event has no readable Event name.' });
  const event = parsed.data;
  if (!isCatalogEvent(event.Event)) return ignored(`${event.Event} is not a catalog event`);
  const target = EVENT_TARGETS.find((t) => event.Event.startsWith(t.prefix) && !(t.prefix === 'Plan' && event.Event.startsWith('PlanVariant')))!;
  const itemId = event[target.idField];
  if (!itemId) return fail({ record: `billwerk event ${event.Event}`, field: target.idField, message: `The event does not name the ${target.idField}.` });
  const entityId = event.EntityId ?? deps.billwerk.entities[0]?.id;
  if (!deps.billwerk.entities.some((e) => e.id === entityId)) return ignored(`entity ${event.EntityId} is not configured`);

  const api = deps.billwerk.forEntity(entityId);
  const scope = await scopeOfEvent(api, target.kind, itemId);
  let existing: ExistingProduct[];
  try {
    existing = await readScopedProducts(deps.hubspot, scope.filters);
  } catch (error) {
    if (isMissingProperty(error)) return fail({ record: 'product sync', message: SETUP_MISSING });
    throw error;
  }
  const drafts = scope.items.map((item) => toProductDraft(item, { multiEntity: deps.billwerk.entities.length > 1 }));
  const plan = planProductChanges(drafts, existing, scope.inScope);
  const clock: Clock = { startedAt: deps.now().getTime(), now: () => deps.now().getTime(), slowestBatchMs: 0 };
  const progress = await applyPlan(deps.hubspot, plan, clock);
  if (progress.stopped === 'unavailable') throw new Error(progress.errorMessages.join(' '));
  deps.logger.info('catalog event synced', {
    event: event.Event, itemId, entityId, created: progress.created, updated: progress.updated, archived: progress.archived, unchanged: plan.unchanged, errors: progress.errors,
  });
  return succeed({
    status: 'synced', created: progress.created, updated: progress.updated, archived: progress.archived,
    unchanged: plan.unchanged, errors: progress.errors, errorMessages: progress.errorMessages,
  });
}
