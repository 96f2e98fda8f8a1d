/**
 * HubSpot company + contact -> billwerk customer. Shared by the signup flow (new customer in the order)
 * and the customer sync (PATCH of a linked customer), so both send exactly the same fields.
 * Pure: no I/O, no environment; the caller says whether billwerk is a sandbox.
 */
import { BEARER_MEDIUM, COMPANY, CONTACT, EINVOICING_NETWORK } from '../catalog.js';
import type { CustomerInput } from '../billwerk/schemas.js';
import type { CrmRecord } from '../hubspot/api.js';
import type { Problem } from '../result.js';

/** HubSpot's own company/contact properties the customer is built from. */
export const COMPANY_STANDARD = {
  name: 'name',
  country: 'country',
  postalCode: 'zip',
  city: 'city',
  state: 'state',
  addressLine1: 'address',
  addressLine2: 'address2',
} as const;

export const CONTACT_STANDARD = {
  firstName: 'firstname',
  lastName: 'lastname',
  email: 'email',
  phone: 'phone',
} as const;

/** Every company property whose value reaches the billwerk customer (what to read, what to subscribe to). */
export const CUSTOMER_COMPANY_PROPERTIES: readonly string[] = [
  ...Object.values(COMPANY_STANDARD),
  COMPANY.locale,
  COMPANY.street,
  COMPANY.houseNumber,
  COMPANY.vatId,
  COMPANY.defaultBearerMedium,
  COMPANY.eInvoicingReceiverId,
  COMPANY.eInvoicingNetwork,
  COMPANY.buyerReference,
  COMPANY.destinationCountry,
  COMPANY.externalCustomerId,
];

/** Every contact property whose value reaches the billwerk customer. */
export const CUSTOMER_CONTACT_PROPERTIES: readonly string[] = Object.values(CONTACT_STANDARD);

/** Field labels as reps see them (the guide's words), used in problems. */
export const CUSTOMER_FIELD_LABELS: Record<string, string> = {
  [COMPANY_STANDARD.name]: 'Company Name',
  [COMPANY_STANDARD.country]: 'Country',
  [COMPANY_STANDARD.postalCode]: 'Postal Code',
  [COMPANY_STANDARD.city]: 'City',
  [COMPANY_STANDARD.state]: 'State/Region',
  [COMPANY_STANDARD.addressLine1]: 'Address line 1',
  [COMPANY_STANDARD.addressLine2]: 'Address line 2',
  [COMPANY.locale]: 'Locale',
  [COMPANY.street]: 'Street',
  [COMPANY.houseNumber]: 'House Number',
  [COMPANY.vatId]: 'VAT ID',
  [COMPANY.defaultBearerMedium]: 'Default bearer medium',
  [COMPANY.eInvoicingReceiverId]: 'E-Invoicing Receiver ID',
  [COMPANY.eInvoicingNetwork]: 'E-Invoicing Network',
  [COMPANY.buyerReference]: 'Buyer Reference',
  [COMPANY.destinationCountry]: 'Destination country',
  [COMPANY.externalCustomerId]: 'billwerk customer external id',
  [CONTACT_STANDARD.firstName]: 'First Name',
  [CONTACT_STANDARD.lastName]: 'Last Name',
  [CONTACT_STANDARD.email]: 'Email',
  [CONTACT_STANDARD.phone]: 'Phone Number',
};

export type BillwerkEnvironment = 'sandbox' | 'production';

/**
 * billwerk's sandbox lives on sandbox.billwerk.com; a local simulator (loopback) counts as a sandbox
 * too; everything else is treated as production.
 */
export function billwerkEnvironmentOf(baseUrl: string): BillwerkEnvironment {
  try {
    const host = new URL(baseUrl).hostname;
    return host.startsWith('sandbox.') || ['localhost', '127.0.0.1', '[::1]'].includes(host) ? 'sandbox' : 'production';
  } catch {
    return baseUrl.includes('sandbox') ? 'sandbox' : 'production';
  }
}

