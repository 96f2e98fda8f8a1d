/**
 * Company/contact -> billwerk customer, end to end against the simulators: HubSpot changes become
 * signed webhook batches (the HubSpot simulator's webhook emitter, see test/customer/webhookFeed.ts),
 * the endpoint function syncs the customer, and we look at what billwerk and HubSpot hold afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { main as syncCustomerMain } from '../../src/functions/sync-customer.js';
import { main as setEntityMain } from '../../src/functions/set-entity.js';
import { main as updateDispatchModeMain } from '../../src/functions/update-dispatch-mode.js';
import { main as listEntitiesMain } from '../../src/functions/list-entities.js';
import { CUSTOMER_STATUS_PROPERTIES } from '../../src/core/customer/fields.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import { hubspotWebhooks, send, serveEndpoint } from './webhookFeed.js';

const ctx = useSimulators();

/** The seeded company + contact of the root entity, linked to a fresh billwerk customer with stale data. */
async function linkedCustomer() {
  const seeded = ctx.hubspot.seeded!;
  const company = seeded.companies[0]!;
  const contact = seeded.contacts[0]!;
  const billwerk = ctx.deps().billwerk.forEntity(company.entityId);
  const customer = await billwerk.createCustomer({
    CompanyName: 'Old name',
    FirstName: 'Old',
    LastName: 'Name',
    EmailAddress: 'old@example.com',
    Locale: 'de-DE',
    Address: { Street: 'Old street', HouseNumber: '1', PostalCode: '00000', City: 'Old city', Country: 'DE' },
  });
  ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: customer.Id });
  ctx.hubspot.store.update('contacts', contact.id, { billwerk_customer_id: customer.Id });
  serveEndpoint(ctx);
  const feed = hubspotWebhooks(ctx);
  return { company, contact, customerId: customer.Id, billwerk, feed };
}

const customerPatches = () => ctx.billwerk.simulator.calls.filter((c) => c.method === 'PATCH' && /customers/i.test(c.route)).length;
const billwerkCalls = () => ctx.billwerk.simulator.calls.length;
const props = (type: 'companies' | 'contacts', id: string) => ctx.hubspot.store.get(type, id)!.properties;

