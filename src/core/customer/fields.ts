/**
 * The company and contact fields a billwerk customer is built from: HubSpot property names, the labels
 * reps see (the guide's words) and how records are named in problems. Pure.
 */
import { COMPANY, CONTACT } from '../catalog.js';
import type { CrmRecord } from '../hubspot/api.js';

/** HubSpot's own company/contact properties the customer is built from. */
export const COMPANY_STANDARD = {
  name: 'name',
  country: 'country',
  postalCode: 'zip',
  city: 'city',
  state: 'state',
  /**
   * HubSpot's "Street Address 2" (suite, building, c/o) becomes billwerk's AddressLine1, its
   * "Additional Address Line". HubSpot's "Street Address" (`address`) is not sent: billwerk prints
   * AddressLine1/2 above Street + HouseNumber (billwerk_street / billwerk_house_number, which the
   * guide requires), so sending the street line too printed the street twice (docs/billwerk-api.md).
   */
  additionalAddressLine: 'address2',
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
  [COMPANY_STANDARD.additionalAddressLine]: 'Street Address 2',
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

/** Properties the connector writes after a sync; never subscribed, and ignored in webhook events. */
export const CUSTOMER_STATUS_PROPERTIES: readonly string[] = [
  COMPANY.customerSyncStatus,
  COMPANY.customerSyncError,
  COMPANY.customerSyncedAt,
  CONTACT.customerSyncStatus,
  CONTACT.customerSyncError,
  CONTACT.customerSyncedAt,
];

/** A property's trimmed value; undefined when empty. */
export function filledValue(record: CrmRecord, name: string): string | undefined {
  const raw = record.properties[name];
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

export function describeCompany(company: CrmRecord): string {
  const name = filledValue(company, COMPANY_STANDARD.name);
  return name ? `company "${name}"` : `company ${company.id}`;
}

export function describeContact(contact: CrmRecord): string {
  const name = [filledValue(contact, CONTACT_STANDARD.firstName), filledValue(contact, CONTACT_STANDARD.lastName)]
    .filter(Boolean)
    .join(' ');
  const label = name || filledValue(contact, CONTACT_STANDARD.email);
  return label ? `contact "${label}"` : `contact ${contact.id}`;
}
