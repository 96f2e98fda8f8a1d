/**
 * An in-memory billwerk catalog per entity behind the BillwerkApi interface (catalog reads only: the
 * product sync needs nothing else from billwerk). Tests edit the arrays to change the catalog; the
 * benchmark generates a large one. No test-runner imports, so bench/ can use it too.
 */
import type { BillwerkApi, BillwerkEntityApi } from '../../src/core/billwerk/api.js';
import type { Component, Discount, Plan, PlanGroup, PlanVariant } from '../../src/core/billwerk/schemas.js';
import type { BillwerkEntity } from '../../src/core/config.js';

export interface EntityCatalog {
  planGroups: PlanGroup[];
  plans: Plan[];
  planVariants: PlanVariant[];
  components: Component[];
  discounts: Discount[];
}

class NotFound extends Error {
  readonly status = 404;
}

const unsupported = () => Promise.reject(new Error('not part of the catalog fake'));

/** billwerk's catalog endpoints over plain arrays; tests edit the arrays to change the catalog. */
export class CatalogBillwerk implements BillwerkApi {
  readonly catalogs = new Map<string, EntityCatalog>();
  /** Entities whose reads fail (billwerk unavailable for them). */
  readonly failing = new Set<string>();

  constructor(readonly entities: readonly BillwerkEntity[]) {
    for (const e of entities) this.catalogs.set(e.id, { planGroups: [], plans: [], planVariants: [], components: [], discounts: [] });
  }

  catalog(entityId: string = this.entities[0]!.id): EntityCatalog {
    return this.catalogs.get(entityId)!;
  }

  forEntity(entityId?: string | null): BillwerkEntityApi {
    const entity = this.entities.find((e) => e.id === (entityId ?? this.entities[0]!.id));
    if (!entity) throw new Error(`unknown entity ${entityId}`);
    const read = async <T,>(pick: (c: EntityCatalog) => T): Promise<T> => {
      if (this.failing.has(entity.id)) throw Object.assign(new Error('billwerk answered 503'), { status: 503 });
      return structuredClone(pick(this.catalog(entity.id)));
    };
    const one = <T extends { Id: string }>(pick: (c: EntityCatalog) => T[], id: string) =>
      read((c) => pick(c).find((x) => x.Id === id)).then((x) => x ?? Promise.reject(new NotFound(`${id} not found`)));
    return {
      entity,
      listPlanGroups: () => read((c) => c.planGroups),
      listPlans: () => read((c) => c.plans),
      listPlanVariants: () => read((c) => c.planVariants),
      listComponents: () => read((c) => c.components),
      listDiscounts: () => read((c) => c.discounts),
      getPlan: (id) => one((c) => c.plans, id),
      getPlanVariant: (id) => one((c) => c.planVariants, id),
      getComponent: (id) => one((c) => c.components, id),
      getDiscount: (id) => one((c) => c.discounts, id),
      createCustomer: unsupported, getCustomer: unsupported, updateCustomer: unsupported, findCustomersByExternalId: unsupported,
      searchCustomers: unsupported, previewOrder: unsupported, createOrder: unsupported, getOrder: unsupported, commitOrder: unsupported,
      getContract: unsupported, updateContract: unsupported, getInvoice: unsupported, listInvoices: unsupported,
    };
  }
}

