/**
 * Every reason a company + contact cannot become (or update) a billwerk customer, each naming the
 * record and the field label. Pure.
 */
import { BEARER_MEDIUM, COMPANY, CONTACT, EINVOICING_NETWORK } from '../catalog.js';
import type { BillwerkEnvironment } from '../billwerk/environment.js';
import type { CrmRecord } from '../hubspot/api.js';
import type { Problem } from '../result.js';
import { toCountryCode, toLocale } from './countries.js';
import { COMPANY_STANDARD, CONTACT_STANDARD, CUSTOMER_FIELD_LABELS, describeCompany, describeContact, filledValue } from './fields.js';

export interface CustomerCheckOptions {
  /** SnailMail only works on production accounts (guide, "Setting invoice dispatch mode"). */
  environment: BillwerkEnvironment;
  /** Entity an empty Entity field stands for (the root entity); records without one then compare equal to it. */
  rootEntityId?: string;
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
  if (!filledValue(contact, CONTACT_STANDARD.firstName))
    problems.push(problem(record, CONTACT_STANDARD.firstName, 'First Name is missing.'));
  if (!filledValue(contact, CONTACT_STANDARD.lastName)) problems.push(problem(record, CONTACT_STANDARD.lastName, 'Last Name is missing.'));
  const email = filledValue(contact, CONTACT_STANDARD.email);
  if (!email) problems.push(problem(record, CONTACT_STANDARD.email, 'Email is missing.'));
  else if (!EMAIL.test(email)) problems.push(problem(record, CONTACT_STANDARD.email, `"${email}" is not an email address.`));
  return problems;
}

export function checkCompany(company: CrmRecord, environment: BillwerkEnvironment): Problem[] {
  const record = describeCompany(company);
  const problems: Problem[] = [];
  const missing = (name: string) => {
    if (!filledValue(company, name)) problems.push(problem(record, name, `${CUSTOMER_FIELD_LABELS[name]} is missing.`));
  };
  missing(COMPANY_STANDARD.name);

  const locale = filledValue(company, COMPANY.locale);
  if (!locale) missing(COMPANY.locale);
  else if (!toLocale(locale))
    problems.push(problem(record, COMPANY.locale, `"${locale}" is not a locale; use a form like de-DE or en-GB.`));

  const country = filledValue(company, COMPANY_STANDARD.country);
  if (!country) missing(COMPANY_STANDARD.country);
  else if (!toCountryCode(country))
    problems.push(
      problem(record, COMPANY_STANDARD.country, `"${country}" is not a known country; use a two-letter code like DE or the English name.`),
    );

  missing(COMPANY.street);
  missing(COMPANY.houseNumber);
  missing(COMPANY_STANDARD.postalCode);

  const destination = filledValue(company, COMPANY.destinationCountry);
  if (destination && !toCountryCode(destination)) {
    problems.push(problem(record, COMPANY.destinationCountry, `"${destination}" is not a known country; use a two-letter code like DE.`));
  }
  return [...problems, ...checkDispatchMode(company, environment)];
}

/** The invoice dispatch rules of the guide: EInvoicing needs its three fields, SnailMail needs production. */
export function checkDispatchMode(company: CrmRecord, environment: BillwerkEnvironment): Problem[] {
  const record = describeCompany(company);
  const medium = filledValue(company, COMPANY.defaultBearerMedium);
  if (!medium) return [];
  if (!BEARER_MEDIA.includes(medium)) {
    return [problem(record, COMPANY.defaultBearerMedium, `"${medium}" is not a dispatch mode; choose ${BEARER_MEDIA.join(', ')}.`)];
  }
  if (medium === BEARER_MEDIUM.snailMail && environment === 'sandbox') {
    return [
      problem(
        record,
        COMPANY.defaultBearerMedium,
        'SnailMail only works with a production billwerk account; this connector uses the billwerk sandbox.',
      ),
    ];
  }
  if (medium !== BEARER_MEDIUM.eInvoicing) return [];
  const problems: Problem[] = [];
  for (const name of [COMPANY.eInvoicingReceiverId, COMPANY.eInvoicingNetwork, COMPANY.buyerReference]) {
    if (!filledValue(company, name)) problems.push(problem(record, name, `${CUSTOMER_FIELD_LABELS[name]} is required for EInvoicing.`));
  }
  const network = filledValue(company, COMPANY.eInvoicingNetwork);
  if (network && !NETWORKS.includes(network)) {
    problems.push(
      problem(record, COMPANY.eInvoicingNetwork, `"${network}" is not an e-invoicing network; choose ${NETWORKS.join(' or ')}.`),
    );
  }
  return problems;
}

/** The guide's multi-tenant rule: a company must be within the same entity as its contact person. */
export function checkSameEntity(company: CrmRecord, contact: CrmRecord, rootEntityId?: string): Problem[] {
  const companyEntity = filledValue(company, COMPANY.entity) ?? rootEntityId;
  const contactEntity = filledValue(contact, CONTACT.entity) ?? rootEntityId;
  if (!companyEntity || !contactEntity || companyEntity === contactEntity) return [];
  return [
    {
      record: describeCompany(company),
      field: 'Entity',
      message: `The company is in entity ${companyEntity} but its ${describeContact(contact)} is in entity ${contactEntity}; both must share one entity.`,
    },
  ];
}
