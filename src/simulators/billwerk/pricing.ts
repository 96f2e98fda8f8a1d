/**
 * What an order costs, computed from the simulated catalog the way billwerk presents it: first-invoice
 * line items (plan variant fee for the first billing period, setup fee, components by unit price or
 * price scale, percent discounts), 19% VAT, and the next regular invoice. Upgrades are prorated over
 * the rest of the current billing period. Simplifications are listed in docs/billwerk-api.md §11.
 */
import type { Component, Discount, Period, PlanVariant } from '../../core/billwerk/schemas.js';
import { addPeriod, periodInMonths, round2, toBillwerkTime } from './time.js';

export const VAT_PERCENT = 19;
const MONTH: Period = { Unit: 'Month', Quantity: 1 };

export interface LineItem {
  Description: string;
  Quantity: number;
  PricePerUnit: number;
  TotalNet: number;
  VatPercentage: number;
  TotalVat: number;
  TotalGross: number;
  PeriodStart: string;
  PeriodEnd: string;
  /** What the line is for (not a billwerk field name guarantee; useful in tests). */
  ComponentId?: string;
  PlanVariantId?: string;
  DiscountId?: string;
}

export interface PriceResult {
  Currency: string;
  LineItems: LineItem[];
  Total: number;
  TotalVat: number;
  TotalGross: number;
  NextTotalGross: number;
  NextTotalGrossDate: string;
}

/** A component's price for `quantity` units over its fee period: unit price, or price scale tiers. */
export function componentPrice(component: Component, quantity: number): number {
  const scale = component.PriceScale?.Items?.length ? [...component.PriceScale.Items].sort((a, b) => a.From - b.From) : undefined;
  if (!scale) return (component.PricePerUnit ?? 0) * quantity;
  if (!component.PriceScale?.IsCumulative) {
    // Volume pricing: every unit at the price of the tier the whole quantity falls into.
    const tier = [...scale].reverse().find((t) => quantity >= t.From) ?? scale[0]!;
    return tier.IsBucketPrice ? tier.Value : tier.Value * quantity;
  }
  // Graduated pricing: units in each tier at that tier's price.
  let total = 0;
  scale.forEach((tier, i) => {
    const upper = i + 1 < scale.length ? scale[i + 1]!.From - 1 : Infinity;
    const units = Math.max(0, Math.min(quantity, upper) - Math.max(tier.From, 1) + 1);
    if (units > 0) total += tier.IsBucketPrice ? tier.Value : tier.Value * units;
  });
  return total;
}

/** How many fee periods fit into one billing period (e.g. a monthly fee billed yearly = 12). */
export function feeFactor(feePeriod: Period | null | undefined, billingPeriod: Period): number {
  return periodInMonths(billingPeriod) / periodInMonths(feePeriod ?? billingPeriod);
}

export function billingPeriodOf(variant: PlanVariant): Period {
  return variant.BillingPeriod ?? variant.FeePeriod ?? MONTH;
}

export function textOf(value: unknown, fallback: string): string {
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object') {
    const texts = value as Record<string, string>;
    return texts._c ?? texts.en ?? texts.de ?? Object.values(texts)[0] ?? fallback;
  }
  return fallback;
}

export interface SignupPricing {
  currency: string;
  planName: string;
  variant: PlanVariant;
  components: { component: Component; quantity: number }[];
  discounts: Discount[];
  start: number;
}

function line(description: string, quantity: number, net: number, start: number, end: number, ref: Partial<LineItem> = {}): LineItem {
  const totalNet = round2(net);
  const totalVat = round2((totalNet * VAT_PERCENT) / 100);
  return {
    Description: description,
    Quantity: quantity,
    PricePerUnit: quantity ? round2(totalNet / quantity) : totalNet,
    TotalNet: totalNet,
    VatPercentage: VAT_PERCENT,
    TotalVat: totalVat,
    TotalGross: round2(totalNet + totalVat),
    PeriodStart: toBillwerkTime(start),
    PeriodEnd: toBillwerkTime(end),
    ...ref,
  };
}

function totals(currency: string, items: LineItem[], nextNet: number, nextDate: number): PriceResult {
  const sum = (key: 'TotalNet' | 'TotalVat' | 'TotalGross') => round2(items.reduce((acc, item) => acc + item[key], 0));
  return {
    Currency: currency,
    LineItems: items,
    Total: sum('TotalNet'),
    TotalVat: sum('TotalVat'),
    TotalGross: sum('TotalGross'),
    NextTotalGross: round2(nextNet * (1 + VAT_PERCENT / 100)),
    NextTotalGrossDate: toBillwerkTime(nextDate),
  };
}

