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
        return {
          type: ITEM_TYPE.planVariant,
          entity,
          variant,
          plan,
          planGroup: context.groupById.get(variant.PlanGroupId ?? plan?.PlanGroupId ?? ''),
        };
      });
    case 'components':
      return (raw as CatalogListItem['components'][]).map((component) => ({
        type: ITEM_TYPE.component,
        entity,
        component,
        planGroup: context.groupById.get(component.PlanGroupId ?? ''),
      }));
    case 'discounts':
      return (raw as CatalogListItem['discounts'][]).map((discount) => ({ type: ITEM_TYPE.discount, entity, discount }));
  }
}

/** Where one list of one entity stands: the last item read, or done. */
export interface CatalogStream {
  entity: string;
  list: (typeof ITEM_LISTS)[number];
  after?: string;
  done: boolean;
}

export function catalogStreams(billwerk: BillwerkApi): CatalogStream[] {
  return billwerk.entities.flatMap((entity) => ITEM_LISTS.map((list) => ({ entity: entity.id, list, done: false })));
}

export interface CatalogPageRead {
  items: CatalogItem[];
  /** The stream's cursor once this page is written (undefined: the list is done). */
  next?: string;
}

/**
 * Pages of one stream from its cursor on, the next page read while the caller writes this one
 * (billwerk's `from` cursor is sequential; the lists of every entity are read side by side).
 */
export async function* streamPages(context: EntityContext, stream: CatalogStream): AsyncGenerator<CatalogPageRead> {
  if (stream.done) return;
  const read = async (after: string | undefined): Promise<CatalogPageRead> => {
    const page = await context.api.listCatalogPage(stream.list, after);
    return { items: toCatalogItems(context, stream.list, page.items), ...(page.next ? { next: page.next } : {}) };
  };
  let pending = read(stream.after);
  for (;;) {
    const page = await pending;
    if (page.next) {
      pending = read(page.next);
      // A read started ahead and then abandoned must not reject unobserved.
      pending.catch(() => undefined);
    }
    yield page;
    if (!page.next) return;
  }
}
