/**
 * The in-memory state of one simulated HubSpot portal: records per object type, property and group
 * definitions, v4 associations, and change listeners. Routes (routes.ts) speak HTTP around it;
 * tests, benchmarks and the sandbox use its typed helpers directly.
 *
 * Everything a write does is validated first (unknown property, bad option, bad date, read-only
 * value), so a rejected write changes nothing — like HubSpot.
 */
import type { ObjectType } from '../../core/hubspot/api.js';
import { fail, invalid, notFound, propertyValuesInvalid, type PropertyProblem } from './errors.js';
import {
  ALWAYS_RETURNED,
  DEFAULT_GROUPS,
  DEFAULT_PIPELINE,
  DEFAULT_READ_PROPERTIES,
  OBJECT_TYPES,
  PRODUCT_FIELDS_COPIED_TO_LINE_ITEMS,
  associationTypes,
  inverseTypeId,
  standardProperties,
  type SimProperty,
  type SimPropertyGroup,
} from './model.js';
import { matches, sortKey, type SearchFilter, type SearchSort } from './search.js';

export interface StoredRecord {
  id: string;
  type: ObjectType;
  /** Only set values; a cleared property is absent. */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

/** A record as the API shows it. */
export interface ApiRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** Who made a change: `API` for calls through the simulated API, `CRM_UI` for a user (test helpers). */
export type ChangeSource = 'API' | 'CRM_UI';

export interface PropertyChange {
  name: string;
  value: string | null;
  previous: string | null;
}

export type ChangeEvent =
  | { kind: 'created' | 'updated'; objectType: ObjectType; id: string; changes: PropertyChange[]; source: ChangeSource; at: number }
  | { kind: 'archived'; objectType: ObjectType; id: string; source: ChangeSource; at: number }
  | {
      kind: 'associated';
      objectType: ObjectType;
      id: string;
      toObjectType: ObjectType;
      toId: string;
      typeId: number;
      source: ChangeSource;
      at: number;
    };

export type ChangeListener = (event: ChangeEvent) => void;

export interface WriteOptions {
  source?: ChangeSource;
}

export interface AssociationInput {
  toType: ObjectType;
  toId: string;
  /** HUBSPOT_DEFINED type id; the pair's default when omitted. */
  typeId?: number;
}

export interface SearchQuery {
  filterGroups: SearchFilter[][];
  sorts: SearchSort[];
  query?: string;
  limit: number;
  offset: number;
}

export interface PropertyInput {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: { value: string; label: string; hidden?: boolean; displayOrder?: number; description?: string }[];
  displayOrder?: number;
  hidden?: boolean;
  formField?: boolean;
  hasUniqueValue?: boolean;
}

/** "the … object type can only have a maximum of 10 unique properties" (developers.hubspot.com/changelog/unique-properties-for-contacts). */
export const MAX_UNIQUE_PROPERTIES = 10;
/**
 * "HubSpot has provided unique property support for Companies, Deals, Tickets, and Custom Objects", and
 * since then contacts (same changelog). Products: HubSpot documents "Create or update a batch of products
 * by unique property values" (developers.hubspot.com/docs/api-reference/legacy/crm/objects/products/batch/
 * upsert-products), which needs one; whether a portal lets a product property be unique is *unconfirmed*
 * (docs/products.md: setup then reports the refusal and the product sync says "Run setup first").
 * Not listed: line items, notes; the simulator refuses them.
 */
export const UNIQUE_VALUE_OBJECT_TYPES: readonly ObjectType[] = ['companies', 'deals', 'contacts', 'products'];
const SYSTEM_PROPERTIES = new Set(['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate', 'createdate', 'lastmodifieddate']);
const FIELD_TYPES: Record<string, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  bool: ['booleancheckbox', 'calculation_equation'],
  phone_number: ['phonenumber'],
};