/** A catalog like a small SaaS: plans × variants in EUR, components (one tiered) and a discount. */
export function seedCatalog(catalog: EntityCatalog, options: { prefix?: string; plans?: number; variantsPerPlan?: number; components?: number; discounts?: number } = {}): void {
  const p = options.prefix ?? 'x';
  catalog.planGroups.push({ Id: `${p}-pg-eur`, Name: 'Standard', Currency: 'EUR' });
  for (let i = 0; i < (options.plans ?? 2); i++) {
    const planId = `${p}-plan-${i}`;
    catalog.plans.push({ Id: planId, PlanGroupId: `${p}-pg-eur`, Name: { _c: `Plan ${i}` } });
    for (let v = 0; v < (options.variantsPerPlan ?? 2); v++) {
      catalog.planVariants.push({
        Id: `${planId}-v${v}`, PlanId: planId, PlanGroupId: `${p}-pg-eur`, InternalName: v % 2 ? 'Yearly' : `Monthly ${v}`,
        RecurringFee: 10 + i * 10 + v, FeePeriod: v % 2 ? { Unit: 'Year', Quantity: 1 } : { Unit: 'Month', Quantity: 1 },
      });
    }
  }
  for (let c = 0; c < (options.components ?? 2); c++) {
    catalog.components.push({
      Id: `${p}-comp-${c}`, PlanGroupId: `${p}-pg-eur`, Name: { _c: `Add-on ${c}` }, PricePerUnit: 2 + c, FeePeriod: { Unit: 'Month', Quantity: 1 },
      ...(c === 0 ? { PriceScale: { Items: [{ From: 1, Value: 3 }, { From: 11, Value: 2 }] } } : {}),
    });
  }
  for (let d = 0; d < (options.discounts ?? 1); d++) {
    catalog.discounts.push({ Id: `${p}-disc-${d}`, InternalName: `Launch ${d}`, Effect: { Type: 'Percentage', ReductionPercent: 10 } });
  }
}

export function itemCount(catalog: EntityCatalog): number {
  return catalog.planVariants.length + catalog.components.length + catalog.discounts.length;
}

/** `total` sellable items spread over the entities: 80 % plan variants (4 per plan), 18 % components (1 in 9 tiered), 2 % discounts. */
export function generateLargeCatalog(billwerk: CatalogBillwerk, total: number): void {
  const perEntity = Math.floor(total / billwerk.entities.length);
  billwerk.entities.forEach((entity, e) => {
    const catalog = billwerk.catalog(entity.id);
    const count = e === billwerk.entities.length - 1 ? total - perEntity * e : perEntity;
    const variants = Math.round(count * 0.8);
    const discounts = Math.round(count * 0.02);
    const components = count - variants - discounts;
    const p = `e${e}`;
    catalog.planGroups.push({ Id: `${p}-pg-eur`, Name: 'EUR', Currency: 'EUR' }, { Id: `${p}-pg-usd`, Name: 'USD', Currency: 'USD' });
    for (let i = 0; i < variants; i++) {
      const plan = Math.floor(i / 4);
      const group = plan % 2 ? `${p}-pg-usd` : `${p}-pg-eur`;
      if (i % 4 === 0) catalog.plans.push({ Id: `${p}-plan-${plan}`, PlanGroupId: group, Name: { _c: `Plan ${plan}`, de: `Tarif ${plan}` } });
      catalog.planVariants.push({
        Id: `${p}-pv-${i}`, PlanId: `${p}-plan-${plan}`, PlanGroupId: group, InternalName: ['Monthly', 'Quarterly', 'Yearly', 'Two years'][i % 4],
        Description: { _c: `Variant ${i} of plan ${plan}` }, RecurringFee: 10 + (i % 97), SetupFee: i % 5 === 0 ? 99 : 0,
        FeePeriod: [{ Unit: 'Month', Quantity: 1 }, { Unit: 'Month', Quantity: 3 }, { Unit: 'Year', Quantity: 1 }, { Unit: 'Year', Quantity: 2 }][i % 4],
        ContractPeriod: { Unit: 'Month', Quantity: 12 },
      });
    }
    for (let c = 0; c < components; c++) {
      catalog.components.push({
        Id: `${p}-comp-${c}`, PlanGroupId: c % 2 ? `${p}-pg-usd` : `${p}-pg-eur`, Name: { _c: `Add-on ${c}` }, Description: { _c: `Add-on number ${c}` },
        PricePerUnit: 1 + (c % 13), FeePeriod: { Unit: 'Month', Quantity: 1 },
        ...(c % 9 === 0 ? { PriceScale: { Items: [{ From: 1, Value: 5 }, { From: 11, Value: 4 }, { From: 101, Value: 3 }] } } : {}),
      });
    }
    for (let d = 0; d < discounts; d++) {
      catalog.discounts.push({ Id: `${p}-disc-${d}`, InternalName: `Promotion ${d}`, Effect: { Type: 'Percentage', ReductionPercent: 5 + (d % 20) } });
    }
  });
}