describe('automatic propagation (webhooks component -> hubspot-webhook endpoint)', () => {
  let linked: Awaited<ReturnType<typeof linkedCustomer>>;
  beforeEach(async () => {
    linked = await linkedCustomer();
  });

  it('brings every mapped company and contact field to the billwerk customer', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, {
      name: 'Neue Muster GmbH',
      billwerk_locale: 'en-GB',
      country: 'Austria',
      billwerk_street: 'Ringstraße',
      billwerk_house_number: '5b',
      zip: '1010',
      city: 'Wien',
      address: 'Gebäude C',
      address2: '2. Stock',
      billwerk_vat_id: 'ATU12345678',
      billwerk_default_bearer_medium: 'EInvoicing',
      billwerk_einvoicing_receiver_id: '0088:4000001',
      billwerk_einvoicing_network: 'Peppol',
      billwerk_buyer_reference: 'PO-2026-1',
      billwerk_destination_country: 'DE',
      billwerk_external_customer_id: 'crm-4711',
    });
    ctx.hubspot.store.update('contacts', linked.contact.id, {
      firstname: 'Erika',
      lastname: 'Neu',
      email: 'erika.neu@muster.example',
      phone: '+43 1 234',
    });

    const reply = await send(linked.feed);
    expect(reply.status).toBe(200);

    const customer = await linked.billwerk.getCustomer(linked.customerId);
    expect(customer).toMatchObject({
      CompanyName: 'Neue Muster GmbH',
      Locale: 'en-GB',
      VatId: 'ATU12345678',
      ExternalCustomerId: 'crm-4711',
      DefaultBearerMedium: 'EInvoicing',
      EInvoicingReceiverId: '0088:4000001',
      EInvoicingNetwork: 'Peppol',
      BuyerReference: 'PO-2026-1',
      DestinationCountry: 'DE',
      FirstName: 'Erika',
      LastName: 'Neu',
      EmailAddress: 'erika.neu@muster.example',
      PhoneNumber: '+43 1 234',
      Address: {
        AddressLine1: '2. Stock',
        AddressLine2: null,
        Street: 'Ringstraße',
        HouseNumber: '5b',
        PostalCode: '1010',
        City: 'Wien',
        Country: 'AT',
      },
    });
    // Company and contact events for the same customer: one PATCH per record at most, never more.
    expect(customerPatches()).toBe(1);
    expect(props('companies', linked.company.id)).toMatchObject({ billwerk_customer_sync_status: 'SuccessfullyUpdated' });
    expect(props('contacts', linked.contact.id)).toMatchObject({ billwerk_customer_sync_status: 'SuccessfullyUpdated' });
  });

  it('empties in billwerk what was emptied in HubSpot', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, { billwerk_vat_id: 'DE999999999', city: 'Passau' });
    await send(linked.feed);
    expect(await linked.billwerk.getCustomer(linked.customerId)).toMatchObject({ VatId: 'DE999999999', Address: { City: 'Passau' } });
    ctx.hubspot.store.update('companies', linked.company.id, { billwerk_vat_id: '', city: '' });
    await send(linked.feed);
    const customer = await linked.billwerk.getCustomer(linked.customerId);
    expect(customer.VatId ?? null).toBeNull();
    expect(customer.Address?.City ?? null).toBeNull();
    expect(customer.Address?.PostalCode).toBe('80331');
  });

  it('syncs the customer a contact is linked to when only the contact changes', async () => {
    ctx.hubspot.store.update('contacts', linked.contact.id, { email: 'new.person@muster.example' });
    expect((await send(linked.feed)).status).toBe(200);
    expect((await linked.billwerk.getCustomer(linked.customerId)).EmailAddress).toBe('new.person@muster.example');
  });

  it('answers 401 to a bad signature and writes nothing', async () => {
    const otherApp = hubspotWebhooks(ctx, { clientSecret: 'not-the-client-secret' });
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Forged GmbH' });
    const before = { billwerk: billwerkCalls(), hubspot: ctx.hubspotWrites() };
    serveEndpoint(ctx, { alterBody: (body) => body.replace('Forged GmbH', 'Evil GmbH') });
    expect((await send(linked.feed)).status).toBe(401);
    serveEndpoint(ctx);
    expect((await send(otherApp)).status).toBe(401);
    // HubSpot does not retry a 401.
    expect([...linked.feed.pending(), ...otherApp.pending()]).toEqual([]);
    expect(billwerkCalls()).toBe(before.billwerk);
    expect(ctx.hubspotWrites()).toBe(before.hubspot);
    expect((await linked.billwerk.getCustomer(linked.customerId)).CompanyName).toBe('Old name');
  });

  it('answers 401 to a request signed more than 5 minutes ago', async () => {
    const late = hubspotWebhooks(ctx, { now: () => new Date(Date.now() - 6 * 60 * 1000) });
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Replayed GmbH' });
    const reply = await send(late);
    expect(reply.status).toBe(401);
    expect(customerPatches()).toBe(0);
  });

  it('ignores a company that is not linked to a billwerk customer', async () => {
    const unlinked = ctx.hubspot.seeded!.companies[1]!;
    ctx.hubspot.store.update('companies', unlinked.id, { name: 'Still unlinked AG' });
    const before = { billwerk: billwerkCalls(), hubspot: ctx.hubspotWrites() };
    const reply = await send(linked.feed);
    expect(reply).toMatchObject({ status: 200, body: { synced: 0, failed: 0 } });
    expect(billwerkCalls()).toBe(before.billwerk);
    expect(ctx.hubspotWrites()).toBe(before.hubspot);
    expect(props('companies', unlinked.id).billwerk_customer_sync_status).toBeUndefined();
  });

  it('does not sync again because of its own status write', async () => {
    // Someone subscribed the status properties by hand: HubSpot then reports the connector's own writes too.
    const handSubscribed = hubspotWebhooks(ctx, {
      subscriptions: CUSTOMER_STATUS_PROPERTIES.map((propertyName) => ({
        subscriptionType: 'object.propertyChange',
        objectType: 'company',
        propertyName,
        active: true,
      })),
    });
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Loop Test GmbH' });
    expect((await send(linked.feed)).status).toBe(200);
    expect(props('companies', linked.company.id).billwerk_customer_sync_status).toBe('SuccessfullyUpdated');
    // The status properties are not subscribed, so HubSpot sends nothing for our write ...
    expect(linked.feed.pending()).toEqual([]);
    // ... and when they are, the endpoint does not act on the echo of its own write.
    expect(handSubscribed.pending()).toContainEqual(
      expect.objectContaining({
        propertyName: 'billwerk_customer_sync_status',
        propertyValue: 'SuccessfullyUpdated',
        changeSource: 'INTEGRATION',
      }),
    );
    const before = { billwerk: billwerkCalls(), hubspot: ctx.hubspotWrites() };
    expect((await send(handSubscribed)).status).toBe(200);
    expect(billwerkCalls()).toBe(before.billwerk);
    expect(ctx.hubspotWrites()).toBe(before.hubspot);
  });

  it('after a failed sync, fixing the field sends everything, including edits made while it was failing', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, { zip: '' });
    expect((await send(linked.feed)).status).toBe(200);
    expect(props('companies', linked.company.id)).toMatchObject({ billwerk_customer_sync_status: 'UpdateFailed' });
    expect(props('companies', linked.company.id).billwerk_customer_sync_error).toContain('Postal Code');
    expect(props('contacts', linked.contact.id)).toMatchObject({ billwerk_customer_sync_status: 'UpdateFailed' });
    expect(customerPatches()).toBe(0);

    // Edits while failing: still refused (postal code missing), nothing reaches billwerk yet.
    ctx.hubspot.store.update('companies', linked.company.id, { city: 'Augsburg' });
    ctx.hubspot.store.update('contacts', linked.contact.id, { phone: '+49 821 555' });
    await send(linked.feed);
    expect(customerPatches()).toBe(0);

    ctx.hubspot.store.update('companies', linked.company.id, { zip: '86150' });
    await send(linked.feed);
    const customer = await linked.billwerk.getCustomer(linked.customerId);
    expect(customer).toMatchObject({
      CompanyName: 'Muster Software GmbH',
      PhoneNumber: '+49 821 555',
      EmailAddress: 'erika.mustermann@muster-software.example',
      Address: { PostalCode: '86150', City: 'Augsburg', Street: 'Musterstraße', HouseNumber: '12', Country: 'DE' },
    });
    for (const [type, id] of [
      ['companies', linked.company.id],
      ['contacts', linked.contact.id],
    ] as const) {
      expect(props(type, id).billwerk_customer_sync_status).toBe('SuccessfullyUpdated');
      expect(props(type, id).billwerk_customer_sync_error).toBeUndefined();
    }
  });

  it('refuses EInvoicing without receiver id on the record, naming the field', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, {
      billwerk_default_bearer_medium: 'EInvoicing',
      billwerk_einvoicing_network: 'Finvoice',
      billwerk_buyer_reference: 'B-1',
    });
    await send(linked.feed);
    expect(props('companies', linked.company.id).billwerk_customer_sync_error).toContain(
      'E-Invoicing Receiver ID is required for EInvoicing.',
    );
    expect(customerPatches()).toBe(0);
  });

  it('refuses to sync a company and contact in different entities', async () => {
    ctx.hubspot.store.update('contacts', linked.contact.id, { billwerk_entity: DEMO_ENTITIES[1]!.id });
    await send(linked.feed);
    expect(props('contacts', linked.contact.id).billwerk_customer_sync_error).toMatch(/both must share one entity/);
    expect(customerPatches()).toBe(0);
  });

  it('asks HubSpot to retry (503) when HubSpot itself fails, and the retry syncs', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Retry GmbH' });
    ctx.hubspot.simulator.failNext(20, 503);
    expect((await send(linked.feed)).status).toBe(503);
    ctx.hubspot.simulator.clearFaults();
    const retried = await send(linked.feed);
    expect(retried.status).toBe(200);
    expect(linked.feed.deliveries.map((d) => d.attemptNumber)).toEqual([0, 1]);
    expect((await linked.billwerk.getCustomer(linked.customerId)).CompanyName).toBe('Retry GmbH');
  });

  it('records a billwerk outage on the record in plain words, asks HubSpot to redeliver, and Sync now repairs it', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Outage GmbH' });
    ctx.billwerk.simulator.failNext(20, 503, { match: /customers/i });
    expect((await send(linked.feed)).status).toBe(503);
    expect(props('companies', linked.company.id).billwerk_customer_sync_status).toBe('UpdateFailed');
    expect(props('companies', linked.company.id).billwerk_customer_sync_error).toMatch(/^billwerk could not be reached/);
    ctx.billwerk.simulator.clearFaults();
    const outcome = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: linked.company.id } });
    expect(outcome).toMatchObject({ ok: true, value: { status: 'synced', changed: true } });
    expect((await linked.billwerk.getCustomer(linked.customerId)).CompanyName).toBe('Outage GmbH');
    expect(props('companies', linked.company.id).billwerk_customer_sync_status).toBe('SuccessfullyUpdated');
  });

  it('records a billwerk rejection without asking HubSpot to redeliver', async () => {
    ctx.hubspot.store.update('companies', linked.company.id, { billwerk_vat_id: 'XX-not-a-vat-id' });
    ctx.billwerk.simulator.failNext(1, 422, { match: /customers/i, body: { Message: 'VatId is invalid' } });
    expect((await send(linked.feed)).status).toBe(200);
    expect(props('companies', linked.company.id).billwerk_customer_sync_error).toMatch(/^billwerk rejected the customer update/);
  });

  it('sends nothing when a repeated delivery changes nothing', async () => {
    serveEndpoint(ctx, { lostAnswers: 1 });
    ctx.hubspot.store.update('companies', linked.company.id, { name: 'Once GmbH' });
    expect((await send(linked.feed)).status).toBe(0); // synced, but HubSpot never heard back ...
    expect((await linked.billwerk.getCustomer(linked.customerId)).CompanyName).toBe('Once GmbH');
    const patches = customerPatches();
    const writes = ctx.hubspotWrites();
    expect((await send(linked.feed)).status).toBe(200); // ... so it delivers the same events again
    expect(customerPatches()).toBe(patches);
    expect(ctx.hubspotWrites()).toBe(writes);
  });
});

