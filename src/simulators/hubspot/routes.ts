/**
 * HubSpot's CRM endpoints over the store, shaped like the public OpenAPI specs
 * (shared/hubspot-openapi: crm-objects-v3, crm-associations-v4, crm-properties-v3, crm-pipelines-v3).
 * Every route needs `Authorization: Bearer <private app token>`.
 */
import type { ObjectType } from '../../core/hubspot/api.js';
import type { Route, RouteHandler, RouteLimit, SimReply, SimRequest } from '../framework.js';
import { fail, invalid, notFound } from './errors.js';
import { DEFAULT_PIPELINE, OBJECT_TYPE_IDS, SINGULAR, associationTypes, toObjectType, type SimProperty } from './model.js';
import { toSorts, validateFilters } from './search.js';
import type { AssociationInput, HubSpotStore, PropertyInput, StoredRecord } from './store.js';

export interface HubSpotRouteOptions {
  /** The private app access token the simulator accepts. */
  token: string;
  /**
   * HubSpot does not promise batch results in input order. `reversed` (default) answers in reverse
   * order so callers that rely on the order fail in tests, not in production.
   */
  batchOrder?: 'input' | 'reversed';
  /** The search endpoints' own limit (HubSpot: 5 per second per account), on top of the burst limit. */
  searchLimit?: RouteLimit;
}

const BATCH_LIMIT = 100;
const SEARCH_PAGE_LIMIT = 200;
const SEARCH_RESULT_CAP = 10_000;
const WRITE = { source: 'API' } as const;

