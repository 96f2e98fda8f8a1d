/**
 * Deal line items -> billwerk order bodies (POST /api/v1/orders and /orders/preview share one body).
 * Signup: a new customer inline (`Customer`) or an existing one (`CustomerId`) plus the cart and start
 * date. Up/downgrade: the contract id, the cart of what changes and the change date
 * (DEV/docs/up-downgrading-to-a-plan-variant in ../../../docs/billwerk-api.md). Pure.
 */
import { ITEM_TYPE } from '../catalog.js';
import type { Cart, CustomerInput, OrderInput } from '../billwerk/schemas.js';
import type { DealLineItem } from './toBillwerkItem.js';

/** The cart: one plan variant (if any), components with their quantities, discounts. */
export function toCart(items: readonly DealLineItem[]): Cart {
  const planVariant = items.find((i) => i.item.type === ITEM_TYPE.planVariant);
  const components = items.filter((i) => i.item.type === ITEM_TYPE.component);
  const discounts = items.filter((i) => i.item.type === ITEM_TYPE.discount);
  return {
    ...(planVariant ? { PlanVariantId: planVariant.item.id } : {}),
    ...(components.length ? { ComponentSubscriptions: mergeComponents(components) } : {}),
    ...(discounts.length
      ? { DiscountSubscriptions: [...new Set(discounts.map((d) => d.item.id))].map((DiscountId) => ({ DiscountId })) }
      : {}),
  };
}

/** Two line items of the same component add up (billwerk wants one subscription per component). */
function mergeComponents(components: readonly DealLineItem[]): { ComponentId: string; Quantity: number }[] {
  const byId = new Map<string, number>();
  for (const c of components) byId.set(c.item.id, (byId.get(c.item.id) ?? 0) + c.quantity);
  return [...byId].map(([ComponentId, Quantity]) => ({ ComponentId, Quantity }));
}

export interface SignupOrderSpec {
  items: readonly DealLineItem[];
  /** Existing billwerk customer (Signup for existing Customer, or a customer found by external id). */
  customerId?: string;
  /** New customer, created by billwerk together with the order. */
  customer?: CustomerInput;
  startDate?: string;
  /** Contract custom fields from the deal (custom field mappings, deal -> contract). */
  contractCustomFields?: Record<string, string>;
}

export function toSignupOrder(spec: SignupOrderSpec): OrderInput {
  return {
    ...(spec.customerId ? { CustomerId: spec.customerId } : { Customer: { ...(spec.customer ?? {}) } }),
    Cart: toCart(spec.items),
    ...(spec.startDate ? { StartDate: spec.startDate } : {}),
    ...(spec.contractCustomFields && Object.keys(spec.contractCustomFields).length
      ? { ContractCustomFields: { ...spec.contractCustomFields } }
      : {}),
  };
}

export interface UpgradeOrderSpec {
  contractId: string;
  items: readonly DealLineItem[];
  /** When the change takes effect (the deal's start date, or now). */
  changeDate: string;
}

export function toUpgradeOrder(spec: UpgradeOrderSpec): OrderInput {
  return { ContractId: spec.contractId, Cart: toCart(spec.items), ChangeDate: spec.changeDate };
}

/**
 * HubSpot date properties arrive as `YYYY-MM-DD` or as epoch milliseconds (midnight UTC); billwerk
 * wants an ISO timestamp. Undefined for empty input, null for input that is no date.
 */
export function toBillwerkDate(raw: string | null | undefined): string | undefined | null {
  const text = raw?.trim();
  if (!text) return undefined;
  const date = /^\d{10,}$/.test(text)
    ? new Date(Number(text))
    : /^\d{4}-\d{2}-\d{2}/.test(text)
      ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
      : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** Payment term in whole days (signup only). Undefined for empty, null for anything but 0..365. */
export function toPaymentTermDays(raw: string | null | undefined): number | undefined | null {
  const text = raw?.trim();
  if (!text) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 365 ? n : null;
}