export class HubSpotStore {
  private readonly records = new Map<ObjectType, Map<string, StoredRecord>>();
  private readonly properties = new Map<ObjectType, Map<string, SimProperty>>();
  private readonly groups = new Map<ObjectType, Map<string, SimPropertyGroup>>();
  /** `${type}:${id}` → to type → to id → type ids (both directions are stored). */
  private readonly links = new Map<string, Map<ObjectType, Map<string, Set<number>>>>();
  private readonly listeners = new Set<ChangeListener>();
  /** Live record by unique value, per `${type}\u0000${property}`: built on first lookup, kept by every write. */
  private readonly uniqueIndex = new Map<string, Map<string, StoredRecord>>();
  private nextId = 10_000_001;
  /** What search sees while `searchLagMs` > 0: snapshots per type and id, and the writes not indexed yet. */
  private searchIndex: Map<ObjectType, Map<string, StoredRecord>> | undefined;
  private unindexed: { due: number; type: ObjectType; id: string; snapshot: StoredRecord | undefined }[] = [];
  private lagMs = 0;

  constructor(readonly now: () => number = Date.now) {
    const createdAt = new Date(this.now()).toISOString();
    for (const type of OBJECT_TYPES) {
      this.records.set(type, new Map());
      this.properties.set(type, new Map(standardProperties(type, createdAt).map((p) => [p.name, p])));
      this.groups.set(type, new Map(DEFAULT_GROUPS[type].map((g) => [g.name, { ...g }])));
    }
  }

  // ---- listeners ----------------------------------------------------------------------------

  /** Called after every change; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ChangeEvent): void {
    if (this.searchIndex && event.kind !== 'associated') {
      const record = this.table(event.objectType).get(event.id);
      const snapshot = record && !record.archived ? { ...record, properties: { ...record.properties } } : undefined;
      this.unindexed.push({ due: event.at + this.lagMs, type: event.objectType, id: event.id, snapshot });
    }
    for (const listener of this.listeners) listener(event);
  }

  // ---- search index lag ---------------------------------------------------------------------

  /**
   * How long a write takes to reach search (0: at once, the default). HubSpot's search is eventually
   * consistent, peers report up to ~30 s (HubSpot/hubspot-api-nodejs#545): a record created or changed
   * less than `searchLagMs` ago is found by search as it was before (or not at all). Reads by id or
   * `idProperty` always see the latest state.
   */
  get searchLagMs(): number {
    return this.lagMs;
  }

  set searchLagMs(ms: number) {
    if (!(ms >= 0)) throw new Error(`searchLagMs must be 0 or more, got ${ms}`);
    this.lagMs = ms;
    if (ms === 0) {
      this.searchIndex = undefined;
      this.unindexed = [];
    } else if (!this.searchIndex) {
      this.searchIndex = new Map(
        OBJECT_TYPES.map((type) => [type, new Map(this.list(type).map((r) => [r.id, { ...r, properties: { ...r.properties } }]))]),
      );
    }
  }

  /** The records search finds right now: the live ones, or the index as of `searchLagMs` ago. */
  private searchable(type: ObjectType): StoredRecord[] {
    if (!this.searchIndex) return this.list(type);
    const now = this.now();
    const later: typeof this.unindexed = [];
    for (const entry of this.unindexed) {
      if (entry.due > now) later.push(entry);
      else if (entry.snapshot) this.searchIndex.get(entry.type)!.set(entry.id, entry.snapshot);
      else this.searchIndex.get(entry.type)!.delete(entry.id);
    }
    this.unindexed = later;
    return [...this.searchIndex.get(type)!.values()];
  }

  // ---- records ------------------------------------------------------------------------------

  /** Creates a record; `source` defaults to a user in the CRM UI (helpers stand in for people). */
  create(
    type: ObjectType,
    properties: Record<string, string>,
    associations: AssociationInput[] = [],
    options: WriteOptions = {},
  ): StoredRecord {
    const values = this.prepareCreate(type, properties, associations);
    return this.commitCreate(type, values, associations, options);
  }

  /** Validates a create without writing anything; returns the values that will be stored. */
  prepareCreate(type: ObjectType, properties: Record<string, string>, associations: AssociationInput[] = []): Record<string, string> {
    const values = this.validateValues(type, properties);
    this.assertUnique(type, values);
    for (const a of associations) this.validateAssociation(type, a);
    if (type === 'line_items' && values.hs_product_id) Object.assign(values, this.productDefaults(values.hs_product_id, values));
    return values;
  }