export function hubspotRoutes(store: HubSpotStore, options: HubSpotRouteOptions): Route[] {
  const auth =
    (handle: RouteHandler): RouteHandler =>
    (req) => {
      const header = req.headers.get('authorization');
      if (!header)
        return fail(
          401,
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        );
      if (header !== `Bearer ${options.token}`)
        return fail(401, 'INVALID_AUTHENTICATION', 'Authentication credentials are invalid: the private app access token is not valid.');
      return handle(req);
    };
  const order = <T>(items: T[]): T[] => (options.batchOrder === 'input' ? items : [...items].reverse());
  const route = (method: string, path: string, handle: RouteHandler): Route => ({ method, path, handle: auth(handle) });
  const objects = objectHandlers(store, order);
  const assoc = associationHandlers(store);
  const props = propertyHandlers(store);

  return [
    { ...route('POST', '/crm/v3/objects/:objectType/search', objects.search), limit: options.searchLimit },
    route('POST', '/crm/v3/objects/:objectType/batch/read', objects.batchRead),
    route('POST', '/crm/v3/objects/:objectType/batch/create', objects.batchCreate),
    route('POST', '/crm/v3/objects/:objectType/batch/update', objects.batchUpdate),
    route('POST', '/crm/v3/objects/:objectType/batch/archive', objects.batchArchive),
    route('POST', '/crm/v3/objects/:objectType/batch/upsert', objects.batchUpsert),
    route('GET', '/crm/v3/objects/:objectType', objects.list),
    route('POST', '/crm/v3/objects/:objectType', objects.create),
    route('GET', '/crm/v3/objects/:objectType/:objectId', objects.get),
    route('PATCH', '/crm/v3/objects/:objectType/:objectId', objects.update),
    route('DELETE', '/crm/v3/objects/:objectType/:objectId', objects.archive),

    route('GET', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', assoc.list),
    route('PUT', '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', assoc.putDefault),
    route('PUT', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', assoc.putLabelled),
    route('DELETE', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', assoc.remove),
    route('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', assoc.batchRead),
    route('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', assoc.batchDefault),

    route('GET', '/crm/v3/properties/:objectType/groups', props.listGroups),
    route('POST', '/crm/v3/properties/:objectType/groups', props.createGroup),
    route('GET', '/crm/v3/properties/:objectType/groups/:groupName', props.getGroup),
    route('PATCH', '/crm/v3/properties/:objectType/groups/:groupName', props.updateGroup),
    route('GET', '/crm/v3/properties/:objectType', props.list),
    route('POST', '/crm/v3/properties/:objectType', props.create),
    route('GET', '/crm/v3/properties/:objectType/:propertyName', props.get),
    route('PATCH', '/crm/v3/properties/:objectType/:propertyName', props.update),

    route('GET', '/crm/v3/pipelines/:objectType', pipelines),
    route('GET', '/crm/v3/pipelines/:objectType/:pipelineId', pipeline),
  ];
}

// ---- helpers ------------------------------------------------------------------------------------

function objectType(name: string | undefined): ObjectType {
  const type = name ? toObjectType(name) : undefined;
  return type ?? invalid(`Unable to infer object type from: ${name}`);
}

const ok = (body: unknown, status = 200): SimReply => ({ status, body });

/** Query lists may be repeated (`properties=a&properties=b`) or comma separated. */
function queryList(req: SimRequest, name: string): string[] {
  return req.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function bodyObject(req: SimRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
    return invalid('Invalid input JSON: the request body must be a JSON object');
  return req.body as Record<string, unknown>;
}

function batchInputs(req: SimRequest): Record<string, unknown>[] {
  const inputs = bodyObject(req).inputs;
  if (!Array.isArray(inputs)) return invalid('Invalid input JSON: inputs must be an array');
  if (inputs.length > BATCH_LIMIT)
    return invalid(`Batch input must contain at most ${BATCH_LIMIT} inputs, got ${inputs.length}`, {
      context: { inputs: [String(inputs.length)] },
    });
  return inputs.map((input) =>
    input && typeof input === 'object' ? (input as Record<string, unknown>) : invalid('Each input must be an object'),
  );
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return invalid(`${field} must be an array of strings`);
  return value as string[];
}

function propertiesOf(input: Record<string, unknown>): Record<string, string> {
  const properties = input.properties;
  if (!properties || typeof properties !== 'object' || Array.isArray(properties))
    return invalid('Invalid input JSON: properties must be an object');
  return properties as Record<string, string>;
}

/** Inline associations of a create: `[{ to: { id }, types: [{ associationCategory, associationTypeId }] }]`. */
function inlineAssociations(from: ObjectType, raw: unknown, store: HubSpotStore): AssociationInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return invalid('associations must be an array');
  return raw.flatMap((a: { to?: { id?: unknown }; types?: { associationCategory?: string; associationTypeId?: number }[] }) => {
    const toId = a?.to?.id;
    if (typeof toId !== 'string' && typeof toId !== 'number') return invalid('Each association needs to.id');
    if (!Array.isArray(a.types) || a.types.length === 0) return invalid('Each association needs at least one type');
    return a.types.map((t) => {
      if (t.associationCategory !== 'HUBSPOT_DEFINED') return invalid(`Unknown association category ${String(t.associationCategory)}`);
      const toType = typeForAssociationId(from, Number(t.associationTypeId), store, String(toId));
      return { toType, toId: String(toId), typeId: Number(t.associationTypeId) };
    });
  });
}

/** Inline associations name only the target id and type id; the type id tells the target object type. */
function typeForAssociationId(from: ObjectType, typeId: number, store: HubSpotStore, toId: string): ObjectType {
  const candidates = (['deals', 'companies', 'contacts', 'line_items', 'products', 'notes'] as ObjectType[]).filter((to) => {
    const spec = associationTypes(from, to);
    return spec && (spec.defaultTypeId === typeId || spec.otherTypeIds?.includes(typeId));
  });
  const found = candidates.find((to) => store.get(to, toId)) ?? candidates[0];
  return found ?? invalid(`${typeId} is not a valid association type id for ${from}`);
}

function associationsFor(store: HubSpotStore, record: StoredRecord, types: string[]) {
  const out: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const name of types) {
    const toType = toObjectType(name);
    if (!toType) continue;
    const spec = associationTypes(record.type, toType);
    const results = store.associationDetails(record.type, record.id, toType).flatMap(({ toId, typeIds }) =>
      typeIds.map((typeId) => ({
        id: toId,
        type: `${SINGULAR[record.type]}_to_${SINGULAR[toType]}${spec && typeId === spec.defaultTypeId && spec.otherTypeIds ? '_unlabeled' : ''}`,
      })),
    );
    if (results.length) out[toType] = { results };
  }
  return out;
}

function withAssociations(store: HubSpotStore, record: StoredRecord, properties: string[], associations: string[]) {
  const api = store.toApi(record, properties);
  const assoc = associationsFor(store, record, associations);
  return Object.keys(assoc).length ? { ...api, associations: assoc } : api;
}

/**
 * `idProperty` must name a unique-value property. HubSpot answers a non-unique one with a 400
 * VALIDATION_ERROR ("Unable to perform update/upsert by non-unique 0-2 property hs_object_id in portal
 * ID …", reported in segmentio/action-destinations#3957); the read wording here follows it.
 */
function requireUniqueProperty(store: HubSpotStore, type: ObjectType, idProperty: string): void {
  const property = store.property(type, idProperty);
  if (!property) invalid(`Property "${idProperty}" does not exist on ${type}`);
  if (!property!.hasUniqueValue) invalid(`Unable to perform read by non-unique ${OBJECT_TYPE_IDS[type]} property ${idProperty}`);
}

function parseOffset(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : invalid(`Invalid paging cursor after=${String(raw)}`);
}

function batchEnvelope(results: unknown[], startedAt: string, errors: unknown[] = []) {
  const base = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  return errors.length ? { ...base, numErrors: errors.length, errors } : base;
}

function notFoundError(type: ObjectType, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${type} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {},
  };
}

// ---- objects ------------------------------------------------------------------------------------

function objectHandlers(store: HubSpotStore, order: <T>(items: T[]) => T[]) {
  const started = () => new Date(store.now()).toISOString();
  const findRecord = (type: ObjectType, id: string, idProperty: string | null): StoredRecord => {
    if (!idProperty || idProperty === 'hs_object_id') return store.require(type, id);
    requireUniqueProperty(store, type, idProperty);
    return store.findByUniqueValue(type, idProperty, id) ?? notFound(`Object ${type} with ${idProperty}=${id} not found`);
  };

  return {
    list(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const limit = Math.min(Number(req.query.get('limit') ?? 10) || 10, 100);
      const offset = parseOffset(req.query.get('after'));
      const all = store.list(type);
      const page = all.slice(offset, offset + limit);
      const results = page.map((r) => withAssociations(store, r, queryList(req, 'properties'), queryList(req, 'associations')));
      const next = offset + limit < all.length ? { paging: { next: { after: String(offset + limit), link: '' } } } : {};
      return ok({ results, ...next });
    },

    create(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const body = bodyObject(req);
      const properties = propertiesOf(body);
      if (type === 'notes' && !properties.hs_timestamp)
        invalid('hs_timestamp is required to create a note', {
          errors: [{ message: 'hs_timestamp is required', code: 'REQUIRED_FIELD', context: { propertyName: ['hs_timestamp'] } }],
        });
      const record = store.create(type, properties, inlineAssociations(type, body.associations, store), WRITE);
      return ok(store.toApi(record, Object.keys(properties)), 201);
    },

    get(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const record = findRecord(type, req.params.objectId!, req.query.get('idProperty'));
      return ok(withAssociations(store, record, queryList(req, 'properties'), queryList(req, 'associations')));
    },

    update(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const record = findRecord(type, req.params.objectId!, req.query.get('idProperty'));
      const properties = propertiesOf(bodyObject(req));
      store.update(type, record.id, properties, WRITE);
      return ok(store.toApi(record, Object.keys(properties)));
    },

    archive(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      store.archive(type, req.params.objectId!, WRITE);
      return { status: 204 };
    },

    search(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const body = req.body === undefined ? {} : bodyObject(req);
      const limit = body.limit === undefined ? 10 : Number(body.limit);
      if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_PAGE_LIMIT)
        invalid(`limit must be between 0 and ${SEARCH_PAGE_LIMIT}, got ${String(body.limit)}`);
      const offset = parseOffset(body.after);
      if (offset >= SEARCH_RESULT_CAP)
        invalid(`Paging beyond ${SEARCH_RESULT_CAP} results is not supported; narrow the search with filters`);
      const filterGroups = validateFilters(body.filterGroups);
      for (const f of filterGroups.flat())
        if (!store.property(type, f.propertyName)) invalid(`Property "${f.propertyName}" does not exist on ${type}`);
      const sorts = toSorts(body.sorts);
      const properties = stringList(body.properties, 'properties') ?? [];
      const { total, results } = store.search(type, {
        filterGroups,
        sorts,
        query: typeof body.query === 'string' ? body.query : undefined,
        limit,
        offset,
      });
      const nextOffset = offset + results.length;
      const next = nextOffset < total ? { paging: { next: { after: String(nextOffset) } } } : {};
      return ok({ total, results: results.map((r) => store.toApi(r, properties)), ...next });
    },

    batchRead(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const startedAt = started();
      const body = bodyObject(req);
      const inputs = batchInputs(req);
      const properties = stringList(body.properties, 'properties') ?? [];
      const idProperty = typeof body.idProperty === 'string' && body.idProperty !== 'hs_object_id' ? body.idProperty : null;
      if (idProperty) requireUniqueProperty(store, type, idProperty);
      const found: StoredRecord[] = [];
      const missing: string[] = [];
      for (const input of inputs) {
        const id = String(input.id ?? '');
        const record = !idProperty ? store.get(type, id) : store.findByUniqueValue(type, idProperty, id);
        if (record) found.push(record);
        else missing.push(id);
      }
      const unique = [...new Map(found.map((r) => [r.id, r])).values()];
      const results = order(unique).map((r) => store.toApi(r, properties));
      if (missing.length) return ok(batchEnvelope(results, startedAt, [notFoundError(type, missing)]), 207);
      return ok(batchEnvelope(results, startedAt));
    },

    batchCreate(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const startedAt = started();
      const inputs = batchInputs(req);
      // Validate every input before writing any, so a bad input changes nothing.
      const prepared = inputs.map((input) => {
        const properties = propertiesOf(input);
        const associations = inlineAssociations(type, input.associations, store);
        return {
          values: store.prepareCreate(type, properties, associations),
          associations,
          names: Object.keys(properties),
          trace: input.objectWriteTraceId,
        };
      });
      store.assertUniqueWithinBatch(
        type,
        prepared.map((p) => p.values),
      );
      const results = prepared.map((p) => {
        const record = store.commitCreate(type, p.values, p.associations, WRITE);
        const api = store.toApi(record, p.names);
        return typeof p.trace === 'string' ? { ...api, objectWriteTraceId: p.trace } : api;
      });
      return ok(batchEnvelope(order(results), startedAt), 201);
    },

    batchUpdate(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const startedAt = started();
      const inputs = batchInputs(req);
      const ids = inputs.map((i) => String(i.id ?? ''));
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (duplicates.length) invalid(`Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`);
      const missing = ids.filter((id) => !store.get(type, id));
      const prepared = inputs
        .filter((i) => store.get(type, String(i.id)))
        .map((input) => {
          const properties = propertiesOf(input);
          const id = String(input.id);
          return {
            record: store.get(type, id)!,
            values: store.prepareUpdate(type, properties, id),
            names: Object.keys(properties),
            trace: input.objectWriteTraceId,
          };
        });
      store.assertUniqueWithinBatch(
        type,
        prepared.map((p) => p.values),
      );
      const results = prepared.map((p) => {
        const api = store.toApi(store.commitUpdate(p.record, p.values, WRITE), p.names);
        return typeof p.trace === 'string' ? { ...api, objectWriteTraceId: p.trace } : api;
      });
      if (missing.length) return ok(batchEnvelope(order(results), startedAt, [notFoundError(type, missing)]), 207);
      return ok(batchEnvelope(order(results), startedAt));
    },

    /**
     * Create-or-update by a unique-value property (crm-objects-v3 `batch/upsert`): each input names
     * `idProperty` and its value as `id`; a record holding the value is updated, else one is created
     * holding it. Validated as a whole first, like batch create: one bad input writes nothing.
     */
    batchUpsert(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const startedAt = started();
      const inputs = batchInputs(req);
      const ids = inputs.map((i) => String(i.id ?? ''));
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (duplicates.length) invalid(`Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`);
      const prepared = inputs.map((input, i) => {
        const idProperty = typeof input.idProperty === 'string' ? input.idProperty : invalid('Each upsert input needs idProperty');
        requireUniqueProperty(store, type, idProperty);
        const id = ids[i]!;
        if (!id) invalid('Each upsert input needs an id (the unique value)');
        const properties = { ...propertiesOf(input), [idProperty]: id };
        const existing = store.findByUniqueValue(type, idProperty, id);
        const values = existing ? store.prepareUpdate(type, properties, existing.id) : store.prepareCreate(type, properties);
        return { existing, values, names: Object.keys(properties), trace: input.objectWriteTraceId };
      });
      store.assertUniqueWithinBatch(
        type,
        prepared.map((p) => p.values),
      );
      const results = prepared.map((p) => {
        const record = p.existing ? store.commitUpdate(p.existing, p.values, WRITE) : store.commitCreate(type, p.values, [], WRITE);
        const api = { ...store.toApi(record, p.names), new: !p.existing };
        return typeof p.trace === 'string' ? { ...api, objectWriteTraceId: p.trace } : api;
      });
      return ok(batchEnvelope(order(results), startedAt));
    },

    batchArchive(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      for (const input of batchInputs(req)) store.archive(type, String(input.id ?? ''), WRITE);
      return { status: 204 };
    },
  };
}

