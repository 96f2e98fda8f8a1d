/**
 * Demo CRM data: one company per billwerk entity with a complete billing address (plus one company
 * without postal code, to show validation), a contact per company, and a signup deal in the first
 * entity associated with its company and contact. `installCatalog` creates the connector's
 * properties the way `npm run setup` would.
 */
import type { BillwerkEntity } from '../../core/config.js';
import { BEARER_MEDIUM, COMPANY, CONTACT, DEAL, DEAL_TYPE, PROPERTY_GROUPS, propertyCatalog } from '../../core/catalog.js';
import type { ObjectType } from '../../core/hubspot/api.js';
import type { HubSpotStore } from './store.js';

export function installCatalog(store: HubSpotStore, entities: readonly BillwerkEntity[]): void {
  for (const group of PROPERTY_GROUPS) {
    if (!store.group(group.objectType, group.name)) store.createGroup(group.objectType, { name: group.name, label: group.label });
  }
  for (const def of propertyCatalog(entities)) {
    if (store.property(def.objectType, def.name)) continue;
    store.createProperty(def.objectType, {
      name: def.name,
      label: def.label,
      type: def.type,
      fieldType: def.fieldType,
      groupName: def.groupName,
      description: def.description,
      options: def.options,
      hasUniqueValue: def.hasUniqueValue,
    });
  }
}

export interface HubSpotSeed {
  /** Company per entity (same order as the entities), then the company without postal code. */
  companies: { id: string; entityId: string; name: string }[];
  /** Contact per company, same order. */
  contacts: { id: string; companyId: string; email: string }[];
  /** The signup deal in the first entity. */
  signupDeal: { id: string; companyId: string; contactId: string };
}

interface DemoCompany {
  name: string;
  domain: string;
  street: string;
  houseNumber: string;
  zip?: string;
  city: string;
  state: string;
  country: string;
  locale: string;
  vatId: string;
  contact: { firstname: string; lastname: string; email: string };
}

const DEMO_COMPANIES: DemoCompany[] = [
  {
    name: 'Muster Software GmbH',
    domain: 'muster-software.example',
    street: 'Musterstraße',
    houseNumber: '12',
    zip: '80331',
    city: 'München',
    state: 'Bayern',
    country: 'DE',
    locale: 'de-DE',
    vatId: 'DE123456789',
    contact: { firstname: 'Erika', lastname: 'Mustermann', email: 'erika.mustermann@muster-software.example' },
  },
  {
    name: 'Beispiel Handels AG',
    domain: 'beispiel-handel.example',
    street: 'Bahnhofstrasse',
    houseNumber: '7',
    zip: '8001',
    city: 'Zürich',
    state: 'ZH',
    country: 'CH',
    locale: 'de-CH',
    vatId: 'CHE-123.456.789',
    contact: { firstname: 'Max', lastname: 'Beispiel', email: 'max.beispiel@beispiel-handel.example' },
  },
];

const WITHOUT_POSTAL_CODE: DemoCompany = {
  name: 'Ohne Postleitzahl KG',
  domain: 'ohne-plz.example',
  street: 'Hauptstraße',
  houseNumber: '1',
  city: 'Berlin',
  state: 'Berlin',
  country: 'DE',
  locale: 'de-DE',
  vatId: 'DE987654321',
  contact: { firstname: 'Paula', lastname: 'Leer', email: 'paula.leer@ohne-plz.example' },
};

export function seedHubSpot(store: HubSpotStore, entities: readonly BillwerkEntity[]): HubSpotSeed {
  const withCatalog = Boolean(store.property('companies', COMPANY.street));
  // Without the connector's properties only HubSpot's standard fields can be written.
  const only = (type: ObjectType, props: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(props).filter(([name, v]) => v !== undefined && (withCatalog || store.property(type, name))),
    ) as Record<string, string>;

  const plan = entities.map((entity, i) => ({ entity, demo: DEMO_COMPANIES[i % DEMO_COMPANIES.length]! }));
  if (entities[0]) plan.push({ entity: entities[0], demo: WITHOUT_POSTAL_CODE });

  const companies: HubSpotSeed['companies'] = [];
  const contacts: HubSpotSeed['contacts'] = [];
  for (const { entity, demo } of plan) {
    const company = store.create(
      'companies',
      only('companies', {
        name: demo.name,
        domain: demo.domain,
        phone: '+49 89 1234567',
        address: `${demo.street} ${demo.houseNumber}`,
        zip: demo.zip,
        city: demo.city,
        state: demo.state,
        country: demo.country,
        [COMPANY.entity]: entity.id,
        [COMPANY.street]: demo.street,
        [COMPANY.houseNumber]: demo.houseNumber,
        [COMPANY.locale]: demo.locale,
        [COMPANY.vatId]: demo.vatId,
        [COMPANY.defaultBearerMedium]: BEARER_MEDIUM.email,
      }),
    );
    const contact = store.create('contacts', only('contacts', { ...demo.contact, [CONTACT.entity]: entity.id }), [
      { toType: 'companies', toId: company.id },
    ]);
    companies.push({ id: company.id, entityId: entity.id, name: demo.name });
    contacts.push({ id: contact.id, companyId: company.id, email: demo.contact.email });
  }

  const first = companies[0]!;
  const deal = store.create(
    'deals',
    only('deals', {
      dealname: `${first.name} – Signup`,
      dealstage: 'appointmentscheduled',
      pipeline: 'default',
      amount: '0',
      deal_currency_code: 'EUR',
      [DEAL.dealType]: DEAL_TYPE.signup,
      [DEAL.entity]: first.entityId,
    }),
    [
      { toType: 'companies', toId: first.id },
      { toType: 'contacts', toId: contacts[0]!.id },
    ],
  );
  return { companies, contacts, signupDeal: { id: deal.id, companyId: first.id, contactId: contacts[0]!.id } };
}