  commitCreate(
    type: ObjectType,
    values: Record<string, string>,
    associations: AssociationInput[] = [],
    options: WriteOptions = {},
  ): StoredRecord {
    const at = this.now();
    const record: StoredRecord = { id: String(this.nextId++), type, properties: {}, createdAt: at, updatedAt: at, archived: false };
    const iso = new Date(at).toISOString();
    const system: Record<string, string> = { hs_object_id: record.id, hs_createdate: iso, hs_lastmodifieddate: iso };
    if (this.property(type, 'createdate')) system.createdate = iso;
    if (this.property(type, 'lastmodifieddate')) system.lastmodifieddate = iso;
    if (type === 'deals' && !values.pipeline) system.pipeline = DEFAULT_PIPELINE.id;
    record.properties = { ...values, ...system };
    this.derive(record);
    this.table(type).set(record.id, record);
    this.indexUnique(record, {});
    const changes = Object.entries(record.properties).map(([name, value]) => ({ name, value, previous: null }));
    this.emit({ kind: 'created', objectType: type, id: record.id, changes, source: options.source ?? 'CRM_UI', at });
    for (const a of associations) this.associate(type, record.id, a.toType, a.toId, a.typeId, options);
    return record;
  }

  get(type: ObjectType, id: string): StoredRecord | undefined {
    const record = this.table(type).get(id);
    return record && !record.archived ? record : undefined;
  }

  /** The record or HubSpot's 404. */
  require(type: ObjectType, id: string): StoredRecord {
    return this.get(type, id) ?? notFound(`Object ${type}/${id} not found`);
  }

  /** Updates properties (`''` clears one); returns the record. Emits only real changes. */
  update(type: ObjectType, id: string, properties: Record<string, string>, options: WriteOptions = {}): StoredRecord {
    const record = this.require(type, id);
    const values = this.prepareUpdate(type, properties, id);
    return this.commitUpdate(record, values, options);
  }

  /** Validates an update of record `id` without writing anything; returns the values that will be stored. */
  prepareUpdate(type: ObjectType, properties: Record<string, string>, id?: string): Record<string, string> {
    const values = this.validateValues(type, properties);
    this.assertUnique(type, values, id);
    if (type === 'line_items' && values.hs_product_id) Object.assign(values, this.productDefaults(values.hs_product_id, values));
    return values;
  }

  commitUpdate(record: StoredRecord, values: Record<string, string>, options: WriteOptions = {}): StoredRecord {
    const before = { ...record.properties };
    for (const [name, value] of Object.entries(values)) {
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
    this.indexUnique(record, before);
    this.derive(record);
    const changes = diff(before, record.properties);
    if (changes.length === 0) return record;
    const at = this.now();
    record.updatedAt = at;
    record.properties.hs_lastmodifieddate = new Date(at).toISOString();
    if (record.type === 'contacts') record.properties.lastmodifieddate = record.properties.hs_lastmodifieddate;
    this.emit({ kind: 'updated', objectType: record.type, id: record.id, changes, source: options.source ?? 'CRM_UI', at });
    return record;
  }

  /** Archives (soft-deletes) a record and drops its associations; unknown ids are ignored. */
  archive(type: ObjectType, id: string, options: WriteOptions = {}): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    record.archived = true;
    record.updatedAt = this.now();
    this.indexUnique(record, record.properties);
    const key = `${type}:${id}`;
    for (const [toType, ids] of this.links.get(key) ?? []) {
      for (const toId of ids.keys()) this.links.get(`${toType}:${toId}`)?.get(type)?.delete(id);
    }
    this.links.delete(key);
    this.emit({ kind: 'archived', objectType: type, id, source: options.source ?? 'CRM_UI', at: record.updatedAt });
    return true;
  }