// ---- associations (v4) --------------------------------------------------------------------------

function associationHandlers(store: HubSpotStore) {
  const detail = (from: ObjectType, to: ObjectType, toId: string, typeIds: number[]) => ({
    toObjectId: toId,
    associationTypes: typeIds.map((typeId) => {
      const spec = associationTypes(from, to);
      const primary = spec?.otherTypeIds?.includes(typeId);
      // HubSpot sends `label: null` for unlabelled types; the spec types label as string, so leave it out.
      return { category: 'HUBSPOT_DEFINED', typeId, ...(primary ? { label: 'Primary' } : {}) };
    }),
  });
  const defaultResult = (from: ObjectType, fromId: string, to: ObjectType, toId: string, typeId: number) => ({
    from: { id: fromId },
    to: { id: toId },
    associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
  });

  return {
    list(req: SimRequest): SimReply {
      const from = objectType(req.params.objectType);
      const to = objectType(req.params.toObjectType);
      store.require(from, req.params.objectId!);
      const limit = Math.min(Number(req.query.get('limit') ?? 500) || 500, 500);
      const offset = parseOffset(req.query.get('after'));
      const all = store.associationDetails(from, req.params.objectId!, to);
      const results = all.slice(offset, offset + limit).map((d) => detail(from, to, d.toId, d.typeIds));
      const next = offset + limit < all.length ? { paging: { next: { after: String(offset + limit), link: '' } } } : {};
      return ok({ results, ...next });
    },

    putDefault(req: SimRequest): SimReply {
      const startedAt = new Date(store.now()).toISOString();
      const from = objectType(req.params.fromObjectType);
      const to = objectType(req.params.toObjectType);
      const { fromObjectId, toObjectId } = req.params as { fromObjectId: string; toObjectId: string };
      const typeId = store.associate(from, fromObjectId, to, toObjectId, undefined, WRITE);
      const inverse = associationTypes(to, from)!.defaultTypeId;
      return ok(
        batchEnvelope(
          [defaultResult(from, fromObjectId, to, toObjectId, typeId), defaultResult(to, toObjectId, from, fromObjectId, inverse)],
          startedAt,
        ),
      );
    },

    putLabelled(req: SimRequest): SimReply {
      const from = objectType(req.params.objectType);
      const to = objectType(req.params.toObjectType);
      const specs = Array.isArray(req.body)
        ? (req.body as { associationCategory?: string; associationTypeId?: number }[])
        : invalid('Body must be an array of association specs');
      for (const spec of specs) {
        if (spec.associationCategory !== 'HUBSPOT_DEFINED') invalid(`Unknown association category ${String(spec.associationCategory)}`);
        store.associate(from, req.params.objectId!, to, req.params.toObjectId!, Number(spec.associationTypeId), WRITE);
      }
      const labels = store.associationDetails(from, req.params.objectId!, to).find((d) => d.toId === req.params.toObjectId)?.typeIds ?? [];
      return ok(
        {
          fromObjectTypeId: from,
          fromObjectId: req.params.objectId,
          toObjectTypeId: to,
          toObjectId: req.params.toObjectId,
          labels: labels.map(String),
        },
        201,
      );
    },

    remove(req: SimRequest): SimReply {
      const from = objectType(req.params.objectType);
      const to = objectType(req.params.toObjectType);
      store.unassociate(from, req.params.objectId!, to, req.params.toObjectId!);
      return { status: 204 };
    },

    batchRead(req: SimRequest): SimReply {
      const startedAt = new Date(store.now()).toISOString();
      const from = objectType(req.params.fromObjectType);
      const to = objectType(req.params.toObjectType);
      const inputs = batchInputsLimit(req, 1000);
      const results = [];
      const missing: string[] = [];
      for (const input of inputs) {
        const id = String(input.id ?? '');
        if (!store.get(from, id)) {
          missing.push(id);
          continue;
        }
        const all = store.associationDetails(from, id, to);
        if (all.length === 0) {
          missing.push(id);
          continue;
        }
        results.push({ from: { id }, to: all.map((d) => detail(from, to, d.toId, d.typeIds)) });
      }
      const errors = missing.length
        ? [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `No ${to} is associated with ${from} ${missing.join(', ')}`,
              context: { fromIds: missing },
              errors: [],
              links: {},
            },
          ]
        : [];
      return ok(batchEnvelope(results, startedAt, errors), errors.length ? 207 : 200);
    },

    batchDefault(req: SimRequest): SimReply {
      const startedAt = new Date(store.now()).toISOString();
      const from = objectType(req.params.fromObjectType);
      const to = objectType(req.params.toObjectType);
      const inputs = batchInputs(req);
      const pairs = inputs.map((i) => {
        const f = (i.from as { id?: unknown } | undefined)?.id;
        const t = (i.to as { id?: unknown } | undefined)?.id;
        return f === undefined || t === undefined ? invalid('Each input needs from.id and to.id') : { fromId: String(f), toId: String(t) };
      });
      for (const p of pairs) {
        store.require(from, p.fromId);
        store.require(to, p.toId);
      }
      const results = pairs.map((p) =>
        defaultResult(from, p.fromId, to, p.toId, store.associate(from, p.fromId, to, p.toId, undefined, WRITE)),
      );
      return ok(batchEnvelope(results, startedAt));
    },
  };
}

