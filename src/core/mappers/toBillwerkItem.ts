/**
 * Deal line item -> the billwerk plan variant, component or discount it was sold from.
 *
 * Where the billwerk identity comes from (fewest HubSpot calls first):
 * 1. the line item's `hs_sku`. HubSpot copies a product's SKU onto every line item created from it
 *    (https://developers.hubspot.com/docs/api-reference/crm-products-v3/guide: a line item created from a
 *    product "will inherit property values from the product"), and the product sync writes SKUs
 *    `BW:<PV|C|D>:<item id>:<entity id>` (toProductProperties.ts), so such a line item needs no extra read: validation stays at one batch read of line items.
 * 2. otherwise the product (`hs_product_id`) and its PRODUCT.* properties, read in one batch by the
 *    caller only for the line items step 1 could not resolve (e.g. a rep edited the SKU).
 * Pure: no I/O.
 */
import { ITEM_TYPE, PRODUCT } from '../catalog.js';
import type { CrmRecord } from '../hubspot/api.js';
import type { Problem } from '../result.js';
import { fromProductSku } from './toProductProperties.js';

export type BillwerkItemType = (typeof ITEM_TYPE)[keyof typeof ITEM_TYPE];

export interface BillwerkItemRef {
  type: BillwerkItemType;
  id: string;
  /** billwerk entity the item belongs to; undefined = not recorded (treated as the root entity). */
  entityId?: string;
}

export interface DealLineItem {
  lineItemId: string;
  name: string;
  productId?: string;
  quantity: number;
  item: BillwerkItemRef;
}

/** Line item properties the deal flows read. */
export const LINE_ITEM_PROPERTIES = ['name', 'hs_product_id', 'quantity', 'price', 'hs_sku', 'hs_lastmodifieddate'] as const;
/** Product properties read when a line item's SKU does not name the billwerk item. */
export const PRODUCT_ITEM_PROPERTIES = ['name', 'hs_sku', PRODUCT.itemType, PRODUCT.itemId, PRODUCT.entity] as const;

const ITEM_TYPES: readonly string[] = Object.values(ITEM_TYPE);

/** The billwerk item a SKU names (`BW:<PV|C|D>:<item id>:<entity id>`, written by the product sync). */
export function parseBillwerkSku(sku: string | null | undefined): BillwerkItemRef | undefined {
  const parsed = fromProductSku(sku?.trim());
  return parsed ? { type: parsed.itemType, id: parsed.itemId, entityId: parsed.entityId } : undefined;
}

/** The billwerk item of a product from its connector properties, or undefined for a non-billwerk product. */
export function toItemRefFromProduct(product: CrmRecord): BillwerkItemRef | undefined {
  const type = product.properties[PRODUCT.itemType]?.trim();
  const id = product.properties[PRODUCT.itemId]?.trim();
  if (!type || !id || !ITEM_TYPES.includes(type)) return parseBillwerkSku(product.properties.hs_sku);
  const entityId = product.properties[PRODUCT.entity]?.trim();
  return { type: type as BillwerkItemType, id, ...(entityId ? { entityId } : {}) };
}

export function describeLineItem(lineItem: CrmRecord): string {
  const name = lineItem.properties.name?.trim();
  return name ? `line item "${name}"` : `line item ${lineItem.id}`;
}

/** Product ids whose data is still needed: line items whose SKU does not name a billwerk item. */
export function productIdsToRead(lineItems: readonly CrmRecord[]): string[] {
  const ids = lineItems
    .filter((li) => !parseBillwerkSku(li.properties.hs_sku))
    .map((li) => li.properties.hs_product_id?.trim())
    .filter((id): id is string => Boolean(id));
  return [...new Set(ids)];
}

/**
 * Every line item as a billwerk item, or the problems (not from billwerk, bad quantity), each naming
 * the line item. `products` holds the products read for `productIdsToRead`.
 */
export function toDealLineItems(
  lineItems: readonly CrmRecord[],
  products: readonly CrmRecord[],
): { items: DealLineItem[]; problems: Problem[] } {
  const productsById = new Map(products.map((p) => [p.id, p]));
  const items: DealLineItem[] = [];
  const problems: Problem[] = [];
  for (const lineItem of [...lineItems].sort(byId)) {
    const record = describeLineItem(lineItem);
    const productId = lineItem.properties.hs_product_id?.trim() || undefined;
    const product = productId ? productsById.get(productId) : undefined;
    const item = parseBillwerkSku(lineItem.properties.hs_sku) ?? (product ? toItemRefFromProduct(product) : undefined);
    if (!item) {
      problems.push({
        record,
        field: 'Product',
        message: productId
          ? 'The product of this line item does not come from billwerk. Use a product synced from billwerk.'
          : 'This line item has no product from the product library. Add it from a product synced from billwerk.',
      });
      continue;
    }
    const quantity = toQuantity(lineItem.properties.quantity);
    if (quantity === undefined) {
      problems.push({ record, field: 'Quantity', message: `"${lineItem.properties.quantity ?? ''}" is not a positive quantity.` });
      continue;
    }
    if (item.type !== ITEM_TYPE.component && quantity !== 1) {
      problems.push({
        record,
        field: 'Quantity',
        message: `A ${item.type === ITEM_TYPE.planVariant ? 'plan variant' : 'discount'} is sold once; set the quantity to 1.`,
      });
      continue;
    }
    items.push({
      lineItemId: lineItem.id,
      name: lineItem.properties.name?.trim() || lineItem.id,
      ...(productId ? { productId } : {}),
      quantity,
      item,
    });
  }
  return { items, problems };
}

/** HubSpot quantities are decimal strings; empty means 1 (HubSpot's default). */
function toQuantity(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function byId(a: CrmRecord, b: CrmRecord): number {
  return Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
}
