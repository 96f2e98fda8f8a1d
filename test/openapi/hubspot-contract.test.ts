/**
 * The HubSpot simulator and the HubSpot client checked against HubSpot's published OpenAPI specs:
 * every route the simulator serves exists there; every request the client sends during a run of
 * every HubSpotApi method exists there with documented query parameters and a body valid against
 * the request schema; every simulator answer in that run matches the documented response schema.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAL, PRODUCT, PROPERTY_GROUPS, propertyCatalog } from '../../src/core/catalog.js';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS, SIM_HUBSPOT_BASE_URL } from '../../src/simulators/constants.js';
import { createHubSpotSimulator } from '../../src/simulators/hubspot/index.js';
import { hubspotRoutes } from '../../src/simulators/hubspot/routes.js';
import { HubSpotStore } from '../../src/simulators/hubspot/store.js';
import { mswHandlers } from '../../src/simulators/msw.js';
import { checkRequest, checkResponse, findOperation, findTemplate, SPECS_FOUND, type RecordedRequest } from './openapi.js';

describe.skipIf(!SPECS_FOUND)('simulator routes', () => {
  const routes = hubspotRoutes(new HubSpotStore(), { token: 'x' });

  it.each(routes.map((r) => [r.method, r.path]))('%s %s is documented by HubSpot', (method, path) => {
    expect(findTemplate(method, path), `${method} ${path}`).toBeDefined();
  });

  it('a route HubSpot does not have is caught', () => {
    expect(findTemplate('POST', '/crm/v3/objects/:objectType/batch/delete')).toBeUndefined();
    expect(findTemplate('GET', '/crm/v3/objects/:objectType/:objectId/associations')).toBeUndefined();
  });
});

/** Calls every HubSpotApi method once; the compiler insists that none is missing (the burst window makes no HTTP call). */
function representativeRun(sim: ReturnType<typeof createHubSpotSimulator>): {
  [K in Exclude<keyof HubSpotApi, 'burstWindow'>]: (api: HubSpotApi) => Promise<unknown>;
} {
  const deal = () => sim.seeded!.signupDeal;
  const def = propertyCatalog(DEMO_ENTITIES).find((p) => p.objectType === 'deals' && p.name === DEAL.validation)!;
  const group = PROPERTY_GROUPS.find((g) => g.objectType === 'products')!;
  let productIds: string[] = [];
  return {
    listPropertyGroups: (api) => api.listPropertyGroups('deals'),
    createPropertyGroup: (api) => api.createPropertyGroup({ ...group, name: 'billwerk_contract_test' }),
    listProperties: (api) => api.listProperties('deals'),
    getProperty: async (api) => [await api.getProperty('deals', def.name), await api.getProperty('deals', 'no_such_property')],
    createProperty: (api) => api.createProperty({ ...def, name: 'billwerk_contract_test_prop', groupName: 'billwerk' }),
    updateProperty: (api) => api.updateProperty({ ...def, label: 'Validation' }),
    getObject: (api) => api.getObject('deals', deal().id, ['dealname', DEAL.entity], ['companies', 'contacts', 'line_items']),
    batchCreate: async (api) =>
      (productIds = (
        await api.batchCreate('products', [{ properties: { name: 'A', price: '1' } }, { properties: { name: 'B', price: '2' } }])
      ).map((r) => r.id)),
    batchRead: (api) => api.batchRead('products', [...productIds, '424242'], ['name', 'price']),
    batchUpdate: (api) =>
      api.batchUpdate(
        'products',
        productIds.map((id) => ({ id, properties: { price: '3' } })),
      ),
    createObject: (api) =>
      api.createObject('line_items', { hs_product_id: productIds[0]!, quantity: '1' }, [{ toType: 'deals', toId: deal().id }]),
    updateObject: (api) =>
      api.updateObject('deals', deal().id, { dealstage: 'closedwon', [DEAL.ownedContractId]: 'contract-owned-by-the-deal' }),
    batchReadByProperty: (api) =>
      api.batchReadByProperty('deals', DEAL.ownedContractId, ['contract-owned-by-the-deal', 'contract-nobody-owns'], ['dealname']),
    search: (api) =>
      api.search('products', {
        filterGroups: [{ filters: [{ propertyName: 'price', operator: 'EQ', value: '3' }] }],
        properties: ['name'],
        sorts: [{ propertyName: 'name', direction: 'DESCENDING' }],
        limit: 1,
      }),
    searchAll: (api) =>
      api.searchAll('products', {
        filterGroups: [{ filters: [{ propertyName: 'name', operator: 'IN', values: ['A', 'B'] }] }],
        properties: ['name'],
        limit: 1,
      }),
    listAssociations: (api) => api.listAssociations('deals', deal().id, 'companies'),
    associate: (api) => api.associate('deals', deal().id, 'companies', sim.seeded!.companies[1]!.id),
    createNote: (api) => api.createNote('Contract created', { type: 'deals', id: deal().id }, new Date('2026-03-01T00:00:00Z')),
    batchUpsert: (api) => api.batchUpsert('products', PRODUCT.key, [{ id: 'entity:item-1', properties: { name: 'U', price: '1' } }]),
    listPage: (api) => api.listPage('products', { properties: ['name'], limit: 2 }),
    batchArchive: (api) => api.batchArchive('products', productIds),
  };
}

