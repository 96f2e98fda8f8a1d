/**
 * The simulated portal's behaviour that features depend on, through the client (HTTP) where a
 * feature would see it, through the store where tests and benchmarks use it directly.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { COMPANY, DEAL, PRODUCT } from '../../src/core/catalog.js';
import type { Filter } from '../../src/core/hubspot/api.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type ChangeEvent } from '../../src/simulators/hubspot/index.js';
import { useHubSpot, type Harness } from './support.js';

const hub = useHubSpot({ seed: true });
let h: Harness;
beforeEach(() => {
  h = hub.reset();
});

describe('seed and catalog', () => {
  it('seeds a company per entity with a full address, one without postal code, contacts and a signup deal', () => {
    const { companies, contacts, signupDeal } = h.sim.seeded!;
    expect(companies.map((c) => c.entityId)).toEqual([...DEMO_ENTITIES.map((e) => e.id), DEMO_ENTITIES[0]!.id]);
    const full = h.sim.store.get('companies', companies[0]!.id)!.properties;
    for (const name of ['name', 'address', 'zip', 'city', 'country', COMPANY.street, COMPANY.houseNumber, COMPANY.entity])
      expect(full[name], name).toBeTruthy();
    expect(h.sim.store.get('companies', companies[2]!.id)!.properties.zip).toBeUndefined();
    expect(h.sim.store.associations('contacts', contacts[0]!.id, 'companies')).toEqual([companies[0]!.id]);
    expect(h.sim.store.associations('deals', signupDeal.id, 'companies')).toEqual([signupDeal.companyId]);
    expect(h.sim.store.associations('deals', signupDeal.id, 'contacts')).toEqual([signupDeal.contactId]);
    expect(h.sim.store.get('deals', signupDeal.id)!.properties[DEAL.entity]).toBe(DEMO_ENTITIES[0]!.id);
  });

  it('without the catalog only HubSpot’s standard properties exist', async () => {
    h = hub.reset({ seed: false });
    expect(await h.hubspot.getProperty('deals', DEAL.validation)).toBeUndefined();
    expect(await h.hubspot.getProperty('deals', 'dealname')).toMatchObject({ name: 'dealname', hubspotDefined: true });
    await expect(h.hubspot.createObject('deals', { dealname: 'X', [DEAL.entity]: 'e' })).rejects.toMatchObject({ status: 400 });
  });

  it('seeding without the catalog writes the standard fields only', () => {
    const sim = createHubSpotSimulator({ seed: true, installCatalog: false });
    const company = sim.store.get('companies', sim.seeded!.companies[0]!.id)!;
    expect(company.properties.name).toBe('Muster Software GmbH');
    expect(company.properties[COMPANY.street]).toBeUndefined();
  });
});

describe('records', () => {
  it('returns properties as strings, null when unset, with HubSpot’s system properties', async () => {
    const created = await h.hubspot.createObject('deals', { dealname: 'Numbers', amount: '1200.50', dealstage: 'closedwon' });
    const read = await h.hubspot.getObject('deals', created.id, ['dealname', 'amount', 'closedate', 'hs_is_closed_won', 'pipeline']);
    expect(read.properties).toMatchObject({
      dealname: 'Numbers',
      amount: '1200.50',
      closedate: null,
      hs_is_closed_won: 'true',
      pipeline: 'default',
      hs_object_id: created.id,
    });
    expect(read.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('normalises dates and datetimes like HubSpot and rejects a date that is not midnight UTC', async () => {
    const deal = await h.hubspot.createObject('deals', {
      dealname: 'Dates',
      closedate: String(Date.UTC(2026, 2, 1, 12)),
      [DEAL.startDate]: String(Date.UTC(2026, 3, 1)),
    });
    const props = h.sim.store.get('deals', deal.id)!.properties;
    expect(props.closedate).toBe('2026-03-01T12:00:00.000Z');
    expect(props[DEAL.startDate]).toBe('2026-04-01');
    const error = await h.hubspot
      .updateObject('deals', deal.id, { [DEAL.startDate]: String(Date.UTC(2026, 3, 1, 5)) })
      .catch((e: unknown) => e);
    expect((error as HubSpotApiError).invalidProperties).toEqual([DEAL.startDate]);
  });

  it('refuses to write read-only properties', async () => {
    const error = await h.hubspot.updateObject('deals', h.sim.seeded!.signupDeal.id, { hs_is_closed_won: 'true' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect((error as HubSpotApiError).info.details?.[0]?.code).toBe('READ_ONLY_VALUE');
  });

  it('an empty string clears a property', async () => {
    const deal = h.sim.seeded!.signupDeal.id;
    await h.hubspot.updateObject('deals', deal, { amount: '' });
    expect((await h.hubspot.getObject('deals', deal, ['amount'])).properties.amount).toBeNull();
  });

  it('a missing record is a typed 404', async () => {
    await expect(h.hubspot.getObject('deals', '1', ['dealname'])).rejects.toMatchObject({ status: 404, category: 'OBJECT_NOT_FOUND' });
  });

  it('archiving removes the record from reads, searches and associations', async () => {
    const { signupDeal } = h.sim.seeded!;
    await h.hubspot.batchArchive('companies', [signupDeal.companyId]);
    expect(await h.hubspot.listAssociations('deals', signupDeal.id, 'companies')).toEqual([]);
    expect(await h.hubspot.batchRead('companies', [signupDeal.companyId], ['name'])).toEqual([]);
  });

  it('a line item for an unknown product is rejected', async () => {
    const error = await h.hubspot.createObject('line_items', { hs_product_id: '123', quantity: '1' }).catch((e: unknown) => e);
    expect((error as HubSpotApiError).invalidProperties).toEqual(['hs_product_id']);
  });

  it('notes need hs_timestamp, as in HubSpot', async () => {
    await expect(h.hubspot.createObject('notes', { hs_note_body: 'x' })).rejects.toMatchObject({ status: 400 });
  });

  it('inline associations with a type id that does not fit the pair are rejected', async () => {
    const response = await h.sim.simulator.handle(
      new Request('https://api.hubapi.com/crm/v3/objects/notes', {
        method: 'POST',
        headers: { authorization: 'Bearer sim-hubspot-token', 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: { hs_note_body: 'x', hs_timestamp: '2026-01-01T00:00:00Z' },
          associations: [
            { to: { id: h.sim.seeded!.signupDeal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
          ],
        }),
      }),
    );
    expect(response.status).toBe(400);
    expect(h.sim.store.count('notes')).toBe(0);
  });
});

describe('search', () => {
  const ids: Record<string, string> = {};
  beforeEach(() => {
    const make = (name: string, price: string, extra: Record<string, string> = {}) =>
      (ids[name] = h.sim.store.create('products', { name, price, ...extra }).id);
    make('Basic Monthly', '10', { hs_sku: 'BASIC-M', [PRODUCT.entity]: DEMO_ENTITIES[0]!.id });
    make('Pro Monthly', '49.5', { hs_sku: 'PRO-M', [PRODUCT.entity]: DEMO_ENTITIES[0]!.id });
    make('Pro Yearly', '499', { [PRODUCT.entity]: DEMO_ENTITIES[1]!.id });
    make('Setup fee', '100');
  });
  const names = async (filters: Filter[], more: Filter[][] = []) =>
    (
      await h.hubspot.searchAll('products', {
        filterGroups: [{ filters }, ...more.map((f) => ({ filters: f }))],
        properties: ['name'],
        sorts: [{ propertyName: 'name', direction: 'ASCENDING' }],
      })
    ).map((r) => r.properties.name);

  it.each<[string, Filter[], string[]]>([
    ['EQ is case-insensitive on text', [{ propertyName: 'name', operator: 'EQ', value: 'pro monthly' }], ['Pro Monthly']],
    [
      'NEQ includes records without the value',
      [{ propertyName: 'hs_sku', operator: 'NEQ', value: 'PRO-M' }],
      ['Basic Monthly', 'Pro Yearly', 'Setup fee'],
    ],
    ['GT compares numbers as numbers', [{ propertyName: 'price', operator: 'GT', value: '49.5' }], ['Pro Yearly', 'Setup fee']],
    ['LTE', [{ propertyName: 'price', operator: 'LTE', value: '49.5' }], ['Basic Monthly', 'Pro Monthly']],
    [
      'LT and GTE together',
      [
        { propertyName: 'price', operator: 'GTE', value: '10' },
        { propertyName: 'price', operator: 'LT', value: '100' },
      ],
      ['Basic Monthly', 'Pro Monthly'],
    ],
    ['IN', [{ propertyName: 'hs_sku', operator: 'IN', values: ['BASIC-M', 'PRO-M', 'NONE'] }], ['Basic Monthly', 'Pro Monthly']],
    ['NOT_IN', [{ propertyName: PRODUCT.entity, operator: 'NOT_IN', values: [DEMO_ENTITIES[0]!.id] }], ['Pro Yearly', 'Setup fee']],
    ['HAS_PROPERTY', [{ propertyName: 'hs_sku', operator: 'HAS_PROPERTY' }], ['Basic Monthly', 'Pro Monthly']],
    ['NOT_HAS_PROPERTY', [{ propertyName: PRODUCT.entity, operator: 'NOT_HAS_PROPERTY' }], ['Setup fee']],
    [
      'CONTAINS_TOKEN matches a whole word',
      [{ propertyName: 'name', operator: 'CONTAINS_TOKEN', value: 'monthly' }],
      ['Basic Monthly', 'Pro Monthly'],
    ],
    ['CONTAINS_TOKEN with a wildcard', [{ propertyName: 'name', operator: 'CONTAINS_TOKEN', value: 'year*' }], ['Pro Yearly']],
  ])('%s', async (_label, filters, expected) => {
    expect(await names(filters)).toEqual(expected);
  });

  it('filter groups are ORed', async () => {
    expect(
      await names(
        [{ propertyName: 'name', operator: 'EQ', value: 'Setup fee' }],
        [[{ propertyName: 'price', operator: 'EQ', value: '10' }]],
      ),
    ).toEqual(['Basic Monthly', 'Setup fee']);
  });

  it('sorts descending and by number', async () => {
    const sorted = await h.hubspot.searchAll('products', {
      filterGroups: [],
      properties: ['name'],
      sorts: [{ propertyName: 'price', direction: 'DESCENDING' }],
    });
    expect(sorted.map((r) => r.properties.name)).toEqual(['Pro Yearly', 'Setup fee', 'Pro Monthly', 'Basic Monthly']);
  });

  it('a filter on a property that does not exist is a 400', async () => {
    await expect(names([{ propertyName: 'nope', operator: 'EQ', value: 'x' }])).rejects.toMatchObject({ status: 400 });
  });

  it('refuses pages larger than 200 and paging past 10,000', async () => {
    const post = (body: unknown) =>
      h.sim.simulator.handle(
        new Request('https://api.hubapi.com/crm/v3/objects/products/search', {
          method: 'POST',
          headers: { authorization: 'Bearer sim-hubspot-token', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    expect((await post({ limit: 201 })).status).toBe(400);
    expect((await post({ limit: 10, after: '10000' })).status).toBe(400);
    expect((await post({ limit: 200, after: '0' })).status).toBe(200);
  });
});

describe('change listener', () => {
  it('reports creations and real changes with their source, not writes that change nothing', async () => {
    const events: ChangeEvent[] = [];
    const stop = h.sim.store.onChange((e) => events.push(e));
    const deal = h.sim.seeded!.signupDeal.id;

    await h.hubspot.updateObject('deals', deal, { dealstage: 'closedwon' });
    await h.hubspot.updateObject('deals', deal, { dealstage: 'closedwon' });
    h.sim.store.update('deals', deal, { dealname: 'Renamed by a rep' });
    stop();
    h.sim.store.update('deals', deal, { dealname: 'Not heard' });

    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'updated', objectType: 'deals', id: deal, source: 'API' });
    const changed = events[0]!.kind === 'updated' ? events[0]!.changes : [];
    expect(changed).toEqual(
      expect.arrayContaining([
        { name: 'dealstage', value: 'closedwon', previous: 'appointmentscheduled' },
        { name: 'hs_is_closed_won', value: 'true', previous: 'false' },
      ]),
    );
    expect(events[1]).toMatchObject({ kind: 'updated', source: 'CRM_UI', changes: [{ name: 'dealname', value: 'Renamed by a rep' }] });
  });
});

describe('unique-value properties', () => {
  const raw = (path: string, body: unknown) =>
    h.sim.simulator.handle(
      new Request(`https://api.hubapi.com${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer sim-hubspot-token', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  const owned = (value: string) =>
    h.sim.store
      .list('deals')
      .filter((d) => d.properties[DEAL.ownedContractId] === value)
      .map((d) => d.id);

  it('the catalog creates the owner property unique; a second holder of a value is refused with 400 and nothing is written', () => {
    expect(h.sim.store.property('deals', DEAL.ownedContractId)?.hasUniqueValue).toBe(true);
    const first = h.sim.store.create('deals', { dealname: 'First', [DEAL.ownedContractId]: 'ctr-1' });
    expect(() => h.sim.store.create('deals', { dealname: 'Second', [DEAL.ownedContractId]: 'ctr-1' })).toThrow();
    const other = h.sim.store.create('deals', { dealname: 'Other' });
    expect(() => h.sim.store.update('deals', other.id, { dealname: 'Renamed', [DEAL.ownedContractId]: 'ctr-1' })).toThrow();
    expect(h.sim.store.get('deals', other.id)!.properties.dealname).toBe('Other');
    // Keeping one's own value, and clearing, are fine.
    h.sim.store.update('deals', first.id, { dealname: 'First again', [DEAL.ownedContractId]: 'ctr-1' });
    h.sim.store.update('deals', first.id, { [DEAL.ownedContractId]: '' });
    h.sim.store.update('deals', other.id, { [DEAL.ownedContractId]: 'ctr-1' });
    expect(owned('ctr-1')).toEqual([other.id]);
  });

  it('batch create and update refuse a value held elsewhere or twice in the batch, writing none of the inputs', async () => {
    const holder = h.sim.store.create('deals', { dealname: 'Holder', [DEAL.ownedContractId]: 'ctr-9' });
    const twice = await raw('/crm/v3/objects/deals/batch/create', {
      inputs: [
        { properties: { dealname: 'A', [DEAL.ownedContractId]: 'ctr-2' }, associations: [] },
        { properties: { dealname: 'B', [DEAL.ownedContractId]: 'ctr-2' }, associations: [] },
      ],
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: expect.stringContaining(DEAL.ownedContractId),
    });
    const plain = h.sim.store.create('deals', { dealname: 'Plain' });
    const taken = await raw('/crm/v3/objects/deals/batch/update', {
      inputs: [
        { id: plain.id, properties: { dealname: 'Changed' } },
        { id: h.sim.seeded!.signupDeal.id, properties: { [DEAL.ownedContractId]: 'ctr-9' } },
      ],
    });
    expect(taken.status).toBe(400);
    expect(await taken.json()).toMatchObject({ errors: [{ code: 'VALUE_NOT_UNIQUE', context: { propertyName: [DEAL.ownedContractId] } }] });
    expect(h.sim.store.get('deals', plain.id)!.properties.dealname).toBe('Plain');
    expect(owned('ctr-9')).toEqual([holder.id]);
    expect(h.sim.store.list('deals').filter((d) => ['A', 'B'].includes(d.properties.dealname ?? ''))).toEqual([]);
  });

  it('batch read by idProperty finds the holder; a property that is not unique is refused like HubSpot does', async () => {
    const holder = h.sim.store.create('deals', { dealname: 'Holder', [DEAL.ownedContractId]: 'ctr-5', [DEAL.contractId]: 'ctr-5' });
    const found = await raw('/crm/v3/objects/deals/batch/read', {
      idProperty: DEAL.ownedContractId,
      inputs: [{ id: 'ctr-5' }, { id: 'ctr-none' }],
      properties: ['dealname'],
      propertiesWithHistory: [],
    });
    expect(found.status).toBe(207);
    expect(await found.json()).toMatchObject({
      results: [{ id: holder.id, properties: { dealname: 'Holder' } }],
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['ctr-none'] } }],
    });
    const notUnique = await raw('/crm/v3/objects/deals/batch/read', {
      idProperty: DEAL.contractId,
      inputs: [{ id: 'ctr-5' }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(notUnique.status).toBe(400);
    expect(await notUnique.json()).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('non-unique') });
  });

  it('at most 10 unique properties per object; an update cannot make a property unique', () => {
    for (let i = h.sim.store.listProperties('companies').filter((p) => p.hasUniqueValue).length; i < 10; i++) {
      h.sim.store.createProperty('companies', {
        name: `unique_${i}`,
        label: `Unique ${i}`,
        type: 'string',
        fieldType: 'text',
        groupName: 'companyinformation',
        hasUniqueValue: true,
      });
    }
    const tooMany = (() => {
      try {
        h.sim.store.createProperty('companies', {
          name: 'unique_11',
          label: 'One too many',
          type: 'string',
          fieldType: 'text',
          groupName: 'companyinformation',
          hasUniqueValue: true,
        });
      } catch (error) {
        return error;
      }
    })();
    expect(tooMany).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', message: expect.stringContaining('10 unique') } });
    expect(h.sim.store.property('companies', 'unique_11')).toBeUndefined();
    expect(h.sim.store.updateProperty('deals', DEAL.contractId, { hasUniqueValue: true }).hasUniqueValue).toBe(false);
  });
});

describe('scale', () => {
  it('holds 10,000 products and finds one by a connector property', () => {
    const sim = createHubSpotSimulator({ installCatalog: true });
    for (let i = 0; i < 10_000; i++) sim.store.create('products', { name: `Plan ${i}`, [PRODUCT.itemId]: `pv-${i}` });
    const found = sim.store.search('products', {
      filterGroups: [[{ propertyName: PRODUCT.itemId, operator: 'EQ', value: 'pv-9876' }]],
      sorts: [],
      limit: 10,
      offset: 0,
    });
    expect(found.total).toBe(1);
    expect(found.results[0]!.properties.name).toBe('Plan 9876');
  });
});

describe('auth', () => {
  it('answers 401 with HubSpot’s body when the Authorization header is missing', async () => {
    const response = await h.sim.simulator.handle(new Request('https://api.hubapi.com/crm/v3/objects/deals'));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      correlationId: expect.any(String),
      message: expect.any(String),
    });
  });

  it('a 401 is not retried', async () => {
    await expect(h.client({ token: 'wrong' }).listProperties('deals')).rejects.toBeInstanceOf(HubSpotApiError);
    expect(h.sim.simulator.calls).toHaveLength(1);
  });
});
