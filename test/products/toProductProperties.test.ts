import { describe, expect, it } from 'vitest';
import { PRODUCT } from '../../src/core/catalog.js';
import {
  fromProductSku,
  toBillingFrequency,
  toCreateProperties,
  toProductDraft,
  toProductSku,
  toTerm,
  type CatalogItem,
} from '../../src/core/mappers/toProductProperties.js';

const entity = { id: 'ent-1', name: 'Demo Software GmbH' };
const planGroup = { Id: 'pg-eur', Name: 'Standard EUR', Currency: 'EUR' };
const plan = { Id: 'plan-pro', PlanGroupId: 'pg-eur', Name: { _c: 'Pro', de: 'Profi' } };
const variant = {
  Id: 'pv-pro-m',
  PlanId: 'plan-pro',
  PlanGroupId: 'pg-eur',
  InternalName: 'Monthly',
  RecurringFee: 49.9,
  FeePeriod: { Unit: 'Month', Quantity: 1 },
  ContractPeriod: { Unit: 'Year', Quantity: 1 },
};
const variantItem: CatalogItem = { type: 'PlanVariant', entity, variant, plan, planGroup };

describe('toProductDraft', () => {
  it('names a plan variant after plan and variant and keeps everything needed to order it', () => {
    const draft = toProductDraft(variantItem, { multiEntity: false });
    expect(draft.properties).toMatchObject({
      name: 'Pro – Monthly (EUR)',
      price: '49.9',
      recurringbillingfrequency: 'monthly',
      hs_recurring_billing_period: 'P12M',
      hs_sku: 'BW:PV:pv-pro-m:ent-1',
      [PRODUCT.itemType]: 'PlanVariant',
      [PRODUCT.itemId]: 'pv-pro-m',
      [PRODUCT.entity]: 'ent-1',
      [PRODUCT.planId]: 'plan-pro',
      [PRODUCT.planGroupId]: 'pg-eur',
      [PRODUCT.currency]: 'EUR',
      [PRODUCT.billingPeriod]: '1 Month',
      [PRODUCT.priceModel]: 'Flat',
    });
    expect(draft.key).toBe('ent-1:pv-pro-m');
    expect(draft.hidden).toBe(false);
  });

  it('adds the entity name when several entities share the library', () => {
    expect(toProductDraft(variantItem, { multiEntity: true }).properties.name).toBe('Pro – Monthly (EUR) · Demo Software GmbH');
  });

  it('treats a variant of a hidden plan or plan group as hidden', () => {
    expect(toProductDraft({ ...variantItem, plan: { ...plan, Hidden: true } }, { multiEntity: false }).hidden).toBe(true);
    expect(toProductDraft({ ...variantItem, planGroup: { ...planGroup, Hidden: true } }, { multiEntity: false }).hidden).toBe(true);
    expect(toProductDraft({ ...variantItem, variant: { ...variant, Hidden: true } }, { multiEntity: false }).hidden).toBe(true);
  });

  it('marks a tiered component and prices it at its first tier', () => {
    const draft = toProductDraft(
      {
        type: 'Component',
        entity,
        planGroup,
        component: {
          Id: 'c-users',
          Name: 'Users',
          PriceScale: {
            Items: [
              { From: 11, Value: 4 },
              { From: 1, Value: 5 },
            ],
          },
          FeePeriod: { Unit: 'Month', Quantity: 1 },
        },
      },
      { multiEntity: false },
    );
    expect(draft.properties).toMatchObject({
      name: 'Users (EUR)',
      price: '5',
      [PRODUCT.priceModel]: 'Tiered',
      hs_sku: 'BW:C:c-users:ent-1',
    });
    expect(draft.properties.description).toMatch(/billwerk computes the exact price/);
  });

  it('maps a percent discount to a zero-priced product with the Percent marker', () => {
    const draft = toProductDraft(
      {
        type: 'Discount',
        entity,
        discount: {
          Id: 'd-10',
          InternalName: 'Launch',
          Effect: { Type: 'Percentage', ReductionPercent: 10 },
          Duration: { Unit: 'Month', Quantity: 3 },
        },
      },
      { multiEntity: false },
    );
    expect(draft.properties).toMatchObject({
      name: 'Launch (10%)',
      price: '0',
      [PRODUCT.priceModel]: 'Percent',
      [PRODUCT.billingPeriod]: '3 Month',
    });
  });

  it('changes the content hash exactly when a synced value changes', () => {
    const a = toProductDraft(variantItem, { multiEntity: false });
    const same = toProductDraft({ ...variantItem, variant: { ...variant, ExternalId: 'not synced' } }, { multiEntity: false });
    const pricier = toProductDraft({ ...variantItem, variant: { ...variant, RecurringFee: 59.9 } }, { multiEntity: false });
    expect(same.properties[PRODUCT.contentHash]).toBe(a.properties[PRODUCT.contentHash]);
    expect(pricier.properties[PRODUCT.contentHash]).not.toBe(a.properties[PRODUCT.contentHash]);
  });

  it('leaves empty values out of a create but clears them on update', () => {
    const draft = toProductDraft(
      { ...variantItem, variant: { ...variant, FeePeriod: { Unit: 'Day', Quantity: 10 }, ContractPeriod: null } },
      { multiEntity: false },
    );
    expect(draft.properties.recurringbillingfrequency).toBe('');
    expect(toCreateProperties(draft)).not.toHaveProperty('recurringbillingfrequency');
    expect(draft.properties[PRODUCT.billingPeriod]).toBe('10 Day');
  });
});

describe('periods', () => {
  it('maps billwerk periods to HubSpot billing frequencies and P#M terms', () => {
    expect(toBillingFrequency({ Unit: 'Month', Quantity: 3 })).toBe('quarterly');
    expect(toBillingFrequency({ Unit: 'Year', Quantity: 1 })).toBe('annually');
    expect(toBillingFrequency({ Unit: 'Week', Quantity: 2 })).toBe('biweekly');
    expect(toBillingFrequency({ Unit: 'Month', Quantity: 5 })).toBe('');
    expect(toTerm({ Unit: 'Year', Quantity: 2 })).toBe('P24M');
    expect(toTerm({ Unit: 'Day', Quantity: 30 })).toBe('');
  });
});

describe('SKU', () => {
  it('round-trips item type, id and entity', () => {
    expect(fromProductSku(toProductSku('Component', 'abc', 'ent-2'))).toEqual({ itemType: 'Component', itemId: 'abc', entityId: 'ent-2' });
    expect(fromProductSku('SKU-123')).toBeUndefined();
    expect(fromProductSku(null)).toBeUndefined();
  });
});