describe.skipIf(!SPECS_FOUND)('client requests and simulator answers in a run of every HubSpotApi method', () => {
  const sim = createHubSpotSimulator({ seed: true });
  const server = setupServer(...mswHandlers(sim.simulator, SIM_HUBSPOT_BASE_URL));
  const requests: Promise<RecordedRequest>[] = [];
  const responses: Promise<{ method: string; url: string; status: number; body: unknown }>[] = [];
  server.events.on('request:start', ({ request }) => {
    requests.push(
      request
        .clone()
        .text()
        .then((text) => ({ method: request.method, url: request.url, body: text ? JSON.parse(text) : undefined })),
    );
  });
  server.events.on('response:mocked', ({ request, response }) => {
    responses.push(
      response
        .clone()
        .text()
        .then((text) => ({ method: request.method, url: request.url, status: response.status, body: text ? JSON.parse(text) : undefined })),
    );
  });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  const api = createHubSpotClient({ PRIVATE_APP_ACCESS_TOKEN: SIM_CREDENTIALS.hubspotToken, HUBSPOT_API_BASE_URL: SIM_HUBSPOT_BASE_URL });
  let recorded: RecordedRequest[] = [];

  beforeAll(async () => {
    for (const call of Object.values(representativeRun(sim))) await call(api);
    recorded = await Promise.all(requests);
  });

  it('covers every HubSpotApi method with at least one request each', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(Object.keys(representativeRun(sim)).length);
  });

  it('every request exists in the specs with documented parameters and a valid body', () => {
    const problems = recorded.flatMap(checkRequest);
    expect(problems).toEqual([]);
  });

  it('every simulator answer matches the documented response schema', async () => {
    const answered = await Promise.all(responses);
    expect(answered.length).toBe(recorded.length);
    expect(answered.flatMap((r) => checkResponse(r.method, r.url, r.status, r.body))).toEqual([]);
  });
});

