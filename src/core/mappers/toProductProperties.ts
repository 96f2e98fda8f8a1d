/**
 * Pure mapping of one sellable billwerk catalog item (plan variant, component, discount) to the
 * properties of its HubSpot product, plus the content hash that lets the sync skip unchanged items.
 *
 * HubSpot facts used here (docs/products.md has the sources):
 * - `recurringbillingfrequency` is an enumeration (weekly, biweekly, monthly, quarterly,
 *   per_six_months, annually, per_two_years … per_five_years); billwerk periods without a matching
 *   option leave it empty and keep the period in `billwerk_billing_period`.
 * - `hs_recurring_billing_period` is the term, formatted `P#M` (# = months).
 * - A product has one `price`; every billwerk item has exactly one currency (its plan group's), so one
 *   product per item and entity is enough. Tiered prices are synced with the first tier's unit price
 *   and the `Tiered` marker: billwerk prices them when the deal is validated.
 */
import * as crypto from 'node:crypto';
import type { BillwerkEntity } from '../config.js';
import { ITEM_TYPE, PRICE_MODEL, PRODUCT } from '../catalog.js';
import type { Component, Discount, Period, Plan, PlanGroup, PlanVariant } from '../billwerk/schemas.js';

export type ItemType = (typeof ITEM_TYPE)[keyof typeof ITEM_TYPE];

/** One billwerk catalog item with the parents that give it a name, a currency and visibility. */
export type CatalogItem =
  | { type: typeof ITEM_TYPE.planVariant; entity: BillwerkEntity; variant: PlanVariant; plan?: Plan; planGroup?: PlanGroup }
  | { type: typeof ITEM_TYPE.component; entity: BillwerkEntity; component: Component; planGroup?: PlanGroup }
  | { type: typeof ITEM_TYPE.discount; entity: BillwerkEntity; discount: Discount };

export interface ProductDraft {
  /** Identity of the product: entity + billwerk item id (see productKey). */
  key: string;
  itemType: ItemType;
  itemId: string;
  entityId: string;
  /** Hidden in billwerk (itself or its plan / plan group): the product must not be in the library. */
  hidden: boolean;
  /** Every property the connector manages on the product; '' = empty (clears it on update). */
  properties: Record<string, string>;
  /** A name for messages, e.g. `plan variant "Pro – Monthly (EUR)"`. */
  label: string;
}

export interface ProductMappingOptions {
  /** Several entities are configured: product names carry the entity name so reps can tell them apart. */
  multiEntity: boolean;
}

/** Bump when the mapping changes, so every product is rewritten once with the new mapping. */
export const PRODUCT_MAPPING_VERSION = 2;

/** The HubSpot product properties the sync writes (and therefore reads back). */
export const MANAGED_PRODUCT_PROPERTIES = [
  'name',
  'description',
  'price',
  'hs_sku',
  'recurringbillingfrequency',
  'hs_recurring_billing_period',
  PRODUCT.key,
  PRODUCT.itemType,
  PRODUCT.itemId,
  PRODUCT.entity,
  PRODUCT.planId,
  PRODUCT.planGroupId,
  PRODUCT.currency,
  PRODUCT.billingPeriod,
  PRODUCT.priceModel,
  PRODUCT.contentHash,
] as const satisfies readonly string[];

export function productKey(entityId: string, itemId: string): string {
  return `${entityId}:${itemId}`;
}

const SKU_CODES: Record<ItemType, string> = { PlanVariant: 'PV', Component: 'C', Discount: 'D' };

/**
 * Stable SKU of a billwerk item: `BW:<PV|C|D>:<itemId>:<entityId>`. HubSpot copies `hs_sku` onto
 * line items, so a line item still names its billwerk item after its product was archived.
 */
export function toProductSku(itemType: ItemType, itemId: string, entityId: string): string {
  return `BW:${SKU_CODES[itemType]}:${itemId}:${entityId}`;
}

/** Reads a SKU written by toProductSku; undefined for any other SKU. */
export function fromProductSku(sku: string | null | undefined): { itemType: ItemType; itemId: string; entityId: string } | undefined {
  const match = /^BW:(PV|C|D):([^:]+):([^:]+)$/.exec(sku ?? '');
  if (!match) return undefined;
  const itemType = Object.entries(SKU_CODES).find(([, code]) => code === match[1])![0] as ItemType;
  return { itemType, itemId: match[2]!, entityId: match[3]! };
}