function batchInputsLimit(req: SimRequest, limit: number): Record<string, unknown>[] {
  const inputs = bodyObject(req).inputs;
  if (!Array.isArray(inputs)) return invalid('Invalid input JSON: inputs must be an array');
  if (inputs.length > limit) return invalid(`Batch input must contain at most ${limit} inputs, got ${inputs.length}`);
  return inputs as Record<string, unknown>[];
}

// ---- properties ---------------------------------------------------------------------------------

export function toApiProperty(p: SimProperty) {
  const { readOnlyValue, ...rest } = p;
  return { ...rest, modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue } };
}

function propertyInput(body: Record<string, unknown>, partial: boolean): Partial<PropertyInput> {
  const required = ['name', 'label', 'type', 'fieldType', 'groupName'] as const;
  if (!partial)
    for (const field of required)
      if (typeof body[field] !== 'string' || !body[field])
        invalid(`${field} is required`, {
          errors: [{ message: `${field} is required`, code: 'REQUIRED_FIELD', context: { field: [field] } }],
        });
  if (body.options !== undefined) {
    if (!Array.isArray(body.options)) invalid('options must be an array');
    for (const o of body.options as { value?: unknown; label?: unknown }[]) {
      if (typeof o?.value !== 'string' || typeof o?.label !== 'string') invalid('Each option needs a string value and label');
    }
  }
  const allowed = [
    'name',
    'label',
    'type',
    'fieldType',
    'groupName',
    'description',
    'options',
    'displayOrder',
    'hidden',
    'formField',
    'hasUniqueValue',
  ];
  return Object.fromEntries(Object.entries(body).filter(([k]) => allowed.includes(k))) as Partial<PropertyInput>;
}