describe.skipIf(!SPECS_FOUND)('every simulator route answers as documented', () => {
  it('a raw request to each route gets a documented answer', async () => {
    const sim = createHubSpotSimulator({ seed: true });
    const { signupDeal, companies } = sim.seeded!;
    const product = sim.store.create('products', { name: 'P', price: '1' });
    sim.store.update('deals', signupDeal.id, { [DEAL.ownedContractId]: 'c-1' });
    const requests: { method: string; path: string; body?: unknown }[] = [
      {
        method: 'POST',
        path: '/crm/v3/objects/products/search',
        body: { filterGroups: [], properties: ['name'], sorts: ['name'], limit: 10, after: '0' },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/products/batch/read',
        body: { inputs: [{ id: product.id }], properties: ['name'], propertiesWithHistory: [] },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/deals/batch/read',
        body: { idProperty: DEAL.ownedContractId, inputs: [{ id: 'c-1' }], properties: ['dealname'], propertiesWithHistory: [] },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/products/batch/create',
        body: { inputs: [{ properties: { name: 'Q' }, associations: [] }] },
      },
      { method: 'POST', path: '/crm/v3/objects/products/batch/update', body: { inputs: [{ id: product.id, properties: { price: '2' } }] } },
      { method: 'GET', path: '/crm/v3/objects/deals?limit=1&properties=dealname&associations=companies' },
      { method: 'POST', path: '/crm/v3/objects/products', body: { properties: { name: 'R' }, associations: [] } },
      { method: 'GET', path: `/crm/v3/objects/deals/${signupDeal.id}?properties=dealname&associations=companies` },
      { method: 'PATCH', path: `/crm/v3/objects/deals/${signupDeal.id}`, body: { properties: { dealname: 'Renamed' } } },
      { method: 'GET', path: `/crm/v4/objects/deals/${signupDeal.id}/associations/companies?limit=500` },
      { method: 'PUT', path: `/crm/v4/objects/deals/${signupDeal.id}/associations/default/companies/${companies[1]!.id}` },
      {
        method: 'PUT',
        path: `/crm/v4/objects/deals/${signupDeal.id}/associations/companies/${companies[1]!.id}`,
        body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }],
      },
      { method: 'POST', path: '/crm/v4/associations/deals/companies/batch/read', body: { inputs: [{ id: signupDeal.id }] } },
      {
        method: 'POST',
        path: '/crm/v4/associations/deals/contacts/batch/associate/default',
        body: { inputs: [{ from: { id: signupDeal.id }, to: { id: sim.seeded!.contacts[1]!.id } }] },
      },
      { method: 'DELETE', path: `/crm/v4/objects/deals/${signupDeal.id}/associations/companies/${companies[1]!.id}` },
      { method: 'GET', path: '/crm/v3/properties/deals/groups' },
      { method: 'POST', path: '/crm/v3/properties/deals/groups', body: { name: 'extra', label: 'Extra', displayOrder: -1 } },
      { method: 'GET', path: '/crm/v3/properties/deals/groups/extra' },
      { method: 'PATCH', path: '/crm/v3/properties/deals/groups/extra', body: { label: 'Extra 2' } },
      { method: 'GET', path: '/crm/v3/properties/deals' },
      {
        method: 'POST',
        path: '/crm/v3/properties/deals',
        body: {
          name: 'extra_flag',
          label: 'Flag',
          type: 'bool',
          fieldType: 'booleancheckbox',
          groupName: 'extra',
          options: [
            { label: 'Yes', value: 'true', hidden: false },
            { label: 'No', value: 'false', hidden: false },
          ],
        },
      },
      { method: 'GET', path: '/crm/v3/properties/deals/extra_flag' },
      { method: 'PATCH', path: '/crm/v3/properties/deals/extra_flag', body: { label: 'Flagged' } },
      { method: 'GET', path: '/crm/v3/pipelines/deals' },
      { method: 'GET', path: '/crm/v3/pipelines/deals/default' },
      {
        method: 'POST',
        path: '/crm/v3/objects/products/batch/upsert',
        body: {
          inputs: [
            { id: 'e:item', idProperty: PRODUCT.key, properties: { name: 'S' } },
            { id: 'e:other', idProperty: PRODUCT.key, properties: { name: 'T' } },
          ],
        },
      },
      { method: 'POST', path: '/crm/v3/objects/products/batch/archive', body: { inputs: [{ id: product.id }] } },
      { method: 'DELETE', path: `/crm/v3/objects/deals/${signupDeal.id}` },
    ];
    const problems: string[] = [];
    for (const r of requests) {
      const url = `${SIM_HUBSPOT_BASE_URL}${r.path}`;
      problems.push(...checkRequest({ method: r.method, url, body: r.body }));
      const response = await sim.simulator.handle(
        new Request(url, {
          method: r.method,
          body: r.body === undefined ? undefined : JSON.stringify(r.body),
          headers: { authorization: `Bearer ${SIM_CREDENTIALS.hubspotToken}`, 'content-type': 'application/json' },
        }),
      );
      const text = await response.text();
      if (response.status >= 400) problems.push(`${r.method} ${r.path} → ${response.status} ${text}`);
      problems.push(...checkResponse(r.method, url, response.status, text ? JSON.parse(text) : undefined));
    }
    expect(problems).toEqual([]);
    const served = new Set(sim.simulator.calls.map((c) => c.route));
    const all = hubspotRoutes(sim.store, { token: 'x' }).map((r) => `${r.method} ${r.path}`);
    expect(all.filter((route) => !served.has(route))).toEqual([]);
  });
});