/** The default text of billwerk's localised text (`_c`), else its first translation. */
export function localized(text: string | Record<string, string> | null | undefined): string {
  if (!text) return '';
  if (typeof text === 'string') return text.trim();
  return (text._c ?? Object.values(text)[0] ?? '').trim();
}

/** HubSpot's billing frequency option for a billwerk period, if one matches exactly. */
export function toBillingFrequency(period: Period | null | undefined): string {
  if (!period) return '';
  const months = toMonths(period);
  if (months !== undefined) {
    const byMonths: Record<number, string> = {
      1: 'monthly',
      3: 'quarterly',
      6: 'per_six_months',
      12: 'annually',
      24: 'per_two_years',
      36: 'per_three_years',
      48: 'per_four_years',
      60: 'per_five_years',
    };
    return byMonths[months] ?? '';
  }
  if (period.Unit === 'Week' && period.Quantity === 1) return 'weekly';
  if (period.Unit === 'Week' && period.Quantity === 2) return 'biweekly';
  return '';
}

/** HubSpot's term format `P#M` for a period of whole months or years; '' otherwise. */
export function toTerm(period: Period | null | undefined): string {
  const months = period ? toMonths(period) : undefined;
  return months ? `P${months}M` : '';
}

function toMonths(period: Period): number | undefined {
  if (!Number.isInteger(period.Quantity) || period.Quantity <= 0) return undefined;
  if (period.Unit === 'Month') return period.Quantity;
  if (period.Unit === 'Year') return period.Quantity * 12;
  return undefined;
}

/** `1 Month`, `12 Month`, `2 Week`: billwerk's own words, kept on the product for the order. */
export function toPeriodText(period: Period | null | undefined): string {
  return period ? `${period.Quantity} ${period.Unit}` : '';
}

function formatPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return String(Math.round(value * 10_000) / 10_000);
}

function nameWithContext(base: string, currency: string, entity: BillwerkEntity, options: ProductMappingOptions): string {
  const withCurrency = currency ? `${base} (${currency})` : base;
  return options.multiEntity ? `${withCurrency} · ${entity.name}` : withCurrency;
}

const TIERED_NOTE = 'Tiered price: billwerk computes the exact price when the deal is validated.';

export function toProductDraft(item: CatalogItem, options: ProductMappingOptions): ProductDraft {
  switch (item.type) {
    case ITEM_TYPE.planVariant:
      return planVariantDraft(item, options);
    case ITEM_TYPE.component:
      return componentDraft(item, options);
    case ITEM_TYPE.discount:
      return discountDraft(item, options);
  }
}

function planVariantDraft(item: Extract<CatalogItem, { type: 'PlanVariant' }>, options: ProductMappingOptions): ProductDraft {
  const { variant, plan, planGroup, entity } = item;
  const planName = localized(plan?.Name) || plan?.Id || variant.PlanId;
  const variantName = variant.InternalName?.trim() || localized(variant.Description) || variant.Id;
  const currency = planGroup?.Currency ?? '';
  const period = variant.FeePeriod ?? variant.BillingPeriod;
  const recurring = (variant.RecurringFee ?? 0) !== 0 || Boolean(period);
  const setupFee = variant.SetupFee ? `Setup fee ${formatPrice(variant.SetupFee)} ${currency}`.trim() + ' (added by billwerk).' : '';
  const name = nameWithContext(`${planName} – ${variantName}`, currency, entity, options);
  return finish(
    item,
    variant.Id,
    {
      name,
      description: [localized(variant.Description), setupFee].filter(Boolean).join(' '),
      price: formatPrice(variant.RecurringFee ?? 0),
      recurringbillingfrequency: recurring ? toBillingFrequency(period) : '',
      hs_recurring_billing_period: recurring && toBillingFrequency(period) ? toTerm(variant.ContractPeriod) : '',
      [PRODUCT.planId]: variant.PlanId,
      [PRODUCT.planGroupId]: variant.PlanGroupId ?? plan?.PlanGroupId ?? planGroup?.Id ?? '',
      [PRODUCT.currency]: currency,
      [PRODUCT.billingPeriod]: toPeriodText(period),
      [PRODUCT.priceModel]: PRICE_MODEL.flat,
    },
    Boolean(variant.Hidden || plan?.Hidden || planGroup?.Hidden),
    `plan variant "${name}"`,
  );
}

