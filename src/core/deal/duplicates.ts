/**
 * billwerk customers that are probably the deal's company, for validation (block a duplicate signup,
 * find the customer of "Signup for existing Customer") and again right before apply creates a customer.
 * Why one search by email: docs/deal-flow.md "Duplicate check with one search".
 */
import { COMPANY } from '../catalog.js';
import type { BillwerkEntityApi } from '../billwerk/api.js';
import type { Customer } from '../billwerk/schemas.js';
import type { CrmRecord } from '../hubspot/api.js';

export type DuplicateReason = 'external id' | 'email' | 'company name';
export interface DuplicateMatch {
  customer: Customer;
  reasons: DuplicateReason[];
}

export const isStrong = (m: DuplicateMatch) => m.reasons.some((r) => r !== 'company name');

/**
 * billwerk customers that are probably this company: same external customer id, same contact email,
 * or same company name (case-insensitive, compared here on every customer found).
 *
 * One free-text search (billwerk's `search` matches external id, first/last name, company name, email
 * and debitor account: docs/deal-flow.md), by the contact's email: the strong signal that blocks a
 * duplicate signup. The company name is compared on what that search returns; a search by the name
 * itself (`by: 'company name'`) is the fallback for "Signup for existing Customer". The exact
 * external-id lookup runs only when the company carries an external id. Lookups run in parallel.
 */
export async function findLikelyDuplicates(
  api: BillwerkEntityApi,
  company: CrmRecord,
  contact: CrmRecord,
  options: { by?: 'email' | 'company name' } = {},
): Promise<DuplicateMatch[]> {
  const externalId = company.properties[COMPANY.externalCustomerId]?.trim();
  const email = contact.properties.email?.trim();
  const name = company.properties.name?.trim();
  const term = options.by === 'company name' ? name : email || name;
  const [byExternalId, found] = await Promise.all([
    externalId && options.by !== 'company name' ? api.findCustomersByExternalId(externalId) : Promise.resolve([]),
    term ? api.searchCustomers(term) : Promise.resolve([]),
  ]);
  return toDuplicateMatches([...byExternalId, ...found], { externalId, email, name });
}

/** Pure: which candidates really match, and why (search results are fuzzy; compare exactly). */
export function toDuplicateMatches(
  candidates: readonly Customer[],
  keys: { externalId?: string; email?: string; name?: string },
): DuplicateMatch[] {
  const same = (a: string | null | undefined, b: string | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.toLowerCase());
  const byId = new Map<string, DuplicateMatch>();
  for (const customer of candidates) {
    if (customer.Hidden) continue;
    const reasons: DuplicateReason[] = [];
    if (same(customer.ExternalCustomerId, keys.externalId)) reasons.push('external id');
    if (same(customer.EmailAddress, keys.email)) reasons.push('email');
    if (same(customer.CompanyName, keys.name)) reasons.push('company name');
    if (reasons.length && !byId.has(customer.Id)) byId.set(customer.Id, { customer, reasons });
  }
  return [...byId.values()];
}

export function describeMatch(m: DuplicateMatch): string {
  const label =
    m.customer.CompanyName || [m.customer.FirstName, m.customer.LastName].filter(Boolean).join(' ') || m.customer.EmailAddress || '';
  return `customer ${m.customer.Id}${label ? ` ("${label}")` : ''} with the same ${m.reasons.join(' and ')}`;
}
