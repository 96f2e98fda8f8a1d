/**
 * Builds deals in the HubSpot simulator the way a rep would: products synced from billwerk (SKU and
 * billwerk properties as the product sync writes them), line items added from them, and reads back
 * what the connector wrote.
 */
import { DEAL } from '../../src/core/catalog.js';
import { toProductSku } from '../../src/core/mappers/toProductProperties.js';
import type { HubSpotSim } from '../../src/simulators/hubspot/index.js';

export type ItemType = 'PlanVariant' | 'Component' | 'Discount';
export interface SoldItem {
  type: ItemType;
  id: string;
  entityId: string;
  name: string;
  quantity?: number;
}

/** A product like the product sync creates it. */
export function addProduct(hubspot: HubSpotSim, item: SoldItem): string {
  return hubspot.store.create('products', {
    name: item.name,
    price: '10',
    hs_sku: toProductSku(item.type, item.id, item.entityId),
    billwerk_item_type: item.type,
    billwerk_item_id: item.id,
    billwerk_entity: item.entityId,
  }).id;
}

/** Adds line items from (new) products to a deal, as the line item editor does. */
export function addLineItems(hubspot: HubSpotSim, dealId: string, items: SoldItem[]): string[] {
  return items.map(
    (item) =>
      hubspot.store.create('line_items', { hs_product_id: addProduct(hubspot, item), quantity: String(item.quantity ?? 1) }, [
        { toType: 'deals', toId: dealId },
      ]).id,
  );
}

export function dealProps(hubspot: HubSpotSim, dealId: string): Record<string, string> {
  return hubspot.store.get('deals', dealId)!.properties;
}

export function setDeal(hubspot: HubSpotSim, dealId: string, properties: Record<string, string>): void {
  hubspot.store.update('deals', dealId, properties);
}

export const closedWon = { dealstage: 'closedwon' };
export { DEAL };