function componentDraft(item: Extract<CatalogItem, { type: 'Component' }>, options: ProductMappingOptions): ProductDraft {
  const { component, planGroup, entity } = item;
  const currency = planGroup?.Currency ?? '';
  const tiers = component.PriceScale?.Items ?? [];
  const tiered = tiers.length > 0;
  const firstTier = [...tiers].sort((a, b) => a.From - b.From)[0];
  const unitPrice = tiered ? firstTier?.Value : component.PricePerUnit;
  const name = nameWithContext(localized(component.Name) || component.Id, currency, entity, options);
  return finish(
    item,
    component.Id,
    {
      name,
      description: [localized(component.Description), tiered ? TIERED_NOTE : ''].filter(Boolean).join(' '),
      price: formatPrice(unitPrice ?? 0),
      recurringbillingfrequency: toBillingFrequency(component.FeePeriod),
      hs_recurring_billing_period: '',
      [PRODUCT.planId]: '',
      [PRODUCT.planGroupId]: component.PlanGroupId ?? planGroup?.Id ?? '',
      [PRODUCT.currency]: currency,
      [PRODUCT.billingPeriod]: toPeriodText(component.FeePeriod),
      [PRODUCT.priceModel]: tiered ? PRICE_MODEL.tiered : PRICE_MODEL.flat,
    },
    Boolean(component.Hidden || planGroup?.Hidden),
    `component "${name}"`,
  );
}

function discountDraft(item: Extract<CatalogItem, { type: 'Discount' }>, options: ProductMappingOptions): ProductDraft {
  const { discount, entity } = item;
  const percent = discount.Effect?.ReductionPercent;
  const base = localized(discount.Name) || discount.InternalName?.trim() || discount.Id;
  const name = nameWithContext(percent ? `${base} (${formatPrice(percent)}%)` : base, '', entity, options);
  const duration = discount.Duration ? ` for ${toPeriodText(discount.Duration)}` : '';
  return finish(
    item,
    discount.Id,
    {
      name,
      description: [localized(discount.Description), percent ? `${formatPrice(percent)}% discount${duration}, applied by billwerk.` : '']
        .filter(Boolean)
        .join(' '),
      // The discount is a percentage billwerk applies to the contract; the product itself costs nothing.
      price: '0',
      recurringbillingfrequency: '',
      hs_recurring_billing_period: '',
      [PRODUCT.planId]: '',
      [PRODUCT.planGroupId]: '',
      [PRODUCT.currency]: '',
      [PRODUCT.billingPeriod]: toPeriodText(discount.Duration),
      [PRODUCT.priceModel]: PRICE_MODEL.percent,
    },
    Boolean(discount.Hidden),
    `discount "${name}"`,
  );
}

function finish(item: CatalogItem, itemId: string, specific: Record<string, string>, hidden: boolean, label: string): ProductDraft {
  const properties: Record<string, string> = {
    ...specific,
    hs_sku: toProductSku(item.type, itemId, item.entity.id),
    [PRODUCT.key]: productKey(item.entity.id, itemId),
    [PRODUCT.itemType]: item.type,
    [PRODUCT.itemId]: itemId,
    [PRODUCT.entity]: item.entity.id,
  };
  properties[PRODUCT.contentHash] = toContentHash(properties);
  return { key: productKey(item.entity.id, itemId), itemType: item.type, itemId, entityId: item.entity.id, hidden, properties, label };
}

/** One-shot `crypto.hash` (Node ≥ 20.12, no Hash object per item) where the runtime has it. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Fingerprint of the managed properties (the hash itself excluded) and the mapping version. */
export function toContentHash(properties: Record<string, string>): string {
  const entries = Object.entries(properties)
    .filter(([name]) => name !== PRODUCT.contentHash)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify([PRODUCT_MAPPING_VERSION, entries])).slice(0, 32);
}

/** Properties for a create: empty values left out (HubSpot would store nothing anyway). */
export function toCreateProperties(draft: ProductDraft): Record<string, string> {
  return Object.fromEntries(Object.entries(draft.properties).filter(([, value]) => value !== ''));
}