export interface CustomerCheckOptions {
  /** SnailMail only works on production accounts (guide, "Setting invoice dispatch mode"). */
  environment: BillwerkEnvironment;
  /** Entity an empty Entity field stands for (the root entity); records without one then compare equal to it. */
  rootEntityId?: string;
}

// ---------------------------------------------------------------------------------------------------
// Small value helpers

function value(record: CrmRecord, name: string): string | undefined {
  const raw = record.properties[name];
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

export function describeCompany(company: CrmRecord): string {
  const name = value(company, COMPANY_STANDARD.name);
  return name ? `company "${name}"` : `company ${company.id}`;
}

export function describeContact(contact: CrmRecord): string {
  const name = [value(contact, CONTACT_STANDARD.firstName), value(contact, CONTACT_STANDARD.lastName)].filter(Boolean).join(' ');
  const label = name || value(contact, CONTACT_STANDARD.email);
  return label ? `contact "${label}"` : `contact ${contact.id}`;
}

// Regions that Intl knows but that are no countries billwerk could bill to.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);
const EXTRA_COUNTRY_NAMES: Record<string, string> = {
  usa: 'US', 'united states of america': 'US', america: 'US', uk: 'GB', 'great britain': 'GB', england: 'GB',
  scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', holland: 'NL', 'the netherlands': 'NL', 'czech republic': 'CZ',
};

let countryIndex: { codes: Set<string>; byName: Map<string, string> } | undefined;

/** ISO-3166 alpha-2 codes with their English and German names (HubSpot's `country` is free text). */
function countries(): { codes: Set<string>; byName: Map<string, string> } {
  if (countryIndex) return countryIndex;
  const codes = new Set<string>();
  const byName = new Map<string, string>();
  const names = ['en', 'de'].map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }));
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      // Skip deprecated aliases (UK, DD, ...): Intl names them, but billwerk wants the canonical code.
      if (NOT_COUNTRIES.has(code) || canonicalRegion(code) !== code) continue;
      const english = names[0]!.of(code);
      if (!english || english === code) continue;
      codes.add(code);
      for (const display of names) byName.set(normalizeName(display.of(code) ?? code), code);
    }
  }
  for (const [name, code] of Object.entries(EXTRA_COUNTRY_NAMES)) byName.set(name, code);
  countryIndex = { codes, byName };
  return countryIndex;
}

function canonicalRegion(code: string): string {
  return Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4) ?? code;
}

function normalizeName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[.]/g, '').replace(/\s+/g, ' ').trim();
}

/** `DE`, `de`, `Germany`, `Deutschland` -> `DE`; undefined when it is no known country. */
export function toCountryCode(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const index = countries();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = canonicalRegion(trimmed.toUpperCase());
    return index.codes.has(code) ? code : undefined;
  }
  return index.byName.get(normalizeName(trimmed));
}

/** `de-DE`, `de_de`, `en` -> billwerk's `de-DE` / `en`; undefined when it does not look like a locale. */
export function toLocale(text: string | null | undefined): string | undefined {
  const match = text?.trim().match(/^([A-Za-z]{2})(?:[-_]([A-Za-z]{2}))?$/);
  if (!match) return undefined;
  const language = match[1]!.toLowerCase();
  return match[2] ? `${language}-${match[2].toUpperCase()}` : language;
}

const BEARER_MEDIA: readonly string[] = Object.values(BEARER_MEDIUM);
const NETWORKS: readonly string[] = Object.values(EINVOICING_NETWORK);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------------------------------------------------------------------------------------------------
// Validation

/**
 * Every reason the company + contact cannot become (or update) a billwerk customer, each naming the
 * record and the field label. Empty list = ready.
 */
export function checkCustomerPrerequisites(company: CrmRecord, contact: CrmRecord, options: CustomerCheckOptions): Problem[] {
  return [
    ...checkContact(contact),
    ...checkCompany(company, options.environment),
    ...checkSameEntity(company, contact, options.rootEntityId),
  ];
}

