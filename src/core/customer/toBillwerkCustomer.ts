/**
 * HubSpot company + contact -> billwerk customer. Shared by the signup flow (new customer in the order)
 * and the customer sync (PATCH of a linked customer), so both send exactly the same fields. Pure.
 */
import { COMPANY } from '../catalog.js';
import type { CustomerInput } from '../billwerk/schemas.js';
import type { CrmRecord } from '../hubspot/api.js';
import { toCountryCode, toLocale } from './countries.js';
import { COMPANY_STANDARD, CONTACT_STANDARD, filledValue } from './fields.js';

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
  const c = (name: string) => filledValue(company, name);
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
      AddressLine1: optional(c(COMPANY_STANDARD.additionalAddressLine)),
      // Never filled; cleared on update so a street line sent by earlier versions disappears.
      AddressLine2: optional(undefined),
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
  const p = (name: string) => filledValue(contact, name);
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
