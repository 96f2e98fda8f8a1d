import { describe, expect, it } from 'vitest';
import { billwerkEnvironmentOf } from '../../src/core/billwerk/environment.js';
import { checkCustomerPrerequisites } from '../../src/core/customer/checks.js';
import { toBillwerkCustomer } from '../../src/core/customer/toBillwerkCustomer.js';
import { toCountryCode, toLocale } from '../../src/core/customer/countries.js';
import type { CrmRecord } from '../../src/core/hubspot/api.js';

const company = (properties: Record<string, string | null> = {}): CrmRecord => ({
  id: '101',
  properties: {
    name: 'ACME GmbH',
    billwerk_locale: 'de-DE',
    country: 'Germany',
    billwerk_street: 'Hauptstraße',
    billwerk_house_number: '12a',
    zip: '10115',
    city: 'Berlin',
    address: 'Building B',
    address2: '3rd floor',
    state: null,
    billwerk_vat_id: 'DE123456789',
    billwerk_default_bearer_medium: 'Email',
    billwerk_einvoicing_receiver_id: null,
    billwerk_einvoicing_network: null,
    billwerk_buyer_reference: null,
    billwerk_destination_country: 'AT',
    billwerk_external_customer_id: 'crm-101',
    ...properties,
  },
});

const contact = (properties: Record<string, string | null> = {}): CrmRecord => ({
  id: '201',
  properties: { firstname: 'Jane', lastname: 'Doe', email: 'jane@acme.example', phone: '+49 30 1234', ...properties },
});

describe('toBillwerkCustomer', () => {
  it('maps every company and contact field', () => {
    expect(toBillwerkCustomer(company(), contact())).toEqual({
      CompanyName: 'ACME GmbH',
      FirstName: 'Jane',
      LastName: 'Doe',
      EmailAddress: 'jane@acme.example',
      PhoneNumber: '+49 30 1234',
      Locale: 'de-DE',
      VatId: 'DE123456789',
      ExternalCustomerId: 'crm-101',
      DefaultBearerMedium: 'Email',
      Address: {
        // billwerk's AddressLine1 is the additional line; HubSpot's street line is not sent (no street twice).
        AddressLine1: '3rd floor',
        Street: 'Hauptstraße',
        HouseNumber: '12a',
        PostalCode: '10115',
        City: 'Berlin',
        Country: 'DE',
      },
      DestinationCountry: 'AT',
    });
  });

  it('maps the e-invoicing fields', () => {
    const customer = toBillwerkCustomer(
      company({
        billwerk_default_bearer_medium: 'EInvoicing',
        billwerk_einvoicing_receiver_id: '0037:12345678',
        billwerk_einvoicing_network: 'Peppol',
        billwerk_buyer_reference: 'PO-77',
      }),
      contact(),
    );
    expect(customer).toMatchObject({
      DefaultBearerMedium: 'EInvoicing',
      EInvoicingReceiverId: '0037:12345678',
      EInvoicingNetwork: 'Peppol',
      BuyerReference: 'PO-77',
    });
  });

  it('leaves out empty optional fields when creating', () => {
    const customer = toBillwerkCustomer(
      company({
        address: '',
        address2: null,
        city: ' ',
        billwerk_vat_id: null,
        billwerk_destination_country: null,
        billwerk_external_customer_id: null,
        billwerk_default_bearer_medium: null,
      }),
      contact({ phone: null }),
    );
    expect(customer).toEqual({
      CompanyName: 'ACME GmbH',
      FirstName: 'Jane',
      LastName: 'Doe',
      EmailAddress: 'jane@acme.example',
      Locale: 'de-DE',
      Address: { Street: 'Hauptstraße', HouseNumber: '12a', PostalCode: '10115', Country: 'DE' },
    });
  });

  it('sends null for emptied optional fields when updating the whole state', () => {
    const customer = toBillwerkCustomer(
      company({
        address: null,
        address2: null,
        city: null,
        billwerk_vat_id: null,
        billwerk_destination_country: null,
        billwerk_external_customer_id: null,
        billwerk_default_bearer_medium: null,
      }),
      contact({ phone: '' }),
      { empty: 'clear' },
    );
    expect(customer).toEqual({
      CompanyName: 'ACME GmbH',
      FirstName: 'Jane',
      LastName: 'Doe',
      EmailAddress: 'jane@acme.example',
      PhoneNumber: null,
      Locale: 'de-DE',
      VatId: null,
      ExternalCustomerId: null,
      Address: {
        AddressLine1: null,
        AddressLine2: null,
        Street: 'Hauptstraße',
        HouseNumber: '12a',
        PostalCode: '10115',
        City: null,
        State: null,
        Country: 'DE',
      },
      EInvoicingReceiverId: null,
      EInvoicingNetwork: null,
      BuyerReference: null,
      DestinationCountry: null,
    });
  });

  it('trims values and normalises locale and country spelling', () => {
    const customer = toBillwerkCustomer(company({ name: '  ACME GmbH ', billwerk_locale: 'en_gb', country: 'united kingdom' }), contact());
    expect(customer).toMatchObject({ CompanyName: 'ACME GmbH', Locale: 'en-GB', Address: { Country: 'GB' } });
  });
});

describe('toCountryCode', () => {
  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['United States', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['UK', 'GB'],
    ['Switzerland', 'CH'],
    ['  austria ', 'AT'],
    ['Netherlands', 'NL'],
  ])('%s -> %s', (input, code) => expect(toCountryCode(input)).toBe(code));

  it.each(['Atlantis', 'QQ', 'EU', 'ZZ', '', 'Germany 2'])('%s is no country', (input) => expect(toCountryCode(input)).toBeUndefined());
});