describe.skipIf(!SPECS_FOUND)('the checks fail on wrong requests and answers', () => {
  const base = 'https://api.hubapi.com';

  it('an undocumented path or query parameter', () => {
    expect(checkRequest({ method: 'POST', url: `${base}/crm/v3/objects/deals/batch/delete`, body: { inputs: [] } })).toHaveLength(1);
    expect(checkRequest({ method: 'GET', url: `${base}/crm/v3/objects/deals/1?props=dealname` })).toEqual([
      expect.stringContaining('props'),
    ]);
  });

  it('a batch create without the required associations array', () => {
    const problems = checkRequest({
      method: 'POST',
      url: `${base}/crm/v3/objects/products/batch/create`,
      body: { inputs: [{ properties: { name: 'A' } }] },
    });
    expect(problems).toEqual([expect.stringContaining('$.inputs[0].associations: required')]);
  });

  it('a search body with a misspelt field, object sorts and a numeric value', () => {
    const problems = checkRequest({
      method: 'POST',
      url: `${base}/crm/v3/objects/deals/search`,
      body: {
        filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GT', value: 5 }] }],
        propertys: ['x'],
        properties: [],
        sorts: [{ propertyName: 'amount' }],
        limit: 10,
        after: '0',
      },
    });
    expect(problems.join('\n')).toMatch(/value: expected a string/);
    expect(problems.join('\n')).toMatch(/propertys: not in the schema/);
    expect(problems.join('\n')).toMatch(/sorts\[0\]: expected a string/);
  });

  it('a property create with an unknown field type', () => {
    const problems = checkRequest({
      method: 'POST',
      url: `${base}/crm/v3/properties/deals`,
      body: { name: 'x', label: 'X', type: 'string', fieldType: 'dropdown', groupName: 'g' },
    });
    expect(problems).toEqual([expect.stringContaining('fieldType')]);
  });

  it('an answer with a wrong type or a missing required field', () => {
    const url = `${base}/crm/v4/objects/deals/1/associations/companies`;
    expect(checkResponse('GET', url, 200, { results: [{ toObjectId: 5, associationTypes: [] }] })).toEqual([
      expect.stringContaining('toObjectId'),
    ]);
    expect(checkResponse('GET', `${base}/crm/v3/objects/deals/1`, 200, { id: '1', properties: {} })).toHaveLength(3);
  });

  it('resolves literal routes before parameters', () => {
    expect(findOperation('GET', '/crm/v3/properties/deals/groups')?.path).toBe('/crm/v3/properties/{objectType}/groups');
    expect(findOperation('GET', '/crm/v3/properties/deals/dealname')?.path).toBe('/crm/v3/properties/{objectType}/{propertyName}');
  });
});
