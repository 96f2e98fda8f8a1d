/**
 * What the workbench (and the card host) reads and writes in the CRM, in two implementations: the
 * simulated portal's store (edits count as a user's edits in the CRM UI, so they raise webhooks like
 * HubSpot does) and a real portal through the connector's own HubSpot client.
 */
import type { CrmRecord, HubSpotApi, ObjectType, PropertyInfo } from '../core/hubspot/api.js';
import type { HubSpotStore } from '../simulators/hubspot/index.js';

export const WORKBENCH_TYPES = ['deals', 'companies', 'contacts'] as const;
export type WorkbenchType = (typeof WORKBENCH_TYPES)[number];

export const OBJECT_TYPE_IDS: Record<WorkbenchType, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

/** The property that names a record in lists. */
const TITLE: Record<WorkbenchType, string[]> = {
  deals: ['dealname'],
  companies: ['name'],
  contacts: ['firstname', 'lastname', 'email'],
};

export interface RecordSummary {
  id: string;
  title: string;
}

export interface RecordDetail {
  id: string;
  type: WorkbenchType;
  title: string;
  properties: Record<string, string | null>;
  associations: Partial<Record<ObjectType, string[]>>;
  lineItems: { id: string; name: string; quantity: string; sku: string; price: string }[];
}

export interface ProductSummary {
  id: string;
  name: string;
  sku: string;
  price: string;
}

export interface CrmView {
  list(type: WorkbenchType): Promise<RecordSummary[]>;
  get(type: WorkbenchType, id: string): Promise<RecordDetail>;
  /** The named properties (null when unset), as HubSpot hands them to cards and functions. */
  read(type: WorkbenchType, id: string, names: readonly string[]): Promise<Record<string, string | null>>;
  update(type: WorkbenchType, id: string, properties: Record<string, string>): Promise<void>;
  /** The records of `toType` associated with the record, with the named properties (cards' useAssociations). */
  associated(
    type: WorkbenchType,
    id: string,
    toType: ObjectType,
    names: readonly string[],
  ): Promise<{ id: string; properties: Record<string, string | null> }[]>;
  definitions(type: WorkbenchType): Promise<PropertyInfo[]>;
  createDeal(properties: Record<string, string>, companyId: string | undefined, contactId: string | undefined): Promise<string>;
  products(): Promise<ProductSummary[]>;
  addLineItem(dealId: string, productId: string, quantity: number): Promise<void>;
}

export function titleOf(type: WorkbenchType, properties: Record<string, string | null | undefined>): string {
  const parts = TITLE[type].map((name) => properties[name]).filter(Boolean);
  return (type === 'contacts' ? parts.slice(0, 2).join(' ') || parts[2] : parts[0]) || '(no name)';
}

function toLineItem(record: { id: string; properties: Record<string, string | null | undefined> }) {
  const p = record.properties;
  return { id: record.id, name: p.name ?? '', quantity: p.quantity ?? '', sku: p.hs_sku ?? '', price: p.price ?? '' };
}

const LINE_ITEM_PROPERTIES = ['name', 'quantity', 'hs_sku', 'price', 'hs_product_id'];
const PRODUCT_PROPERTIES = ['name', 'hs_sku', 'price'];

/** The simulated portal, read and written directly (a person at the CRM UI, not an API call). */
export class SimulatedCrm implements CrmView {
  constructor(private readonly store: HubSpotStore) {}

  async list(type: WorkbenchType): Promise<RecordSummary[]> {
    return this.store
      .list(type)
      .filter((r) => !r.archived)
      .map((r) => ({ id: r.id, title: titleOf(type, r.properties) }));
  }

  async get(type: WorkbenchType, id: string): Promise<RecordDetail> {
    const record = this.store.require(type, id);
    const associations: Partial<Record<ObjectType, string[]>> = {};
    for (const other of ['deals', 'companies', 'contacts', 'line_items'] as ObjectType[]) {
      if (other !== type) associations[other] = this.store.associations(type, id, other);
    }
    const lineItems = (associations.line_items ?? []).flatMap((lineId) => {
      const item = this.store.get('line_items', lineId);
      return item && !item.archived ? [toLineItem(this.store.toApi(item, LINE_ITEM_PROPERTIES))] : [];
    });
    return { id, type, title: titleOf(type, record.properties), properties: { ...record.properties }, associations, lineItems };
  }

  async read(type: WorkbenchType, id: string, names: readonly string[]): Promise<Record<string, string | null>> {
    const record = this.store.require(type, id);
    return Object.fromEntries(names.map((name) => [name, record.properties[name] ?? null]));
  }

  async update(type: WorkbenchType, id: string, properties: Record<string, string>): Promise<void> {
    this.store.update(type, id, properties, { source: 'CRM_UI' });
  }