describe('toLocale', () => {
  it.each([
    ['de-DE', 'de-DE'],
    ['DE-de', 'de-DE'],
    ['en_gb', 'en-GB'],
    ['fr', 'fr'],
  ])('%s -> %s', (input, locale) => expect(toLocale(input)).toBe(locale));
  it.each(['German', 'de-DEU', '', '12'])('%s is no locale', (input) => expect(toLocale(input)).toBeUndefined());
});

describe('billwerkEnvironmentOf', () => {
  it('tells the sandbox from production', () => {
    expect(billwerkEnvironmentOf('https://sandbox.billwerk.com')).toBe('sandbox');
    expect(billwerkEnvironmentOf('https://app.billwerk.com')).toBe('production');
    expect(billwerkEnvironmentOf('https://billing.example.com')).toBe('production');
  });

  it('treats a local simulator as a sandbox, so the offline sandbox never claims to be production', () => {
    expect(billwerkEnvironmentOf('http://127.0.0.1:4010')).toBe('sandbox');
    expect(billwerkEnvironmentOf('http://localhost:4010')).toBe('sandbox');
  });
});

describe('checkCustomerPrerequisites', () => {
  const production = { environment: 'production' as const };

  it('finds nothing when company and contact are complete', () => {
    expect(checkCustomerPrerequisites(company(), contact(), production)).toEqual([]);
  });

  it('names every missing field with its record', () => {
    const problems = checkCustomerPrerequisites(
      company({ name: null, billwerk_locale: null, country: null, billwerk_street: null, billwerk_house_number: '', zip: null }),
      contact({ firstname: null, lastname: ' ', email: null }),
      production,
    );
    expect(problems.map((p) => `${p.record} / ${p.field}`)).toEqual([
      'contact 201 / First Name',
      'contact 201 / Last Name',
      'contact 201 / Email',
      'company 101 / Company Name',
      'company 101 / Locale',
      'company 101 / Country',
      'company 101 / Street',
      'company 101 / House Number',
      'company 101 / Postal Code',
    ]);
  });

  it('refuses an unknown country, a bad locale and a bad email in plain words', () => {
    const problems = checkCustomerPrerequisites(
      company({ country: 'Atlantis', billwerk_locale: 'German' }),
      contact({ email: 'jane-at-acme' }),
      production,
    );
    expect(problems).toEqual([
      { record: 'contact "Jane Doe"', field: 'Email', message: '"jane-at-acme" is not an email address.' },
      { record: 'company "ACME GmbH"', field: 'Locale', message: '"German" is not a locale; use a form like de-DE or en-GB.' },
      {
        record: 'company "ACME GmbH"',
        field: 'Country',
        message: '"Atlantis" is not a known country; use a two-letter code like DE or the English name.',
      },
    ]);
  });

  it('refuses EInvoicing without receiver id, network and buyer reference', () => {
    const problems = checkCustomerPrerequisites(company({ billwerk_default_bearer_medium: 'EInvoicing' }), contact(), production);
    expect(problems).toEqual([
      { record: 'company "ACME GmbH"', field: 'E-Invoicing Receiver ID', message: 'E-Invoicing Receiver ID is required for EInvoicing.' },
      { record: 'company "ACME GmbH"', field: 'E-Invoicing Network', message: 'E-Invoicing Network is required for EInvoicing.' },
      { record: 'company "ACME GmbH"', field: 'Buyer Reference', message: 'Buyer Reference is required for EInvoicing.' },
    ]);
  });

  it('refuses an unknown e-invoicing network', () => {
    const problems = checkCustomerPrerequisites(
      company({
        billwerk_default_bearer_medium: 'EInvoicing',
        billwerk_einvoicing_receiver_id: 'R1',
        billwerk_einvoicing_network: 'Fax',
        billwerk_buyer_reference: 'B',
      }),
      contact(),
      production,
    );
    expect(problems.map((p) => p.field)).toEqual(['E-Invoicing Network']);
  });

  it('refuses SnailMail on a sandbox connection only', () => {
    const snail = company({ billwerk_default_bearer_medium: 'SnailMail' });
    expect(checkCustomerPrerequisites(snail, contact(), production)).toEqual([]);
    expect(checkCustomerPrerequisites(snail, contact(), { environment: 'sandbox' })).toEqual([
      {
        record: 'company "ACME GmbH"',
        field: 'Default bearer medium',
        message: 'SnailMail only works with a production billwerk account; this connector uses the billwerk sandbox.',
      },
    ]);
  });

  it('refuses a company and contact in different entities, naming the contact', () => {
    const problems = checkCustomerPrerequisites(company({ billwerk_entity: 'e-de' }), contact({ billwerk_entity: 'e-at' }), production);
    expect(problems).toEqual([
      {
        record: 'company "ACME GmbH"',
        field: 'Entity',
        message: 'The company is in entity e-de but its contact "Jane Doe" is in entity e-at; both must share one entity.',
      },
    ]);
  });

  it('treats an empty entity as the root entity', () => {
    expect(checkCustomerPrerequisites(company({ billwerk_entity: 'root' }), contact(), { ...production, rootEntityId: 'root' })).toEqual(
      [],
    );
    expect(
      checkCustomerPrerequisites(company({ billwerk_entity: 'sub' }), contact(), { ...production, rootEntityId: 'root' }),
    ).toHaveLength(1);
  });
});