describe('card functions', () => {
  it('list_entities names the configured entities and never returns keys or secrets', async () => {
    const outcome = await ctx.runFunction(listEntitiesMain);
    expect(outcome).toEqual({
      ok: true,
      value: {
        entities: DEMO_ENTITIES.map(({ id, name }) => ({ id, name })),
        environment: 'sandbox',
        webAppUrl: new URL(ctx.env.BILLWERK_BASE_URL!).origin,
      },
    });
    const text = JSON.stringify(outcome);
    for (const value of [...DEMO_ENTITIES.map((e) => e.publicApiKey!), ctx.env.BILLWERK_CLIENT_SECRET!, ctx.env.BILLWERK_CLIENT_ID!])
      expect(text).not.toContain(value);
  });

  it('Sync now pushes the whole current state and reports it', async () => {
    const linked = await linkedCustomer();
    const outcome = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: linked.company.id } });
    expect(outcome).toEqual({
      ok: true,
      value: { status: 'synced', customerId: linked.customerId, entityId: linked.company.entityId, changed: true },
    });
    expect(await linked.billwerk.getCustomer(linked.customerId)).toMatchObject({
      CompanyName: 'Muster Software GmbH',
      FirstName: 'Erika',
      LastName: 'Mustermann',
      Address: { PostalCode: '80331', City: 'München' },
    });
  });

  it('Sync now on an unlinked contact says so and writes nothing', async () => {
    const contact = ctx.hubspot.seeded!.contacts[1]!;
    const writes = ctx.hubspotWrites();
    const outcome = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'contacts', objectId: contact.id } });
    expect(outcome).toEqual({ ok: true, value: { status: 'not-linked' } });
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('update_dispatch_mode refuses EInvoicing without receiver id, naming the field, and writes nothing', async () => {
    const linked = await linkedCustomer();
    const writes = ctx.hubspotWrites();
    const outcome = await ctx.runFunction(updateDispatchModeMain, {
      parameters: { companyId: linked.company.id, mode: 'EInvoicing', eInvoicingNetwork: 'Peppol', buyerReference: 'PO-1' },
    });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        {
          record: 'company "Muster Software GmbH"',
          field: 'E-Invoicing Receiver ID',
          message: 'E-Invoicing Receiver ID is required for EInvoicing.',
        },
      ],
    });
    expect(ctx.hubspotWrites()).toBe(writes);
    expect(props('companies', linked.company.id).billwerk_default_bearer_medium).toBe('Email');
  });

  it('update_dispatch_mode refuses SnailMail on the sandbox', async () => {
    const linked = await linkedCustomer();
    const outcome = await ctx.runFunction(updateDispatchModeMain, { parameters: { companyId: linked.company.id, mode: 'SnailMail' } });
    expect(outcome).toMatchObject({ ok: false, problems: [{ field: 'Default bearer medium' }] });
  });

  it('update_dispatch_mode saves EInvoicing and sends it to billwerk at once', async () => {
    const linked = await linkedCustomer();
    const outcome = await ctx.runFunction(updateDispatchModeMain, {
      parameters: {
        companyId: linked.company.id,
        mode: 'EInvoicing',
        eInvoicingReceiverId: '003712345678',
        eInvoicingNetwork: 'Finvoice',
        buyerReference: 'REF-9',
      },
    });
    expect(outcome).toMatchObject({ ok: true, value: { saved: true, sync: { ok: true, value: { status: 'synced' } } } });
    expect(await linked.billwerk.getCustomer(linked.customerId)).toMatchObject({
      DefaultBearerMedium: 'EInvoicing',
      EInvoicingReceiverId: '003712345678',
      EInvoicingNetwork: 'Finvoice',
      BuyerReference: 'REF-9',
    });
  });

  it('set_entity refuses a contact entity that differs from its company, naming the company; both can move together', async () => {
    const contact = ctx.hubspot.seeded!.contacts[0]!;
    const company = ctx.hubspot.seeded!.companies[0]!;
    const other = DEMO_ENTITIES[1]!;
    const refused = await ctx.runFunction(setEntityMain, {
      parameters: { objectType: 'contacts', objectId: contact.id, entityId: other.id },
    });
    expect(refused).toMatchObject({
      ok: false,
      problems: [{ field: 'Entity', message: expect.stringContaining('company "Muster Software GmbH" is in entity Demo Software GmbH') }],
    });
    expect(props('contacts', contact.id).billwerk_entity).toBe(company.entityId);

    const moved = await ctx.runFunction(setEntityMain, {
      parameters: { objectType: 'contacts', objectId: contact.id, entityId: other.id, includeAssociated: true },
    });
    expect(moved).toMatchObject({ ok: true, value: { entityId: other.id, entityName: other.name } });
    expect(props('contacts', contact.id).billwerk_entity).toBe(other.id);
    expect(props('companies', company.id).billwerk_entity).toBe(other.id);
  });

  it('set_entity keeps the entity of a record linked to a billwerk customer', async () => {
    const linked = await linkedCustomer();
    const outcome = await ctx.runFunction(setEntityMain, {
      parameters: { objectType: 'companies', objectId: linked.company.id, entityId: DEMO_ENTITIES[1]!.id, includeAssociated: true },
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ field: 'Entity', message: expect.stringContaining('its entity cannot change') }],
    });
  });
});
