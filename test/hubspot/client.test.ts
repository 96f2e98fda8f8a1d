import { Client } from '@hubspot/api-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEAL, propertyCatalog, PROPERTY_GROUPS } from '../../src/core/catalog.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { noPacing, RateLimitPacer, SEARCH_RATE_LIMIT } from '../../src/core/hubspot/limiter.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { fakeClock, useHubSpot, type Harness } from './support.js';

const hub = useHubSpot({ seed: true });
let h: Harness;
beforeEach(() => {
  h = hub.reset();
});

const products = (n: number, prefix = 'Plan') =>
  Array.from({ length: n }, (_, i) => ({ properties: { name: `${prefix} ${i}`, price: String(i), hs_sku: `SKU-${i}` } }));

describe('batch calls', () => {
  it('creates 250 products in three calls of at most 100 and returns them in input order', async () => {
    const created = await h.hubspot.batchCreate('products', products(250));

    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(3);
    expect(h.sim.simulator.calls.map((c) => (c.body as { inputs?: unknown[] })?.inputs?.length).filter(Boolean)).toEqual([100, 100, 50]);
    expect(created.map((r) => r.properties.name)).toEqual(products(250).map((p) => p.properties.name));
    expect(h.sim.store.count('products')).toBe(250);
  });

  it('reads and updates in chunks, keeping input order and leaving out missing ids', async () => {
    const created = await h.hubspot.batchCreate('products', products(130));
    const ids = created.map((r) => r.id).reverse();

    const read = await h.hubspot.batchRead('products', [...ids, '999999'], ['name']);
    expect(read.map((r) => r.id)).toEqual(ids);

    const updated = await h.hubspot.batchUpdate(
      'products',
      ids.map((id, i) => ({ id, properties: { price: String(1000 + i) } })),
    );
    expect(updated.map((r) => r.id)).toEqual(ids);
    expect(h.sim.store.get('products', ids[5]!)?.properties.price).toBe('1005');
    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/batch/update')).toBe(2);
  });

  it('archives in chunks', async () => {
    const created = await h.hubspot.batchCreate('products', products(120));
    await h.hubspot.batchArchive(
      'products',
      created.map((r) => r.id),
    );
    expect(h.sim.store.count('products')).toBe(0);
    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/batch/archive')).toBe(2);
  });

  it('the simulator rejects more than 100 inputs like HubSpot', async () => {
    const response = await h.sim.simulator.handle(
      new Request('https://api.hubapi.com/crm/v3/objects/products/batch/create', {
        method: 'POST',
        headers: { authorization: 'Bearer sim-hubspot-token', 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: products(101).map((p) => ({ ...p, associations: [] })) }),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    expect(h.sim.store.count('products')).toBe(0);
  });

  it('a batch update naming a deleted record fails with the missing id, not silently', async () => {
    const [a, b] = await h.hubspot.batchCreate('products', products(2));
    await h.hubspot.batchArchive('products', [b!.id]);
    const error = await h.hubspot
      .batchUpdate('products', [
        { id: a!.id, properties: { price: '5' } },
        { id: b!.id, properties: { price: '6' } },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect((error as HubSpotApiError).info.context).toMatchObject({ ids: [b!.id] });
  });
});

describe('batch read by a unique-value property', () => {
  it('finds records by their owner value in chunks of 100, matched by value whatever the answer order, missing values left out', async () => {
    const deals = await h.hubspot.batchCreate(
      'deals',
      Array.from({ length: 120 }, (_, i) => ({ properties: { dealname: `D${i}`, [DEAL.ownedContractId]: `ctr-${i}` } })),
    );
    const values = [...deals.map((_, i) => `ctr-${i}`).reverse(), 'ctr-nobody'];

    const read = await h.hubspot.batchReadByProperty('deals', DEAL.ownedContractId, values, ['dealname']);

    expect(read.map((d) => d.properties.dealname)).toEqual(deals.map((_, i) => `D${i}`).reverse());
    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/batch/read')).toBe(2);
    const reads = h.sim.simulator.calls
      .filter((c) => c.path.endsWith('/batch/read'))
      .map((c) => c.body as { idProperty?: string; inputs: unknown[] });
    expect(reads.map((r) => [r.idProperty, r.inputs.length])).toEqual([
      [DEAL.ownedContractId, 100],
      [DEAL.ownedContractId, 21],
    ]);
    expect(h.sim.simulator.count(/\/search$/)).toBe(0);
  });

  it('a second deal cannot take a value another deal holds (400, nothing written); once released it can', async () => {
    const [first, second] = await h.hubspot.batchCreate('deals', [
      { properties: { dealname: 'First', [DEAL.ownedContractId]: 'ctr-1' } },
      { properties: { dealname: 'Second' } },
    ]);
    const taken = await h.hubspot
      .updateObject('deals', second!.id, { dealname: 'Second renamed', [DEAL.ownedContractId]: 'ctr-1' })
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(HubSpotApiError);
    expect(taken).toMatchObject({ status: 400, category: 'VALIDATION_ERROR' });
    expect(h.sim.store.get('deals', second!.id)!.properties.dealname).toBe('Second');

    await h.hubspot.updateObject('deals', first!.id, { [DEAL.ownedContractId]: '' });
    await h.hubspot.updateObject('deals', second!.id, { [DEAL.ownedContractId]: 'ctr-1' });
    expect((await h.hubspot.batchReadByProperty('deals', DEAL.ownedContractId, ['ctr-1'], ['dealname'])).map((d) => d.id)).toEqual([
      second!.id,
    ]);
  });
});

describe('search', () => {
  it('searchAll pages with `after` until every match is read', async () => {
    await h.hubspot.batchCreate('products', products(450));
    const all = await h.hubspot.searchAll('products', {
      filterGroups: [{ filters: [{ propertyName: 'name', operator: 'CONTAINS_TOKEN', value: 'Plan' }] }],
      properties: ['name', 'price'],
      sorts: [{ propertyName: 'price', direction: 'DESCENDING' }],
    });
    expect(all).toHaveLength(450);
    expect(all[0]!.properties.price).toBe('449');
    expect(all.at(-1)!.properties.price).toBe('0');
    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/search')).toBe(3);
  });

  it('search returns the first page and the total', async () => {
    await h.hubspot.batchCreate('products', products(30));
    const page = await h.hubspot.search('products', {
      filterGroups: [{ filters: [{ propertyName: 'price', operator: 'GTE', value: '10' }] }],
      properties: ['name'],
      limit: 5,
    });
    expect(page.total).toBe(20);
    expect(page.results).toHaveLength(5);
  });

  it('searchAll stops at the 10,000 result cap with a warning', async () => {
    // 50 pages under HubSpot's search limit: paced on a fake clock, so the test does not wait 10 s.
    const clock = fakeClock();
    h = hub.reset({ seed: true, now: clock.now });
    const client = h.client({
      searchLimiter: new RateLimitPacer({ ...SEARCH_RATE_LIMIT, now: clock.now, sleep: clock.sleep }),
      limiter: noPacing,
    });
    const store = h.sim.store;
    for (let i = 0; i < 10_050; i++) store.create('products', { name: `Bulk ${i}` });
    const all = await client.searchAll('products', { filterGroups: [], properties: ['name'] });
    expect(all).toHaveLength(10_000);
    expect(h.logs.some((l) => l.level === 'warn' && /10,000/.test(l.message))).toBe(true);
    expect(h.sim.simulator.count('POST /crm/v3/objects/:objectType/search')).toBe(50);
  });
});

describe('records and associations', () => {
  it('getObject returns the deal with its company and contact ids in one call', async () => {
    const deal = h.sim.seeded!.signupDeal;
    const record = await h.hubspot.getObject('deals', deal.id, ['dealname', DEAL.entity], ['companies', 'contacts', 'line_items']);
    expect(record.properties[DEAL.entity]).toBe(DEMO_ENTITIES[0]!.id);
    expect(record.associations).toEqual({ companies: [deal.companyId], contacts: [deal.contactId], line_items: [] });
    expect(h.sim.simulator.calls).toHaveLength(1);
  });

  it('creates with inline associations, associates by default type and lists associations', async () => {
    const product = h.sim.store.create('products', { name: 'Pro', price: '49', hs_sku: 'PRO', recurringbillingfrequency: 'monthly' });
    const deal = h.sim.seeded!.signupDeal;
    const item = await h.hubspot.createObject('line_items', { hs_product_id: product.id, quantity: '2' }, [
      { toType: 'deals', toId: deal.id },
    ]);
    // HubSpot copies the product's fields onto the line item.
    expect(h.sim.store.get('line_items', item.id)?.properties).toMatchObject({
      name: 'Pro',
      price: '49',
      hs_sku: 'PRO',
      recurringbillingfrequency: 'monthly',
    });
    expect(await h.hubspot.listAssociations('deals', deal.id, 'line_items')).toEqual([item.id]);

    const company = h.sim.seeded!.companies[1]!.id;
    await h.hubspot.associate('deals', deal.id, 'companies', company);
    await h.hubspot.associate('deals', deal.id, 'companies', company);
    expect(await h.hubspot.listAssociations('deals', deal.id, 'companies')).toEqual([deal.companyId, company]);
    expect(await h.hubspot.listAssociations('companies', company, 'deals')).toEqual([deal.id]);
  });

  it('adds a note to the deal timeline', async () => {
    const deal = h.sim.seeded!.signupDeal;
    const at = new Date('2026-03-01T10:00:00Z');
    const note = await h.hubspot.createNote('Contract <b>created</b>', { type: 'deals', id: deal.id }, at);
    expect(h.sim.store.get('notes', note.id)?.properties).toMatchObject({
      hs_note_body: 'Contract <b>created</b>',
      hs_timestamp: at.toISOString(),
    });
    expect(h.sim.store.associations('deals', deal.id, 'notes')).toEqual([note.id]);
  });

  it('writing a property that does not exist fails with HubSpot’s validation error naming it', async () => {
    const error = await h.hubspot.updateObject('deals', h.sim.seeded!.signupDeal.id, { no_such_property: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 400, category: 'VALIDATION_ERROR' });
    expect((error as HubSpotApiError).invalidProperties).toEqual(['no_such_property']);
    expect(h.sim.simulator.calls).toHaveLength(1);
  });

  it('an invalid option is rejected and nothing is written', async () => {
    const deal = h.sim.seeded!.signupDeal.id;
    const error = await h.hubspot.updateObject('deals', deal, { dealname: 'Renamed', [DEAL.validation]: 'Bogus' }).catch((e: unknown) => e);
    expect((error as HubSpotApiError).invalidProperties).toEqual([DEAL.validation]);
    expect(h.sim.store.get('deals', deal)?.properties.dealname).not.toBe('Renamed');
  });
});

describe('properties', () => {
  it('creates groups and properties of the catalog, answers 409 for a duplicate and undefined for a missing one', async () => {
    h = hub.reset({ seed: false });
    const def = propertyCatalog(DEMO_ENTITIES).find((p) => p.objectType === 'deals' && p.name === DEAL.validation)!;
    expect(await h.hubspot.getProperty('deals', def.name)).toBeUndefined();

    const group = PROPERTY_GROUPS.find((g) => g.objectType === 'deals')!;
    await h.hubspot.createPropertyGroup(group);
    expect((await h.hubspot.listPropertyGroups('deals')).map((g) => g.name)).toContain(group.name);

    const created = await h.hubspot.createProperty(def);
    expect(created.options.map((o) => o.value)).toEqual(def.options!.map((o) => o.value));
    const duplicate = await h.hubspot.createProperty(def).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ status: 409 });
    expect(h.sim.simulator.count('POST /crm/v3/properties/:objectType')).toBe(2);

    const owner = propertyCatalog(DEMO_ENTITIES).find((p) => p.objectType === 'deals' && p.name === DEAL.ownedContractId)!;
    expect(await h.hubspot.createProperty(owner)).toMatchObject({ hasUniqueValue: true });
    expect(await h.hubspot.getProperty('deals', DEAL.validation)).toMatchObject({ hasUniqueValue: false });

    const relabelled = await h.hubspot.updateProperty({ ...def, label: 'Validation status' });
    expect(relabelled.label).toBe('Validation status');
    expect((await h.hubspot.getProperty('deals', def.name))?.label).toBe('Validation status');
    expect((await h.hubspot.listProperties('deals')).map((p) => p.name)).toEqual(
      expect.arrayContaining(['dealname', 'dealstage', def.name]),
    );
  });
});

describe('auth and failures', () => {
  it('a bad token gets a typed 401 that does not contain the token', async () => {
    const bad = h.client({ token: 'pat-na1-secret-token-value' });
    const error = await bad.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 401, category: 'INVALID_AUTHENTICATION' });
    expect(String((error as Error).message)).not.toContain('pat-na1-secret-token-value');
    expect(JSON.stringify(error)).not.toContain('pat-na1-secret-token-value');
    expect(h.sim.simulator.calls).toHaveLength(1);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    h.sim.simulator.failNext(2, 429, {
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });
    const deal = await h.hubspot.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname']);
    expect(deal.id).toBe(h.sim.seeded!.signupDeal.id);
    expect(h.sim.simulator.calls.map((c) => c.status)).toEqual([429, 429, 200]);
    // failNext answers without Retry-After: the client waits at least a second (HubSpot's secondly limit).
    expect(h.sleeps).toHaveLength(2);
    expect(h.sleeps.every((ms) => ms >= 1000)).toBe(true);
  });

  it('waits exactly what the rate limiter asks for', async () => {
    let t = 0;
    h = hub.reset({ seed: true, now: () => t });
    h.sim.simulator.rateLimit = { limit: 2, windowMs: 10_000 };
    const client = h.client({
      limiter: { acquire: async () => {}, observe: () => {} },
      sleep: async (ms) => void (h.sleeps.push(ms), (t += ms)),
    });
    const id = h.sim.seeded!.signupDeal.id;
    for (let i = 0; i < 3; i++) await client.getObject('deals', id, ['dealname']);
    expect(h.sim.simulator.calls.map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(h.sleeps).toEqual([10_000]);
  });

  it('retries 5xx and network errors on reads, then succeeds', async () => {
    h.sim.simulator.failNext(1, 502);
    h.sim.simulator.dropNext(1);
    const deal = await h.hubspot.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname']);
    expect(deal.properties.dealname).toBeTruthy();
    expect(h.sim.simulator.calls.map((c) => c.status)).toEqual([502, 0, 200]);
    expect(h.logs.filter((l) => l.message.includes('retrying'))).toHaveLength(2);
  });

  it('a call that hangs times out and is retried', async () => {
    h.sim.simulator.timeoutNext(1, 1000);
    const client = h.client({ timeoutMs: 50 });
    const deal = await client.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname']);
    expect(deal.id).toBe(h.sim.seeded!.signupDeal.id);
    expect(h.logs.some((l) => l.message.includes('retrying') && l.context?.category === 'NETWORK_ERROR')).toBe(true);
  });

  it('gives up after the bounded number of retries with a typed error', async () => {
    h.sim.simulator.failNext(10, 503);
    const error = await h.hubspot.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 503 });
    expect(h.sim.simulator.calls).toHaveLength(5);
  });

  it('keeps exactly its own retry policy even when another api-client Client with retries is created later', async () => {
    const client = h.client({ retry: { retries: 0 } });
    new Client({ accessToken: 'other', numberOfApiCallRetries: 3 });
    h.sim.simulator.failNext(1, 500);
    await expect(client.getObject('deals', h.sim.seeded!.signupDeal.id, ['dealname'])).rejects.toMatchObject({ status: 500 });
    expect(h.sim.simulator.calls).toHaveLength(1);
  });

  it('does not repeat a create after a 5xx (the record may exist), but does after a 429', async () => {
    h.sim.simulator.failNext(1, 500);
    await expect(h.hubspot.createObject('products', { name: 'Once' })).rejects.toMatchObject({ status: 500 });
    expect(h.sim.simulator.calls).toHaveLength(1);

    h.sim.simulator.failNext(1, 429);
    await h.hubspot.createObject('products', { name: 'Twice' });
    expect(h.sim.simulator.calls.map((c) => c.status)).toEqual([500, 429, 201]);
  });
});