function problem(record: string, field: string, message: string): Problem {
  return { record, field: CUSTOMER_FIELD_LABELS[field] ?? field, message };
}

export function checkContact(contact: CrmRecord): Problem[] {
  const record = describeContact(contact);
  const problems: Problem[] = [];
  if (!value(contact, CONTACT_STANDARD.firstName)) problems.push(problem(record, CONTACT_STANDARD.firstName, 'First Name is missing.'));
  if (!value(contact, CONTACT_STANDARD.lastName)) problems.push(problem(record, CONTACT_STANDARD.lastName, 'Last Name is missing.'));
  const email = value(contact, CONTACT_STANDARD.email);
  if (!email) problems.push(problem(record, CONTACT_STANDARD.email, 'Email is missing.'));
  else if (!EMAIL.test(email)) problems.push(problem(record, CONTACT_STANDARD.email, `"${email}" is not an email address.`));
  return problems;
}

export function checkCompany(company: CrmRecord, environment: BillwerkEnvironment): Problem[] {
  const record = describeCompany(company);
  const problems: Problem[] = [];
  const missing = (name: string) => {
    if (!value(company, name)) problems.push(problem(record, name, `${CUSTOMER_FIELD_LABELS[name]} is missing.`));
  };
  missing(COMPANY_STANDARD.name);

  const locale = value(company, COMPANY.locale);
  if (!locale) missing(COMPANY.locale);
  else if (!toLocale(locale)) problems.push(problem(record, COMPANY.locale, `"${locale}" is not a locale; use a form like de-DE or en-GB.`));

  const country = value(company, COMPANY_STANDARD.country);
  if (!country) missing(COMPANY_STANDARD.country);
  else if (!toCountryCode(country)) problems.push(problem(record, COMPANY_STANDARD.country, `"${country}" is not a known country; use a two-letter code like DE or the English name.`));

  missing(COMPANY.street);
  missing(COMPANY.houseNumber);
  missing(COMPANY_STANDARD.postalCode);

  const destination = value(company, COMPANY.destinationCountry);
  if (destination && !toCountryCode(destination)) {
    problems.push(problem(record, COMPANY.destinationCountry, `"${destination}" is not a known country; use a two-letter code like DE.`));
  }
  return [...problems, ...checkDispatchMode(company, environment)];
}

/** The invoice dispatch rules of the guide: EInvoicing needs its three fields, SnailMail needs production. */
export function checkDispatchMode(company: CrmRecord, environment: BillwerkEnvironment): Problem[] {
  const record = describeCompany(company);
  const medium = value(company, COMPANY.defaultBearerMedium);
  if (!medium) return [];
  if (!BEARER_MEDIA.includes(medium)) {
    return [problem(record, COMPANY.defaultBearerMedium, `"${medium}" is not a dispatch mode; choose ${BEARER_MEDIA.join(', ')}.`)];
  }
  if (medium === BEARER_MEDIUM.snailMail && environment === 'sandbox') {
    return [problem(record, COMPANY.defaultBearerMedium, 'SnailMail only works with a production billwerk account; this connector uses the billwerk sandbox.')];
  }
  if (medium !== BEARER_MEDIUM.eInvoicing) return [];
  const problems: Problem[] = [];
  for (const name of [COMPANY.eInvoicingReceiverId, COMPANY.eInvoicingNetwork, COMPANY.buyerReference]) {
    if (!value(company, name)) problems.push(problem(record, name, `${CUSTOMER_FIELD_LABELS[name]} is required for EInvoicing.`));
  }
  const network = value(company, COMPANY.eInvoicingNetwork);
  if (network && !NETWORKS.includes(network)) {
    problems.push(problem(record, COMPANY.eInvoicingNetwork, `"${network}" is not an e-invoicing network; choose ${NETWORKS.join(' or ')}.`));
  }
  return problems;
}