  /**
   * HubSpot's unique-value properties (`hasUniqueValue`): a write giving a record a value another live
   * record of the type holds is rejected as a whole with a 400 VALIDATION_ERROR. `exceptId` is the record
   * being updated (keeping its own value is fine). `''` clears and is always allowed.
   */
  assertUnique(type: ObjectType, values: Record<string, string>, exceptId?: string): void {
    const problems: PropertyProblem[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === '' || !this.property(type, name)?.hasUniqueValue) continue;
      const holder = this.findByUniqueValue(type, name, value);
      if (holder && holder.id !== exceptId) {
        problems.push({
          name,
          error: 'VALUE_NOT_UNIQUE',
          message: `Another ${type} record (ID ${holder.id}) already has that value for ${name}: ${value}`,
        });
      }
    }
    if (problems.length) propertyValuesInvalid(problems);
  }

  /** Inputs of one batch may not give the same unique value to two records either. */
  assertUniqueWithinBatch(type: ObjectType, inputs: readonly Record<string, string>[]): void {
    const seen = new Map<string, number>();
    inputs.forEach((values, index) => {
      for (const [name, value] of Object.entries(values)) {
        if (value === '' || !this.property(type, name)?.hasUniqueValue) continue;
        const key = `${name}\u0000${value}`;
        const first = seen.get(key);
        if (first !== undefined) {
          propertyValuesInvalid([
            {
              name,
              error: 'VALUE_NOT_UNIQUE',
              message: `Inputs ${first} and ${index} of the batch both set ${name} to ${value}, which must be unique`,
            },
          ]);
        }
        seen.set(key, index);
      }
    });
  }

  /** The live record holding `value` in a unique-value property (HubSpot's `idProperty` lookup). */
  findByUniqueValue(type: ObjectType, name: string, value: string): StoredRecord | undefined {
    const found = this.uniqueValues(type, name).get(value);
    return found && !found.archived && found.properties[name] === value ? found : undefined;
  }

  private uniqueValues(type: ObjectType, name: string): Map<string, StoredRecord> {
    const key = `${type}\u0000${name}`;
    let index = this.uniqueIndex.get(key);
    if (!index) {
      index = new Map();
      for (const record of this.table(type).values()) {
        const value = record.properties[name];
        if (!record.archived && value !== undefined) index.set(value, record);
      }
      this.uniqueIndex.set(key, index);
    }
    return index;
  }

  /** Keeps the built indexes of the record's type in step after a write (`before`: its old values). */
  private indexUnique(record: StoredRecord, before: Record<string, string>): void {
    for (const [key, index] of this.uniqueIndex) {
      const [type, name] = key.split('\u0000') as [ObjectType, string];
      if (type !== record.type) continue;
      const old = before[name];
      if (old !== undefined && index.get(old) === record) index.delete(old);
      const value = record.properties[name];
      if (!record.archived && value !== undefined) index.set(value, record);
    }
  }

  /** Live records of a type, oldest first. */
  list(type: ObjectType): StoredRecord[] {
    return [...this.table(type).values()].filter((r) => !r.archived);
  }

  count(type: ObjectType): number {
    let n = 0;
    for (const r of this.table(type).values()) if (!r.archived) n++;
    return n;
  }

  /** One matching page; `total` counts every match. */
  search(type: ObjectType, q: SearchQuery): { total: number; results: StoredRecord[] } {
    const lookup = (name: string) => this.property(type, name);
    let found = this.searchable(type).filter((r) => matches(r.properties, q.filterGroups, lookup));
    if (q.query) {
      const text = q.query.toLowerCase();
      found = found.filter((r) => Object.values(r.properties).some((v) => v.toLowerCase().includes(text)));
    }
    const sorts = q.sorts.length ? q.sorts : [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }];
    found.sort((a, b) => {
      for (const s of sorts) {
        const prop = lookup(s.propertyName);
        const x = sortKey(a.properties[s.propertyName], prop);
        const y = sortKey(b.properties[s.propertyName], prop);
        if (x === y) continue;
        const order = x < y ? -1 : 1;
        return s.direction === 'DESCENDING' ? -order : order;
      }
      return Number(a.id) - Number(b.id);
    });
    return { total: found.length, results: found.slice(q.offset, q.offset + q.limit) };
  }

  /** The record as the API returns it: requested properties (null when unset) plus system ones. */
  toApi(record: StoredRecord, requested?: readonly string[]): ApiRecord {
    const names = requested && requested.length ? [...requested, ...ALWAYS_RETURNED] : DEFAULT_READ_PROPERTIES[record.type];
    const properties: Record<string, string | null> = {};
    for (const name of names) {
      if (!this.property(record.type, name)) continue;
      properties[name] = record.properties[name] ?? null;
    }
    return {
      id: record.id,
      properties,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
      archived: record.archived,
    };
  }

  // ---- associations -------------------------------------------------------------------------

  /** Associates two records (both directions); idempotent. Returns the from→to type id used. */
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId?: number, options: WriteOptions = {}): number {
    const used = this.validateAssociation(fromType, { toType, toId, typeId });
    this.require(fromType, fromId);
    const inverse = inverseTypeId(fromType, toType, used)!;
    const added = this.link(fromType, fromId, toType, toId, used);
    this.link(toType, toId, fromType, fromId, inverse);
    if (added)
      this.emit({
        kind: 'associated',
        objectType: fromType,
        id: fromId,
        toObjectType: toType,
        toId,
        typeId: used,
        source: options.source ?? 'CRM_UI',
        at: this.now(),
      });
    return used;
  }

  /** Removes every association between the two records. */
  unassociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.links.get(`${fromType}:${fromId}`)?.get(toType)?.delete(toId);
    this.links.get(`${toType}:${toId}`)?.get(fromType)?.delete(fromId);
  }

  /** Ids of `toType` records associated with the record, in the order they were linked. */
  associations(fromType: ObjectType, fromId: string, toType: ObjectType): string[] {
    return [...(this.links.get(`${fromType}:${fromId}`)?.get(toType)?.keys() ?? [])];
  }

  /** Ids with their type ids, for the v4 API. */
  associationDetails(fromType: ObjectType, fromId: string, toType: ObjectType): { toId: string; typeIds: number[] }[] {
    return [...(this.links.get(`${fromType}:${fromId}`)?.get(toType)?.entries() ?? [])].map(([toId, ids]) => ({ toId, typeIds: [...ids] }));
  }

  private link(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number): boolean {
    const key = `${fromType}:${fromId}`;
    let byType = this.links.get(key);
    if (!byType) this.links.set(key, (byType = new Map()));
    let byId = byType.get(toType);
    if (!byId) byType.set(toType, (byId = new Map()));
    let ids = byId.get(toId);
    if (!ids) byId.set(toId, (ids = new Set()));
    const added = !ids.has(typeId);
    ids.add(typeId);
    return added;
  }

  private validateAssociation(fromType: ObjectType, a: AssociationInput): number {
    const spec = associationTypes(fromType, a.toType);
    if (!spec) return invalid(`${fromType} cannot be associated with ${a.toType}`);
    const typeId = a.typeId ?? spec.defaultTypeId;
    if (typeId !== spec.defaultTypeId && !spec.otherTypeIds?.includes(typeId)) {
      return invalid(`${typeId} is not a valid association type between ${fromType} and ${a.toType}`, {
        subCategory: 'crm-associations.INVALID_ASSOCIATION_TYPE',
      });
    }
    if (!this.get(a.toType, a.toId))
      return fail(400, 'VALIDATION_ERROR', `No ${a.toType} with ID ${a.toId} exists`, { context: { id: [a.toId] } });
    return typeId;
  }

  // ---- properties ---------------------------------------------------------------------------

  property(type: ObjectType, name: string): SimProperty | undefined {
    const p = this.properties.get(type)!.get(name);
    return p && !p.archived ? p : undefined;
  }

  listProperties(type: ObjectType): SimProperty[] {
    return [...this.properties.get(type)!.values()].filter((p) => !p.archived);
  }

  /** Creates a custom property; 409 when the name exists, 400 for a bad definition. */
  createProperty(type: ObjectType, input: PropertyInput): SimProperty {
    if (this.properties.get(type)!.has(input.name)) {
      return fail(409, 'OBJECT_ALREADY_EXISTS', `Property with name ${input.name} already exists for ${type}`, {
        context: { name: [input.name] },
      });
    }
    this.validatePropertyDefinition(type, input);
    if (input.hasUniqueValue && !UNIQUE_VALUE_OBJECT_TYPES.includes(type)) invalid(`Unique value properties are not supported for ${type}`);
    const unique = this.listProperties(type).filter((p) => p.hasUniqueValue).length;
    if (input.hasUniqueValue && unique >= MAX_UNIQUE_PROPERTIES) {
      invalid(`${type} already has ${MAX_UNIQUE_PROPERTIES} unique value properties, the most HubSpot allows per object`);
    }
    const at = new Date(this.now()).toISOString();
    const property: SimProperty = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: normalizeOptions(input.options),
      displayOrder: input.displayOrder ?? -1,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      hasUniqueValue: input.hasUniqueValue ?? false,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.properties.get(type)!.set(property.name, property);
    return property;
  }

  /**
   * PATCH semantics: given fields replace the old ones (options as a whole list). `hasUniqueValue` is
   * kept: HubSpot sets it only when a property is created (its PropertyUpdate has no such field).
   */
  updateProperty(type: ObjectType, name: string, patch: Partial<PropertyInput>): SimProperty {
    const current = this.property(type, name) ?? notFound(`Unable to find property ${name} for ${type}`);
    const { options, hasUniqueValue: _ignored, ...rest } = stripUndefined(patch);
    const next: SimProperty = { ...current, ...rest, name: current.name, options: options ? normalizeOptions(options) : current.options };
    this.validatePropertyDefinition(type, next);
    next.updatedAt = new Date(this.now()).toISOString();
    this.properties.get(type)!.set(name, next);
    return next;
  }

  listGroups(type: ObjectType): SimPropertyGroup[] {
    return [...this.groups.get(type)!.values()].filter((g) => !g.archived);
  }

  group(type: ObjectType, name: string): SimPropertyGroup | undefined {
    return this.groups.get(type)!.get(name);
  }

  createGroup(type: ObjectType, input: { name: string; label: string; displayOrder?: number }): SimPropertyGroup {
    if (this.groups.get(type)!.has(input.name)) {
      return fail(409, 'OBJECT_ALREADY_EXISTS', `Property group with name ${input.name} already exists for ${type}`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(input.name))
      return invalid(`Property group name ${input.name} must be lowercase letters, digits and underscores`);
    const group = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    this.groups.get(type)!.set(group.name, group);
    return group;
  }

  updateGroup(type: ObjectType, name: string, patch: { label?: string; displayOrder?: number }): SimPropertyGroup {
    const group = this.groups.get(type)!.get(name) ?? notFound(`Unable to find property group ${name} for ${type}`);
    Object.assign(group, stripUndefined(patch));
    return group;
  }

  private validatePropertyDefinition(type: ObjectType, p: PropertyInput): void {
    if (!/^[a-z][a-z0-9_]*$/.test(p.name))
      invalid(`Property name ${p.name} must start with a lowercase letter and contain only lowercase letters, digits and underscores`);
    if (!p.label) invalid(`Property ${p.name} needs a label`);
    if (!FIELD_TYPES[p.type]) invalid(`Property ${p.name} has an unknown type ${p.type}`);
    if (!FIELD_TYPES[p.type]!.includes(p.fieldType)) invalid(`Property ${p.name}: fieldType ${p.fieldType} does not fit type ${p.type}`);
    if (!this.groups.get(type)!.has(p.groupName)) invalid(`Property group ${p.groupName} does not exist for ${type}`);
    if (p.type === 'enumeration' && p.fieldType !== 'calculation_equation' && !p.options?.length)
      invalid(`Enumeration property ${p.name} needs options`);
    const values = (p.options ?? []).map((o) => o.value);
    if (new Set(values).size !== values.length) invalid(`Property ${p.name} has duplicate option values`);
  }

  // ---- values -------------------------------------------------------------------------------

  /** Every problem at once, as HubSpot reports them; returns the normalised values. */
  private validateValues(type: ObjectType, input: Record<string, unknown>): Record<string, string> {
    if (!input || typeof input !== 'object') return invalid('properties must be an object');
    const out: Record<string, string> = {};
    const problems: PropertyProblem[] = [];
    for (const [name, raw] of Object.entries(input)) {
      const prop = this.property(type, name);
      if (!prop) {
        problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (prop.readOnlyValue || SYSTEM_PROPERTIES.has(name)) {
        problems.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
        continue;
      }
      const value = raw === null || raw === undefined ? '' : String(raw);
      const checked = normalizeValue(prop, value);
      if (typeof checked === 'string') out[name] = checked;
      else problems.push({ name, ...checked });
    }
    if (problems.length) propertyValuesInvalid(problems);
    return out;
  }

  /** HubSpot copies the product's fields onto a line item unless the line item sets them. */
  private productDefaults(productId: string, values: Record<string, string>): Record<string, string> {
    const product = this.get('products', productId);
    if (!product) {
      return propertyValuesInvalid([
        { name: 'hs_product_id', error: 'INVALID_PRODUCT', message: `Product with ID ${productId} does not exist` },
      ]);
    }
    const copied: Record<string, string> = {};
    for (const name of PRODUCT_FIELDS_COPIED_TO_LINE_ITEMS) {
      const v = product.properties[name];
      if (v !== undefined && values[name] === undefined) copied[name] = v;
    }
    return copied;
  }

  /** Calculated properties: deal closed flags, line item amount. */
  private derive(record: StoredRecord): void {
    const p = record.properties;
    if (record.type === 'deals') {
      const stage = DEFAULT_PIPELINE.stages.find((s) => s.id === p.dealstage);
      p.hs_is_closed_won = String(p.dealstage === 'closedwon');
      p.hs_is_closed = String(stage?.isClosed ?? false);
    }
    if (record.type === 'line_items') {
      const amount = Number(p.price ?? 0) * Number(p.quantity ?? 1) - Number(p.discount ?? 0) * Number(p.quantity ?? 1);
      if (p.price !== undefined) p.amount = String(Math.round(amount * 100) / 100);
      else delete p.amount;
    }
  }

  private table(type: ObjectType): Map<string, StoredRecord> {
    return this.records.get(type) ?? notFound(`Unknown object type ${type}`);
  }
}

function normalizeOptions(options: PropertyInput['options']): SimProperty['options'] {
  return (options ?? []).map((o, i) => ({
    value: o.value,
    label: o.label,
    hidden: o.hidden ?? false,
    displayOrder: o.displayOrder ?? i,
    ...(o.description ? { description: o.description } : {}),
  }));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function diff(before: Record<string, string>, after: Record<string, string>): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (name === 'hs_lastmodifieddate' || name === 'lastmodifieddate') continue;
    if (before[name] !== after[name]) changes.push({ name, value: after[name] ?? null, previous: before[name] ?? null });
  }
  return changes;
}

