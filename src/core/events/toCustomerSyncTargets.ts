/**
 * HubSpot webhook events (a batch) -> the companies and contacts whose billwerk customer must be synced.
 * Pure. Events for the connector's own status properties are dropped, so writing the status after a
 * sync can never trigger another sync, even if someone subscribes to those properties by mistake.
 */
import { z } from 'zod';
import type { CustomerRecordType } from '../customer/syncCustomer.js';
import { CUSTOMER_COMPANY_PROPERTIES, CUSTOMER_CONTACT_PROPERTIES, CUSTOMER_STATUS_PROPERTIES } from '../customer/fields.js';
import { COMPANY, CONTACT } from '../catalog.js';

/** One event as HubSpot sends it; unknown fields pass through (HubSpot adds fields over time). */
export const hubspotWebhookEventSchema = z.looseObject({
  eventId: z.union([z.number(), z.string()]).optional(),
  subscriptionType: z.string(),
  objectId: z.union([z.number(), z.string()]).transform(String),
  /** Generic `object.*` events name the type by id: 0-1 contact, 0-2 company. */
  objectTypeId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().nullish(),
  changeSource: z.string().optional(),
  occurredAt: z.number().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof hubspotWebhookEventSchema>;

export const hubspotWebhookBatchSchema = z.array(hubspotWebhookEventSchema);

export interface CustomerSyncTarget {
  objectType: CustomerRecordType;
  objectId: string;
}

const TYPE_BY_ID: Record<string, CustomerRecordType> = { '0-1': 'contacts', '0-2': 'companies' };
const TYPE_BY_LEGACY_PREFIX: Record<string, CustomerRecordType> = { contact: 'contacts', company: 'companies' };

/** The properties whose change reaches the billwerk customer (what the webhooks component subscribes to). */
export const SYNC_TRIGGER_PROPERTIES: Record<CustomerRecordType, readonly string[]> = {
  companies: [...CUSTOMER_COMPANY_PROPERTIES, COMPANY.entity],
  contacts: [...CUSTOMER_CONTACT_PROPERTIES, CONTACT.entity],
};

function objectTypeOf(event: HubSpotWebhookEvent): CustomerRecordType | undefined {
  if (event.objectTypeId) return TYPE_BY_ID[event.objectTypeId];
  const [prefix] = event.subscriptionType.split('.');
  return prefix ? TYPE_BY_LEGACY_PREFIX[prefix] : undefined;
}

/** Each record once, in the order first seen; events that are not relevant property changes are ignored. */
export function toCustomerSyncTargets(events: readonly HubSpotWebhookEvent[]): CustomerSyncTarget[] {
  const seen = new Map<string, CustomerSyncTarget>();
  for (const event of events) {
    if (!event.subscriptionType.endsWith('.propertyChange')) continue;
    const objectType = objectTypeOf(event);
    if (!objectType || !event.propertyName) continue;
    if (CUSTOMER_STATUS_PROPERTIES.includes(event.propertyName)) continue;
    if (!SYNC_TRIGGER_PROPERTIES[objectType].includes(event.propertyName)) continue;
    const key = `${objectType}:${event.objectId}`;
    if (!seen.has(key)) seen.set(key, { objectType, objectId: event.objectId });
  }
  return [...seen.values()];
}