  async associated(type: WorkbenchType, id: string, toType: ObjectType, names: readonly string[]) {
    return this.store.associations(type, id, toType).flatMap((otherId) => {
      const other = this.store.get(toType, otherId);
      return other && !other.archived
        ? [{ id: otherId, properties: Object.fromEntries(names.map((name) => [name, other.properties[name] ?? null])) }]
        : [];
    });
  }

  async definitions(type: WorkbenchType): Promise<PropertyInfo[]> {
    return this.store.listProperties(type);
  }

  async createDeal(properties: Record<string, string>, companyId: string | undefined, contactId: string | undefined): Promise<string> {
    const associations = [
      ...(companyId ? [{ toType: 'companies' as const, toId: companyId }] : []),
      ...(contactId ? [{ toType: 'contacts' as const, toId: contactId }] : []),
    ];
    return this.store.create('deals', properties, associations, { source: 'CRM_UI' }).id;
  }

  async products(): Promise<ProductSummary[]> {
    return this.store
      .list('products')
      .filter((r) => !r.archived)
      .map((r) => {
        const p = this.store.toApi(r, PRODUCT_PROPERTIES).properties;
        return { id: r.id, name: p.name ?? '', sku: p.hs_sku ?? '', price: p.price ?? '' };
      });
  }

  async addLineItem(dealId: string, productId: string, quantity: number): Promise<void> {
    this.store.create('line_items', { hs_product_id: productId, quantity: String(quantity) }, [{ toType: 'deals', toId: dealId }], {
      source: 'CRM_UI',
    });
  }
}

/** A real portal, through the connector's HubSpot client (the private app token's scopes apply). */
export class HubSpotCrm implements CrmView {
  private readonly definitionCache = new Map<WorkbenchType, Promise<PropertyInfo[]>>();

  constructor(private readonly hubspot: HubSpotApi) {}

  async list(type: WorkbenchType): Promise<RecordSummary[]> {
    const { results } = await this.hubspot.search(type, {
      filterGroups: [],
      properties: TITLE[type],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
      limit: 50,
    });
    return results.map((r) => ({ id: r.id, title: titleOf(type, r.properties) }));
  }

  async get(type: WorkbenchType, id: string): Promise<RecordDetail> {
    const names = (await this.definitions(type)).map((d) => d.name);
    const others = (['deals', 'companies', 'contacts', 'line_items'] as ObjectType[]).filter((t) => t !== type);
    const record = await this.hubspot.getObject(type, id, names, others);
    const lineIds = record.associations.line_items ?? [];
    const lineItems: CrmRecord[] = lineIds.length ? await this.hubspot.batchRead('line_items', lineIds, LINE_ITEM_PROPERTIES) : [];
    return {
      id,
      type,
      title: titleOf(type, record.properties),
      properties: record.properties,
      associations: record.associations,
      lineItems: lineItems.map(toLineItem),
    };
  }

  async read(type: WorkbenchType, id: string, names: readonly string[]): Promise<Record<string, string | null>> {
    const record = await this.hubspot.getObject(type, id, names);
    return Object.fromEntries(names.map((name) => [name, record.properties[name] ?? null]));
  }

  async update(type: WorkbenchType, id: string, properties: Record<string, string>): Promise<void> {
    await this.hubspot.updateObject(type, id, properties);
  }

  async associated(type: WorkbenchType, id: string, toType: ObjectType, names: readonly string[]) {
    const ids = (await this.hubspot.getObject(type, id, [], [toType])).associations[toType] ?? [];
    const records = ids.length ? await this.hubspot.batchRead(toType, ids, [...names]) : [];
    return records.map((r) => ({ id: r.id, properties: Object.fromEntries(names.map((name) => [name, r.properties[name] ?? null])) }));
  }

  definitions(type: WorkbenchType): Promise<PropertyInfo[]> {
    let cached = this.definitionCache.get(type);
    if (!cached) {
      cached = this.hubspot.listProperties(type);
      this.definitionCache.set(type, cached);
    }
    return cached;
  }

  async createDeal(properties: Record<string, string>, companyId: string | undefined, contactId: string | undefined): Promise<string> {
    const associations = [
      ...(companyId ? [{ toType: 'companies' as const, toId: companyId }] : []),
      ...(contactId ? [{ toType: 'contacts' as const, toId: contactId }] : []),
    ];
    return (await this.hubspot.createObject('deals', properties, associations)).id;
  }

  async products(): Promise<ProductSummary[]> {
    const { results } = await this.hubspot.search('products', { filterGroups: [], properties: PRODUCT_PROPERTIES, limit: 100 });
    return results.map((r) => ({
      id: r.id,
      name: r.properties.name ?? '',
      sku: r.properties.hs_sku ?? '',
      price: r.properties.price ?? '',
    }));
  }

  async addLineItem(dealId: string, productId: string, quantity: number): Promise<void> {
    await this.hubspot.createObject('line_items', { hs_product_id: productId, quantity: String(quantity) }, [
      { toType: 'deals', toId: dealId },
    ]);
  }
}
