/**
 * Gather: billwerk's catalog as a stream of pages with a cursor, so a run reads each item once across
 * any number of function calls and holds one page (at most 500 items) at a time, whatever the
 * catalog's size. Plans and plan groups (which name, price and hide their items) are read whole per
 * entity: they are few next to the sellable items.
 */
import type { BillwerkApi, BillwerkEntityApi, CatalogListItem, CatalogListKind } from '../billwerk/api.js';
import type { Plan, PlanGroup } from '../billwerk/schemas.js';
import { ITEM_TYPE } from '../catalog.js';
import type { CatalogItem } from '../mappers/toProductProperties.js';

/** The sellable lists, in the order a run reads them. */
export const ITEM_LISTS = ['planVariants', 'components', 'discounts'] as const satisfies readonly CatalogListKind[];

/** Where a run stands in billwerk's catalog: entity index, list index, last item read. */
export interface CatalogCursor {
  entity: number;
  list: number;
  after?: string;
}

export interface EntityContext {
  api: BillwerkEntityApi;
  planById: Map<string, Plan>;
  groupById: Map<string, PlanGroup>;
}

async function readWhole<K extends 'plans' | 'planGroups'>(api: BillwerkEntityApi, kind: K): Promise<CatalogListItem[K][]> {
  const items: CatalogListItem[K][] = [];
  let after: string | undefined;
  do {
    const page = await api.listCatalogPage(kind, after);
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

export async function readEntityContext(api: BillwerkEntityApi): Promise<EntityContext> {
  const [plans, groups] = await Promise.all([readWhole(api, 'plans'), readWhole(api, 'planGroups')]);
  return { api, planById: new Map(plans.map((p) => [p.Id, p])), groupById: new Map(groups.map((g) => [g.Id, g])) };
}

export function toCatalogItems(context: EntityContext, list: (typeof ITEM_LISTS)[number], raw: readonly unknown[]): CatalogItem[] {
  const entity = context.api.entity;
  switch (list) {
    case 'planVariants':
      return (raw as CatalogListItem['planVariants'][]).map((variant) => {
        const plan = context.planById.get(variant.PlanId);
        return { type: ITEM_TYPE.planVariant, entity, variant, plan, planGroup: context.groupById.get(variant.PlanGroupId ?? plan?.PlanGroupId ?? '') };
      });
    case 'components':
      return (raw as CatalogListItem['components'][]).map((component) => ({ type: ITEM_TYPE.component, entity, component, planGroup: context.groupById.get(component.PlanGroupId ?? '') }));
    case 'discounts':
      return (raw as CatalogListItem['discounts'][]).map((discount) => ({ type: ITEM_TYPE.discount, entity, discount }));
  }
}

export interface CatalogPageRead {
  items: CatalogItem[];
  /** The cursor once this page is written. */
  next: CatalogCursor;
  /** The page was the last of the catalog. */
  done: boolean;
}

export interface CatalogStreamEvents {
  /** An entity's plans or plan groups could not be read: its items are skipped this run. */
  onUnreadable(entityId: string, error: unknown): void;
}

/**
 * Pages of sellable items from `cursor` on, the next page read while the caller writes this one.
 * An entity whose plans cannot be read is reported and skipped (its products stay untouched).
 */
export async function* catalogPages(billwerk: BillwerkApi, start: CatalogCursor, events: CatalogStreamEvents): AsyncGenerator<CatalogPageRead> {
  let cursor = { ...start };
  let context: EntityContext | undefined;
  const read = async (at: CatalogCursor): Promise<CatalogPageRead> => {
    const entity = billwerk.entities[at.entity];
    if (!entity) return { items: [], next: at, done: true };
    if (!context || context.api.entity.id !== entity.id) {
      try {
        context = await readEntityContext(billwerk.forEntity(entity.id));
      } catch (error) {
        events.onUnreadable(entity.id, error);
        return { items: [], next: { entity: at.entity + 1, list: 0 }, done: at.entity + 1 >= billwerk.entities.length };
      }
    }
    const list = ITEM_LISTS[at.list]!;
    const page = await context.api.listCatalogPage(list, at.after);
    const items = toCatalogItems(context, list, page.items);
    if (page.next) return { items, next: { ...at, after: page.next }, done: false };
    const next = at.list + 1 < ITEM_LISTS.length ? { entity: at.entity, list: at.list + 1 } : { entity: at.entity + 1, list: 0 };
    return { items, next, done: next.entity >= billwerk.entities.length };
  };
  if (cursor.entity >= billwerk.entities.length) return;
  let pending = read(cursor);
  for (;;) {
    const page = await pending;
    cursor = page.next;
    // Read ahead: billwerk's next page travels while this one is written.
    if (!page.done) pending = read(cursor);
    // A read started ahead and then abandoned must not reject unobserved.
    pending.catch(() => undefined);
    yield page;
    if (page.done) return;
  }
}