function propertyHandlers(store: HubSpotStore) {
  return {
    list(req: SimRequest): SimReply {
      return ok({ results: store.listProperties(objectType(req.params.objectType)).map(toApiProperty) });
    },
    get(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const p =
        store.property(type, req.params.propertyName!) ??
        notFound(`Unable to find property ${req.params.propertyName} for object type ${type}`);
      return ok(toApiProperty(p));
    },
    create(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      return ok(toApiProperty(store.createProperty(type, propertyInput(bodyObject(req), false) as PropertyInput)), 201);
    },
    update(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const patch = propertyInput(bodyObject(req), true);
      delete patch.name;
      return ok(toApiProperty(store.updateProperty(type, req.params.propertyName!, patch)));
    },
    listGroups(req: SimRequest): SimReply {
      return ok({ results: store.listGroups(objectType(req.params.objectType)) });
    },
    getGroup(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const g = store.group(type, req.params.groupName!);
      return ok(g && !g.archived ? g : notFound(`Unable to find property group ${req.params.groupName} for object type ${type}`));
    },
    createGroup(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const body = bodyObject(req);
      if (typeof body.name !== 'string' || typeof body.label !== 'string') invalid('name and label are required');
      return ok(
        store.createGroup(type, {
          name: body.name as string,
          label: body.label as string,
          displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : undefined,
        }),
        201,
      );
    },
    updateGroup(req: SimRequest): SimReply {
      const type = objectType(req.params.objectType);
      const body = bodyObject(req);
      return ok(
        store.updateGroup(type, req.params.groupName!, {
          label: body.label as string | undefined,
          displayOrder: body.displayOrder as number | undefined,
        }),
      );
    },
  };
}

// ---- pipelines ----------------------------------------------------------------------------------

function toApiPipeline() {
  const at = new Date(0).toISOString();
  return {
    id: DEFAULT_PIPELINE.id,
    label: DEFAULT_PIPELINE.label,
    displayOrder: 0,
    archived: false,
    createdAt: at,
    updatedAt: at,
    stages: DEFAULT_PIPELINE.stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: i,
      archived: false,
      createdAt: at,
      updatedAt: at,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      metadata: { isClosed: String(s.isClosed), probability: s.probability },
    })),
  };
}

function pipelines(req: SimRequest): SimReply {
  if (objectType(req.params.objectType) !== 'deals') return ok({ results: [] });
  return ok({ results: [toApiPipeline()] });
}

function pipeline(req: SimRequest): SimReply {
  if (objectType(req.params.objectType) !== 'deals' || req.params.pipelineId !== DEFAULT_PIPELINE.id)
    return notFound(`Pipeline ${req.params.pipelineId} not found`);
  return ok(toApiPipeline());
}
