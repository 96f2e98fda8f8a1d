/**
 * Test support for the product sync: the HubSpot simulator behind msw with the real HubSpot client,
 * and an in-memory billwerk catalog per entity behind the BillwerkApi interface (catalog reads only:
 * the product sync needs nothing else from billwerk).
 */
import { setupServer } from 'msw/node';
import type { RequestHandler } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { BillwerkApi, BillwerkEntityApi } from '../../src/core/billwerk/api.js';
import type { Component, Discount, Plan, PlanGroup, PlanVariant } from '../../src/core/billwerk/schemas.js';
import { hubspotConfigSchema, readConfig, type BillwerkEntity } from '../../src/core/config.js';
import type { Deps } from '../../src/core/deps.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { silentLogger } from '../../src/core/log.js';
import { overrideServices, resetServices } from '../../src/functions/runtime.js';
import { DEMO_ENTITIES, SIM_HUBSPOT_BASE_URL, simulatorEnv } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { mswHandlers } from '../../src/simulators/msw.js';

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

export interface ProductSyncContext {
  hubspot: HubSpotSim;
  billwerk: CatalogBillwerk;
  env: Record<string, string>;
  /** Test clock: `now()` of the deps; advance with `clock.ms += n`. */
  clock: { ms: number };
  deps(overrides?: Partial<Deps>): Deps;
  /** HubSpot product writes (batch create/update/archive and single writes to products). */
  productWrites(): number;
}

const noWait = async () => {};

export function useProductSync(options: { entities?: BillwerkEntity[]; installCatalog?: boolean; hubspotEntities?: BillwerkEntity[] } = {}): ProductSyncContext {
  const entities = options.entities ?? DEMO_ENTITIES.slice(0, 1);
  const server = setupServer();
  const env = simulatorEnv();
  const ctx = { env, clock: { ms: Date.parse('2025-06-01T08:00:00Z') } } as ProductSyncContext;

  ctx.deps = (overrides = {}) => ({
    billwerk: ctx.billwerk,
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env), { retry: { baseDelayMs: 1, maxDelayMs: 5 }, sleep: noWait }),
    logger: silentLogger,
    now: () => new Date(ctx.clock.ms),
    ...overrides,
  });
  ctx.productWrites = () =>
    ctx.hubspot.simulator.calls.filter((c) => c.status < 400 && c.method !== 'GET' && /^\/crm\/v3\/objects\/products(\/batch\/(create|update|archive)|\/\d+)?$/.test(c.path)).length;

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    ctx.billwerk = new CatalogBillwerk(entities);
    ctx.hubspot = createHubSpotSimulator({ installCatalog: options.installCatalog ?? true, entities: options.hubspotEntities ?? entities, batchOrder: 'reversed' });
    server.resetHandlers(...(mswHandlers(ctx.hubspot.simulator, SIM_HUBSPOT_BASE_URL) as RequestHandler[]));
    overrideServices(() => {
      const deps = ctx.deps();
      return { billwerk: deps.billwerk, hubspot: deps.hubspot, logger: silentLogger, now: deps.now };
    });
  });
  afterEach(() => resetServices());
  afterAll(() => server.close());
  return ctx;
}