/** Recurring net of one billing period: plan variant fee + components, minus percent discounts. */
function recurringLines(p: SignupPricing, start: number, end: number): LineItem[] {
  const billing = billingPeriodOf(p.variant);
  const items: LineItem[] = [];
  const variantName = textOf(p.variant.Description, p.variant.InternalName ?? 'Plan');
  items.push(
    line(`${p.planName} – ${variantName}`, 1, (p.variant.RecurringFee ?? 0) * feeFactor(p.variant.FeePeriod, billing), start, end, {
      PlanVariantId: p.variant.Id,
    }),
  );
  for (const { component, quantity } of p.components) {
    const net = componentPrice(component, quantity) * feeFactor(component.FeePeriod, billing);
    items.push(line(textOf(component.Name, 'Component'), quantity, net, start, end, { ComponentId: component.Id }));
  }
  const recurringNet = items.reduce((acc, item) => acc + item.TotalNet, 0);
  for (const discount of p.discounts) {
    const percent = discount.Effect?.ReductionPercent ?? 0;
    items.push(
      line(`${textOf(discount.Name, discount.InternalName ?? 'Discount')} (${percent}%)`, 1, (-recurringNet * percent) / 100, start, end, {
        DiscountId: discount.Id,
      }),
    );
  }
  return items;
}

export function priceSignup(p: SignupPricing): PriceResult {
  const end = addPeriod(p.start, billingPeriodOf(p.variant));
  const recurring = recurringLines(p, p.start, end);
  const setup = p.variant.SetupFee ? [line('Setup fee', 1, p.variant.SetupFee, p.start, p.start, { PlanVariantId: p.variant.Id })] : [];
  const nextNet = recurring.reduce((acc, item) => acc + item.TotalNet, 0);
  return totals(p.currency, [...setup, ...recurring], nextNet, end);
}

export interface UpgradePricing {
  currency: string;
  planName: string;
  before: SignupPricing;
  after: SignupPricing;
  /** Current billing period of the contract. */
  periodStart: number;
  periodEnd: number;
  changeDate: number;
}

/**
 * The rest of the current period at the new price minus the same at the old price, line by line
 * (credit for what ends, charge for what starts). The next invoice is the full period of the new state.
 */
export function priceUpgrade(p: UpgradePricing): PriceResult {
  const length = Math.max(1, p.periodEnd - p.periodStart);
  const fraction = Math.min(1, Math.max(0, (p.periodEnd - p.changeDate) / length));
  const from = Math.max(p.changeDate, p.periodStart);
  const old = recurringLines(p.before, from, p.periodEnd);
  const next = recurringLines(p.after, from, p.periodEnd);
  const items: LineItem[] = [];
  const key = (item: LineItem) => item.PlanVariantId ?? item.ComponentId ?? item.DiscountId ?? item.Description;
  const oldByKey = new Map(old.map((item) => [key(item), item]));
  const newByKey = new Map(next.map((item) => [key(item), item]));
  for (const [k, item] of oldByKey) {
    const replacement = newByKey.get(k);
    if (replacement && replacement.TotalNet === item.TotalNet && replacement.Quantity === item.Quantity) continue;
    items.push(line(`Credit: ${item.Description}`, item.Quantity, -item.TotalNet * fraction, from, p.periodEnd, pickRef(item)));
  }
  for (const [k, item] of newByKey) {
    const previous = oldByKey.get(k);
    if (previous && previous.TotalNet === item.TotalNet && previous.Quantity === item.Quantity) continue;
    items.push(line(item.Description, item.Quantity, item.TotalNet * fraction, from, p.periodEnd, pickRef(item)));
  }
  const nextNet = next.reduce((acc, item) => acc + item.TotalNet, 0);
  return totals(p.currency, items, nextNet, p.periodEnd);
}

function pickRef(item: LineItem): Partial<LineItem> {
  return {
    ...(item.PlanVariantId ? { PlanVariantId: item.PlanVariantId } : {}),
    ...(item.ComponentId ? { ComponentId: item.ComponentId } : {}),
    ...(item.DiscountId ? { DiscountId: item.DiscountId } : {}),
  };
}