const DAY_MS = 86_400_000;

/** The stored form of a value, or why it is invalid. `''` means "clear". */
function normalizeValue(prop: SimProperty, value: string): string | Omit<PropertyProblem, 'name'> {
  if (value === '') return '';
  switch (prop.type) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value))
        ? value.trim()
        : { error: 'INVALID_INTEGER', message: `${value} is not a valid number for ${prop.name}` };
    case 'bool': {
      const lower = value.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? lower
        : { error: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean for ${prop.name}` };
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
      const ms = Number(value);
      if (Number.isInteger(ms) && ms % DAY_MS === 0) return new Date(ms).toISOString().slice(0, 10);
      return {
        error: 'INVALID_DATE',
        message: `${value} is not a valid date for ${prop.name}: use YYYY-MM-DD or epoch milliseconds at midnight UTC`,
      };
    }
    case 'datetime': {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      return Number.isFinite(ms)
        ? new Date(ms).toISOString()
        : { error: 'INVALID_DATETIME', message: `${value} is not a valid datetime for ${prop.name}` };
    }
    case 'enumeration': {
      if (prop.externalOptions || prop.options.length === 0) return value;
      const allowed = new Set(prop.options.map((o) => o.value));
      const parts = prop.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = parts.filter((v) => !allowed.has(v));
      return bad.length === 0
        ? value
        : { error: 'INVALID_OPTION', message: `${bad.join(';')} was not one of the allowed options: [${[...allowed].join(', ')}]` };
    }
    default:
      return value;
  }
}
