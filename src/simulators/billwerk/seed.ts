/**
 * Demo data for every legal entity: a EUR and a CHF plan group, plans with monthly and yearly
 * variants (one hidden), a quantity component, a tiered component, a percent discount, and two
 * customers (one with an ExternalCustomerId for duplicate detection). `seedLargeCatalog` builds
 * thousands of items for benchmarks.
 */
import type { Component, Customer, Discount, PlanGroup, PlanVariant } from '../../core/billwerk/schemas.js';
import type { BillwerkStore } from './store.js';

export interface SeededEntity {
  entityId: string;
  planGroups: { eur: PlanGroup; chf: PlanGroup };
  planVariants: {
    starterMonthly: PlanVariant;
    starterYearly: PlanVariant;
    proMonthly: PlanVariant;
    proYearly: PlanVariant;
    legacyHidden: PlanVariant;
    chfMonthly: PlanVariant;
  };
  components: { users: Component; storage: Component; chfUsers: Component };
  discounts: { launch10: Discount };
  customers: { withExternalId: Customer; plain: Customer };
}

export type BillwerkSeed = Record<string, SeededEntity>;

const MONTH = { Unit: 'Month', Quantity: 1 };
const YEAR = { Unit: 'Year', Quantity: 1 };

export function seedDemoData(store: BillwerkStore): BillwerkSeed {
  const seed: BillwerkSeed = {};
  store.entityIds.forEach((entityId, index) => {
    seed[entityId] = seedEntity(store, entityId, index);
  });
  return seed;
}

function seedEntity(store: BillwerkStore, entityId: string, index: number): SeededEntity {
  const e = entityId;
  const suffix = index === 0 ? '' : ` (${index + 1})`;
  const eur = store.upsertPlanGroup({ Name: { _c: `Cloud Suite${suffix}`, de: `Cloud Suite${suffix}` }, Currency: 'EUR' }, e);
  const chf = store.upsertPlanGroup({ Name: { _c: `Cloud Suite Schweiz${suffix}` }, Currency: 'CHF' }, e);
  const starter = store.upsertPlan({ PlanGroupId: eur.Id, Name: { _c: 'Starter', de: 'Starter' } }, e);
  const pro = store.upsertPlan({ PlanGroupId: eur.Id, Name: { _c: 'Professional', de: 'Professional' } }, e);
  const chfPro = store.upsertPlan({ PlanGroupId: chf.Id, Name: { _c: 'Professional CH' } }, e);
  const variant = (planId: string, name: string, fee: number, period: typeof MONTH, extra: Partial<PlanVariant> = {}) =>
    store.upsertPlanVariant(
      {
        PlanId: planId,
        InternalName: name,
        Description: { _c: name },
        RecurringFee: fee,
        SetupFee: 0,
        FeePeriod: period,
        BillingPeriod: period,
        ContractPeriod: period,
        AllowWithoutPaymentData: true,
        ...extra,
      },
      e,
    );
  const planVariants = {
    starterMonthly: variant(starter.Id, 'Starter monthly', 19, MONTH),
    starterYearly: variant(starter.Id, 'Starter yearly', 190, YEAR),
    proMonthly: variant(pro.Id, 'Professional monthly', 49, MONTH, { SetupFee: 99 }),
    proYearly: variant(pro.Id, 'Professional yearly', 490, YEAR),
    legacyHidden: variant(pro.Id, 'Professional legacy', 39, MONTH, { Hidden: true }),
    chfMonthly: variant(chfPro.Id, 'Professional CH monthly', 59, MONTH),
  };
  const components = {
    users: store.upsertComponent(
      { PlanGroupId: eur.Id, Name: { _c: 'Additional users' }, ComponentType: 'QuantityBased', PricePerUnit: 5, FeePeriod: MONTH },
      e,
    ),
    storage: store.upsertComponent(
      {
        PlanGroupId: eur.Id,
        Name: { _c: 'Storage (GB)' },
        ComponentType: 'QuantityBased',
        FeePeriod: MONTH,
        PriceScale: {
          IsCumulative: true,
          Items: [
            { From: 1, Value: 1, IsBucketPrice: false },
            { From: 11, Value: 0.5, IsBucketPrice: false },
            { From: 101, Value: 0.25, IsBucketPrice: false },
          ],
        },
      },
      e,
    ),
    chfUsers: store.upsertComponent(
      { PlanGroupId: chf.Id, Name: { _c: 'Zusätzliche Benutzer' }, ComponentType: 'QuantityBased', PricePerUnit: 6, FeePeriod: MONTH },
      e,
    ),
  };
  const discounts = {
    launch10: store.upsertDiscount(
      {
        InternalName: 'launch-10',
        Name: { _c: 'Launch discount' },
        Effect: { Type: 'Percentage', ReductionPercent: 10 },
        Duration: { Unit: 'Month', Quantity: 12 },
      },
      e,
    ),
  };
  const customers = {
    withExternalId: store.addCustomer(
      {
        CompanyName: `Beispiel GmbH${suffix}`,
        FirstName: 'Erika',
        LastName: 'Mustermann',
        EmailAddress: `erika${index || ''}@beispiel.example`,
        ExternalCustomerId: `crm-demo-${index + 1}`,
        Locale: 'de-DE',
        VatId: 'DE123456789',
        Address: { Street: 'Hauptstraße', HouseNumber: '1', PostalCode: '10115', City: 'Berlin', Country: 'DE' },
      },
      e,
    ),
    plain: store.addCustomer(
      {
        CompanyName: `Sample Ltd${suffix}`,
        FirstName: 'Sam',
        LastName: 'Sample',
        EmailAddress: `sam${index || ''}@sample.example`,
        Locale: 'en-GB',
        Address: { Street: 'High Street', HouseNumber: '10', PostalCode: 'SW1A 1AA', City: 'London', Country: 'GB' },
      },
      e,
    ),
  };
  return { entityId, planGroups: { eur, chf }, planVariants, components, discounts, customers };
}