/** The guide's multi-tenant rule: a company must be within the same entity as its contact person. */
export function checkSameEntity(company: CrmRecord, contact: CrmRecord, rootEntityId?: string): Problem[] {
  const companyEntity = value(company, COMPANY.entity) ?? rootEntityId;
  const contactEntity = value(contact, CONTACT.entity) ?? rootEntityId;
  if (!companyEntity || !contactEntity || companyEntity === contactEntity) return [];
  return [{
    record: describeCompany(company),
    field: 'Entity',
    message: `The company is in entity ${companyEntity} but its ${describeContact(contact)} is in entity ${contactEntity}; both must share one entity.`,
  }];
}

// ---------------------------------------------------------------------------------------------------
// Mapping

export interface CustomerMappingOptions {
  /**
   * `omit` (default, for creating): empty optional fields are left out.
   * `clear` (for updating the whole state): empty optional fields are sent as null so billwerk forgets
   * what was removed in HubSpot. The dispatch mode is never cleared (billwerk keeps its default).
   */
  empty?: 'omit' | 'clear';
}

/**
 * The billwerk customer for a company and its contact person. Assumes `checkCustomerPrerequisites`
 * found nothing; unparseable country/locale values are passed through for billwerk to reject.
 */
export function toBillwerkCustomer(company: CrmRecord, contact: CrmRecord, options: CustomerMappingOptions = {}): CustomerInput {
  return { ...toCustomerFromCompany(company, options), ...toCustomerFromContact(contact, options) };
}

/** The customer fields a company provides (company name, address, locale, tax and dispatch data). */
export function toCustomerFromCompany(company: CrmRecord, options: CustomerMappingOptions = {}): CustomerInput {
  const optional = optionalValue(options);
  const c = (name: string) => value(company, name);
  const country = c(COMPANY_STANDARD.country);
  const destination = c(COMPANY.destinationCountry);
  const locale = c(COMPANY.locale);
  return withoutUndefined<CustomerInput>({
    CompanyName: c(COMPANY_STANDARD.name),
    Locale: locale ? (toLocale(locale) ?? locale) : undefined,
    VatId: optional(c(COMPANY.vatId)),
    ExternalCustomerId: optional(c(COMPANY.externalCustomerId)),
    DefaultBearerMedium: c(COMPANY.defaultBearerMedium),
    Address: withoutUndefined({
      AddressLine1: optional(c(COMPANY_STANDARD.addressLine1)),
      AddressLine2: optional(c(COMPANY_STANDARD.addressLine2)),
      Street: c(COMPANY.street),
      HouseNumber: c(COMPANY.houseNumber),
      PostalCode: c(COMPANY_STANDARD.postalCode),
      City: optional(c(COMPANY_STANDARD.city)),
      State: optional(c(COMPANY_STANDARD.state)),
      Country: country ? (toCountryCode(country) ?? country) : undefined,
    }),
    EInvoicingReceiverId: optional(c(COMPANY.eInvoicingReceiverId)),
    EInvoicingNetwork: optional(c(COMPANY.eInvoicingNetwork)),
    BuyerReference: optional(c(COMPANY.buyerReference)),
    DestinationCountry: optional(destination ? (toCountryCode(destination) ?? destination) : undefined),
  });
}

/** The customer fields the contact person provides (name, email, phone). */
export function toCustomerFromContact(contact: CrmRecord, options: CustomerMappingOptions = {}): CustomerInput {
  const optional = optionalValue(options);
  const p = (name: string) => value(contact, name);
  return withoutUndefined<CustomerInput>({
    FirstName: p(CONTACT_STANDARD.firstName),
    LastName: p(CONTACT_STANDARD.lastName),
    EmailAddress: p(CONTACT_STANDARD.email),
    PhoneNumber: optional(p(CONTACT_STANDARD.phone)),
  });
}

function optionalValue(options: CustomerMappingOptions): (text: string | undefined) => string | null | undefined {
  const clear = options.empty === 'clear';
  return (text) => text ?? (clear ? null : undefined);
}

function withoutUndefined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}
