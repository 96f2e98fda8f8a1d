/**
 * Gathers everything the deal flows decide on, in as few HubSpot calls as possible:
 * 1 deal (with the ids of its companies, contacts and line items), then at once: 1 batch read of the
 * line items, 1 of the companies, 1 of the contacts; products only for line items whose SKU does not
 * already name the billwerk item (see mappers/toBillwerkItem.ts). 4 calls in the usual case.
 * Properties mapped to billwerk custom fields ride along in the deal read and the companies read
 * (`extraDealProperties`, `extraCompanyProperties`) instead of costing reads of their own.
 */
import { COMPANY, CONTACT, DEAL, HUBSPOT_STANDARD } from '../catalog.js';
import type { Deps } from '../deps.js';
import type { CrmRecord, CrmRecordWithAssociations } from '../hubspot/api.js';
import { CUSTOMER_COMPANY_PROPERTIES, CUSTOMER_CONTACT_PROPERTIES } from '../customer/fields.js';
import {
  LINE_ITEM_PROPERTIES,
  PRODUCT_ITEM_PROPERTIES,
  productIdsToRead,
  toDealLineItems,
  type DealLineItem,
} from '../mappers/toBillwerkItem.js';
import { toLineItemsHash } from '../mappers/toLineItemsHash.js';
import type { Problem } from '../result.js';

export const DEAL_PROPERTIES: readonly string[] = [...HUBSPOT_STANDARD.deal, ...Object.values(DEAL)];
export const DEAL_COMPANY_PROPERTIES: readonly string[] = [
  ...new Set([...CUSTOMER_COMPANY_PROPERTIES, COMPANY.customerId, COMPANY.entity]),
];
export const DEAL_CONTACT_PROPERTIES: readonly string[] = [
  ...new Set([...CUSTOMER_CONTACT_PROPERTIES, CONTACT.customerId, CONTACT.entity]),
];

export interface DealContext {
  deal: CrmRecordWithAssociations;
  /** All associated companies / contacts (a signup needs exactly one company). */
  companies: CrmRecord[];
  contacts: CrmRecord[];
  /** The billing company and contact person (see `pickContact`). */
  company?: CrmRecord;
  contact?: CrmRecord;
  lineItemRecords: CrmRecord[];
  lineItems: DealLineItem[];
  lineItemProblems: Problem[];
  /** Fingerprint of the current line items (compared with the validated one). */
  lineItemsHash: string;
}

export interface ReadDealOptions {
  /** More deal properties to read, e.g. those mapped to contract custom fields. */
  extraDealProperties?: readonly string[];
  /** More company properties to read, e.g. those mapped to customer custom fields. */
  extraCompanyProperties?: readonly string[];
}

export async function readDeal(deps: Deps, dealId: string, extra: readonly string[] = []): Promise<CrmRecordWithAssociations> {
  return deps.hubspot.getObject('deals', dealId, [...new Set([...DEAL_PROPERTIES, ...extra])], ['companies', 'contacts', 'line_items']);
}

export async function readDealContext(deps: Deps, dealId: string, options: ReadDealOptions = {}): Promise<DealContext> {
  const deal = await readDeal(deps, dealId, options.extraDealProperties);
  return readDealContextOf(deps, deal, options);
}

/** The rest of the context for a deal already read (with associations). */
export async function readDealContextOf(
  deps: Deps,
  deal: CrmRecordWithAssociations,
  options: Pick<ReadDealOptions, 'extraCompanyProperties'> = {},
): Promise<DealContext> {
  const ids = (type: 'companies' | 'contacts' | 'line_items') => deal.associations[type] ?? [];
  const read = (type: 'companies' | 'contacts' | 'line_items', properties: readonly string[]) =>
    ids(type).length ? deps.hubspot.batchRead(type, ids(type), properties) : Promise.resolve([]);
  const [lineItemRecords, companies, contacts] = await Promise.all([
    read('line_items', LINE_ITEM_PROPERTIES),
    read('companies', [...new Set([...DEAL_COMPANY_PROPERTIES, ...(options.extraCompanyProperties ?? [])])]),
    read('contacts', DEAL_CONTACT_PROPERTIES),
  ]);
  const productIds = productIdsToRead(lineItemRecords);
  const products = productIds.length ? await deps.hubspot.batchRead('products', productIds, PRODUCT_ITEM_PROPERTIES) : [];
  const { items, problems } = toDealLineItems(lineItemRecords, products);
  const company = [...companies].sort(byId)[0];
  return {
    deal,
    companies,
    contacts,
    company,
    contact: pickContact(contacts, company),
    lineItemRecords,
    lineItems: items,
    lineItemProblems: problems,
    lineItemsHash: toLineItemsHash(lineItemRecords),
  };
}

/** The contact already linked to the company's billwerk customer, else the oldest contact of the deal. */
export function pickContact(contacts: readonly CrmRecord[], company: CrmRecord | undefined): CrmRecord | undefined {
  const customerId = company?.properties[COMPANY.customerId]?.trim();
  const sorted = [...contacts].sort(byId);
  return (customerId && sorted.find((c) => c.properties[CONTACT.customerId]?.trim() === customerId)) || sorted[0];
}

function byId(a: CrmRecord, b: CrmRecord): number {
  return Number(a.id) - Number(b.id);
}