/**
 * A catalog of `items` catalog objects (plan variants, components and discounts in a 6:3:1 mix over
 * plan groups of 50 plans) in one entity, without emitting events per item beyond what upserts do.
 */
export function seedLargeCatalog(
  store: BillwerkStore,
  options: { items: number; entityId?: string; currency?: string },
): { planVariants: number; components: number; discounts: number } {
  const e = options.entityId;
  const counts = { planVariants: 0, components: 0, discounts: 0 };
  let group = store.upsertPlanGroup({ Name: { _c: 'Bulk group 0' }, Currency: options.currency ?? 'EUR' }, e);
  let plan = store.upsertPlan({ PlanGroupId: group.Id, Name: { _c: 'Bulk plan 0' } }, e);
  for (let i = 0; i < options.items; i++) {
    if (i > 0 && i % 500 === 0)
      group = store.upsertPlanGroup({ Name: { _c: `Bulk group ${i / 500}` }, Currency: options.currency ?? 'EUR' }, e);
    if (i % 10 === 0) plan = store.upsertPlan({ PlanGroupId: group.Id, Name: { _c: `Bulk plan ${i / 10}` } }, e);
    const kind = i % 10;
    if (kind < 6) {
      store.upsertPlanVariant(
        {
          PlanId: plan.Id,
          PlanGroupId: group.Id,
          InternalName: `bulk-variant-${i}`,
          Description: { _c: `Variant ${i}` },
          RecurringFee: (i % 200) + 1,
          FeePeriod: MONTH,
          BillingPeriod: MONTH,
          AllowWithoutPaymentData: true,
        },
        e,
      );
      counts.planVariants++;
    } else if (kind < 9) {
      store.upsertComponent({ PlanGroupId: group.Id, Name: { _c: `Component ${i}` }, PricePerUnit: (i % 50) + 0.5, FeePeriod: MONTH }, e);
      counts.components++;
    } else {
      store.upsertDiscount(
        {
          InternalName: `bulk-discount-${i}`,
          Name: { _c: `Discount ${i}` },
          Effect: { Type: 'Percentage', ReductionPercent: (i % 30) + 1 },
        },
        e,
      );
      counts.discounts++;
    }
  }
  return counts;
}
