/**
 * What the use-cases may ask of HubSpot's CRM. `HubSpotClient` (client.ts) implements it on
 * @hubspot/api-client. Properties are HubSpot's strings (null when empty); mappers convert them.
 */
import type { CrmObjectType, PropertyDefinition, PropertyGroupDefinition } from '../catalog.js';

export type ObjectType = CrmObjectType | 'notes';

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

/** A record with the ids of its associated records, keyed by object type (e.g. `companies`). */
export interface CrmRecordWithAssociations extends CrmRecord {
  associations: Partial<Record<ObjectType, string[]>>;
}

export interface Filter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'IN' | 'NOT_IN' | 'CONTAINS_TOKEN';
  value?: string;
  values?: string[];
}

export interface SearchRequest {
  filterGroups: { filters: Filter[] }[];
  properties: string[];
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  /** Page size, at most 200. */
  limit?: number;
}

export interface PropertyInfo {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  options: { value: string; label: string; hidden?: boolean; displayOrder?: number }[];
  description?: string;
  hubspotDefined?: boolean;
  /** HubSpot's `hasUniqueValue` (no two records share a value). */
  hasUniqueValue?: boolean;
}

export interface PropertyGroupInfo {
  name: string;
  label: string;
}

/** How a call may use HubSpot's burst window. */
export interface CallOptions {
  /**
   * Bulk work (a product sync's batches): it waits while only the window's reserve is left, so the
   * calls that keep its progress (saving the run, releasing the lease) still get through.
   */
  bulk?: boolean;
}

/** This process's share of HubSpot's burst window, handed from one function invocation to the next. */
export interface BurstWindow {
  /** Answer times (epoch ms) of this process's calls that still count in the window. */
  recentCalls(): number[];
  /** Calls an earlier invocation made at these times (what it saved from `recentCalls`). */
  assumeCalls(times: readonly number[]): void;
}

export interface HubSpotApi {
  /** The burst window as this process knows it (a property, so call wrappers pass it through). */
  readonly burstWindow: BurstWindow;
  /** One record with the given properties and associated ids of `associations` types (one call). */
  getObject(
    type: ObjectType,
    id: string,
    properties: readonly string[],
    associations?: readonly ObjectType[],
  ): Promise<CrmRecordWithAssociations>;
  /** Batch read in chunks of 100; missing ids are left out. */
  batchRead(type: ObjectType, ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]>;
  /**
   * Batch read by a unique-value property (`idProperty`), in chunks of 100; values no record holds are
   * left out. Not a search: it counts only against the burst limit, not the search limit.
   */
  batchReadByProperty(
    type: ObjectType,
    idProperty: string,
    values: readonly string[],
    properties: readonly string[],
    options?: CallOptions,
  ): Promise<CrmRecord[]>;
  /**
   * Batch create-or-update by a unique-value property (`idProperty`), one call of at most 100 inputs:
   * an input whose `id` no record holds creates one, else updates it. Results carry `new`. Retrying
   * after an unknown outcome cannot create a second record (HubSpot enforces the unique value).
   */
  batchUpsert(
    type: ObjectType,
    idProperty: string,
    inputs: readonly { id: string; properties: Record<string, string> }[],
    options?: CallOptions,
  ): Promise<(CrmRecord & { new: boolean })[]>;
  /** One page of the list endpoint (at most 100 records, oldest first) and the cursor of the next. */
  listPage(
    type: ObjectType,
    request: { properties: readonly string[]; after?: string; limit?: number },
    options?: CallOptions,
  ): Promise<{ results: CrmRecord[]; after?: string }>;
  createObject(
    type: ObjectType,
    properties: Record<string, string>,
    associations?: { toType: ObjectType; toId: string }[],
  ): Promise<CrmRecord>;
  updateObject(type: ObjectType, id: string, properties: Record<string, string>): Promise<CrmRecord>;
  /** Batch create/update/archive in chunks of 100; results in input order. */
  batchCreate(type: ObjectType, inputs: { properties: Record<string, string> }[]): Promise<CrmRecord[]>;
  batchUpdate(type: ObjectType, inputs: { id: string; properties: Record<string, string> }[], options?: CallOptions): Promise<CrmRecord[]>;
  batchArchive(type: ObjectType, ids: readonly string[], options?: CallOptions): Promise<void>;
  /** Every match, paging with `after` (the search API stops at 10,000 results). */
  searchAll(type: ObjectType, request: SearchRequest): Promise<CrmRecord[]>;
  /** First page only, for lookups that expect few results. */
  search(type: ObjectType, request: SearchRequest): Promise<{ total: number; results: CrmRecord[] }>;
  /** v4 associations: ids of `toType` records associated with `fromId`. */
  listAssociations(fromType: ObjectType, fromId: string, toType: ObjectType): Promise<string[]>;
  /** v4 default (unlabelled) association between two records; idempotent. */
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): Promise<void>;
  /** Adds a note to a record's timeline. */
  createNote(body: string, attachTo: { type: ObjectType; id: string }, timestamp?: Date): Promise<CrmRecord>;
  listProperties(type: ObjectType): Promise<PropertyInfo[]>;
  getProperty(type: ObjectType, name: string): Promise<PropertyInfo | undefined>;
  createProperty(definition: PropertyDefinition): Promise<PropertyInfo>;
  updateProperty(definition: PropertyDefinition): Promise<PropertyInfo>;
  listPropertyGroups(type: ObjectType): Promise<PropertyGroupInfo[]>;
  createPropertyGroup(definition: PropertyGroupDefinition): Promise<PropertyGroupInfo>;
}
