/**
 * `HubSpotApi` on @hubspot/api-client (typed CRM objects, v4 associations and properties APIs).
 *
 * One retry policy: the api-client's own retries and Bottleneck limiter stay off
 * (`numberOfApiCallRetries: 0`, no `limiterOptions`); every HTTP call goes through `send`, which
 * paces under HubSpot's rolling limit (limiter.ts), times out, converts errors to
 * `HubSpotApiError`, and retries 429/5xx/network failures with jittered backoff honouring
 * Retry-After (http/retry.ts). Creates are not idempotent, so they retry only on 429, the one answer
 * that guarantees nothing was written.
 *
 * Search calls also pass a second pacer for HubSpot's search limit (5 per second per account, known up
 * front: search answers carry no rate-limit headers). A search 429 comes without Retry-After; it is
 * retried once that pacer's window has passed, and the pacer counts the window as full meanwhile.
 *
 * Batch calls go in sequential chunks of 100 (HubSpot's batch limit) and return results in input
 * order: HubSpot does not promise batch results in input order.
 */
import { Client } from '@hubspot/api-client';
import type { HttpInfo } from '@hubspot/api-client/lib/codegen/crm/objects/http/http.js';
import type { PropertyGroupCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyGroupCreate.js';
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js';
import type { PropertyUpdate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyUpdate.js';
import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/models/PublicObjectSearchRequest.js';
import type { SimplePublicObjectInputForCreate } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObjectInputForCreate.js';
import type { PropertyDefinition, PropertyGroupDefinition } from '../catalog.js';
import type { HubSpotConfig } from '../config.js';
import { requestTimeoutMs } from '../http/deadline.js';
import { DEFAULT_RETRY, isRetryableStatus, withRetry, type RetryOptions } from '../http/retry.js';
import { silentLogger, type Logger } from '../log.js';
import type {
  BurstWindow,
  CallOptions,
  CrmRecord,
  CrmRecordWithAssociations,
  HubSpotApi,
  ObjectType,
  PropertyGroupInfo,
  PropertyInfo,
  SearchRequest,
} from './api.js';
import { HubSpotApiError, scrub, toHubSpotApiError } from './errors.js';
import { RateLimitPacer, SEARCH_RATE_LIMIT, type Pacer } from './limiter.js';

export const BATCH_SIZE = 100;
export const SEARCH_PAGE_SIZE = 200;
/** HubSpot's search API never pages past 10,000 results. */
export const SEARCH_RESULT_CAP = 10_000;
const ASSOCIATIONS_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * Calls of the burst window that bulk work leaves to everything else: the slice's own bookkeeping
 * (checkpoint and final save, lease release, the report's read: about 5), the next slice's first
 * calls before it knows this one's window (3), and some room for cards and webhooks meanwhile.
 */
export const BULK_RESERVE = 12;

/**
 * HUBSPOT_DEFINED default (unlabelled) association type ids, from → to.
 * Source: https://developers.hubspot.com/docs/api/crm/associations/v4#association-type-id-values
 */
export const DEFAULT_ASSOCIATION_TYPE_IDS: Partial<Record<`${ObjectType}->${ObjectType}`, number>> = {
  'deals->companies': 341,
  'companies->deals': 342,
  'deals->contacts': 3,
  'contacts->deals': 4,
  'contacts->companies': 279,
  'companies->contacts': 280,
  'deals->line_items': 19,
  'line_items->deals': 20,
  'notes->deals': 214,
  'notes->companies': 190,
  'notes->contacts': 202,
};

export interface HubSpotClientOptions {
  retry?: Partial<Omit<RetryOptions, 'decide'>>;
  logger?: Logger;
  /** Used for retry waits (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Paces calls under the rate limit; a RateLimitPacer learning from HubSpot's headers by default. */
  limiter?: Pacer;
  /** Paces search calls under HubSpot's search limit; a RateLimitPacer at SEARCH_RATE_LIMIT by default (`noPacing`: off). */
  searchLimiter?: Pacer;
  /** Per-request timeout. */
  timeoutMs?: number;
  /**
   * Applied to every property value the client writes (records and notes are readable and exportable
   * by every CRM user): the edge passes the same secret redaction as the logs (src/core/log.ts).
   */
  redactValue?: (value: string) => string;
}

interface SendOptions extends CallOptions {
  /** Safe to repeat after an unknown outcome (network error, 5xx). */
  idempotent: boolean;
  /** A CRM search call: also paced under the search limit. */
  search?: boolean;
}

export function createHubSpotClient(config: HubSpotConfig, options: HubSpotClientOptions = {}): HubSpotApi {
  return new HubSpotClient(config, options);
}

class HubSpotClient implements HubSpotApi {
  private readonly objects: Client['crm']['objects'];
  private readonly associationsV4: Client['crm']['associations']['v4'];
  private readonly properties: Client['crm']['properties'];
  private readonly logger: Logger;
  private readonly redactValue: (value: string) => string;
  private readonly pacer: Pacer;
  private readonly searchPacer: Pacer;
  private readonly retry: Omit<RetryOptions, 'decide'>;
  private readonly timeoutMs: number;
  private readonly token: string;
  readonly burstWindow: BurstWindow;

  constructor(config: HubSpotConfig, options: HubSpotClientOptions) {
    this.token = config.PRIVATE_APP_ACCESS_TOKEN;
    const client = new Client({
      accessToken: config.PRIVATE_APP_ACCESS_TOKEN,
      ...(config.HUBSPOT_API_BASE_URL ? { basePath: config.HUBSPOT_API_BASE_URL.replace(/\/+$/, '') } : {}),
      numberOfApiCallRetries: 0,
    });
    // The api-client decorates its APIs (retries, Bottleneck) from a process-wide list that every
    // `new Client()` overwrites, when an API is first touched. Touch ours now, while the list is
    // empty, so another Client created later cannot add a second retry policy to them.
    this.objects = client.crm.objects;
    this.associationsV4 = client.crm.associations.v4;
    this.properties = client.crm.properties;
    this.logger = options.logger ?? silentLogger;
    this.redactValue = options.redactValue ?? ((value) => value);
    // The pacer keeps real time even when tests fake `sleep` for retries: a pacer that cannot wait would spin.
    this.pacer = options.limiter ?? new RateLimitPacer();
    this.searchPacer = options.searchLimiter ?? new RateLimitPacer({ ...SEARCH_RATE_LIMIT });
    this.retry = { ...DEFAULT_RETRY, ...(options.sleep ? { sleep: options.sleep } : {}), ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.burstWindow = {
      recentCalls: () => this.pacer.recentCalls?.() ?? [],
      assumeCalls: (times) => this.pacer.assumeCalls?.(times),
    };
  }

  // ---- objects ------------------------------------------------------------------------------

  async getObject(
    type: ObjectType,
    id: string,
    properties: readonly string[],
    associations: readonly ObjectType[] = [],
  ): Promise<CrmRecordWithAssociations> {
    const data = await this.send(`getObject ${type}/${id}`, { idempotent: true }, () =>
      this.objects.basicApi.getByIdWithHttpInfo(type, id, [...properties], undefined, associations.length ? [...associations] : undefined),
    );
    const linked: CrmRecordWithAssociations['associations'] = {};
    for (const wanted of associations) linked[wanted] = [];
    for (const [key, collection] of Object.entries(data.associations ?? {})) {
      const wanted = associations.find((t) => sameObjectType(t, key));
      if (!wanted) continue;
      const ids = (collection?.results ?? []).map((r) => String(r.id));
      linked[wanted] = unique([...(linked[wanted] ?? []), ...ids]);
    }
    return { ...toRecord(data), associations: linked };
  }

  async batchRead(type: ObjectType, ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]> {
    const wanted = unique(ids);
    const byId = new Map<string, CrmRecord>();
    for (const chunk of chunks(wanted, BATCH_SIZE)) {
      const data = await this.send(`batchRead ${type}`, { idempotent: true }, () =>
        this.objects.batchApi.readWithHttpInfo(type, {
          inputs: chunk.map((id) => ({ id })),
          properties: [...properties],
          propertiesWithHistory: [],
        }),
      );
      for (const r of data.results) byId.set(String(r.id), toRecord(r));
    }
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  async batchReadByProperty(
    type: ObjectType,
    idProperty: string,
    values: readonly string[],
    properties: readonly string[],
    options: CallOptions = {},
  ): Promise<CrmRecord[]> {
    const wanted = unique(values);
    const byValue = new Map<string, CrmRecord>();
    // The id property rides along so each answer can be matched to its value (the order is not promised).
    const asked = unique([...properties, idProperty]);
    for (const chunk of chunks(wanted, BATCH_SIZE)) {
      const data = await this.send(`batchRead ${type} by ${idProperty}`, { idempotent: true, ...options }, () =>
        this.objects.batchApi.readWithHttpInfo(type, {
          idProperty,
          inputs: chunk.map((id) => ({ id })),
          properties: asked,
          propertiesWithHistory: [],
        }),
      );
      for (const r of data.results) {
        const record = toRecord(r);
        const value = record.properties[idProperty];
        if (value) byValue.set(value, record);
      }
    }
    return wanted.flatMap((value) => byValue.get(value) ?? []);
  }

  async batchUpsert(
    type: ObjectType,
    idProperty: string,
    inputs: readonly { id: string; properties: Record<string, string> }[],
    options: CallOptions = {},
  ): Promise<(CrmRecord & { new: boolean })[]> {
    if (inputs.length > BATCH_SIZE) throw new Error(`batchUpsert takes at most ${BATCH_SIZE} inputs, got ${inputs.length}`);
    // The unique value rides along as a property too, so a created record holds it and the answer names it.
    const body = {
      inputs: inputs.map((input) => ({
        id: input.id,
        idProperty,
        properties: this.clean({ ...input.properties, [idProperty]: input.id }),
      })),
    };
    // Idempotent by construction: a repeated upsert finds the record the first one created.
    const data = await this.send(`batchUpsert ${type} by ${idProperty}`, { idempotent: true, ...options }, () =>
      this.objects.batchApi.upsertWithHttpInfo(type, body),
    );
    this.throwBatchErrors(`batchUpsert ${type}`, data);
    // The api-client names HubSpot's `new` `_new` (a reserved word in its generator).
    return data.results.map((r) => ({
      ...toRecord(r),
      new: Boolean((r as { _new?: boolean; new?: boolean })._new ?? (r as { new?: boolean }).new),
    }));
  }

  async listPage(
    type: ObjectType,
    request: { properties: readonly string[]; after?: string; limit?: number },
    options: CallOptions = {},
  ): Promise<{ results: CrmRecord[]; after?: string }> {
    const limit = Math.min(request.limit ?? BATCH_SIZE, BATCH_SIZE);
    const data = await this.send(`listPage ${type}`, { idempotent: true, ...options }, () =>
      this.objects.basicApi.getPageWithHttpInfo(type, limit, request.after, [...request.properties]),
    );
    return { results: data.results.map(toRecord), after: data.paging?.next?.after };
  }

  /** Property values as written: every value through the secret redaction. */
  private clean(properties: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name, typeof value === 'string' ? this.redactValue(value) : value]),
    );
  }

  async createObject(
    type: ObjectType,
    properties: Record<string, string>,
    associations: { toType: ObjectType; toId: string }[] = [],
  ): Promise<CrmRecord> {
    const body = {
      properties: this.clean(properties),
      associations: associations.map((a) => inlineAssociation(type, a.toType, a.toId)),
    } as unknown as SimplePublicObjectInputForCreate;
    const data = await this.send(`createObject ${type}`, { idempotent: false }, () => this.objects.basicApi.createWithHttpInfo(type, body));
    return toRecord(data);
  }

  async updateObject(type: ObjectType, id: string, properties: Record<string, string>): Promise<CrmRecord> {
    const data = await this.send(`updateObject ${type}/${id}`, { idempotent: true }, () =>
      this.objects.basicApi.updateWithHttpInfo(type, id, { properties: this.clean(properties) }),
    );
    return toRecord(data);
  }

  async batchCreate(type: ObjectType, inputs: { properties: Record<string, string> }[]): Promise<CrmRecord[]> {
    const out: CrmRecord[] = [];
    for (const chunk of chunks(inputs, BATCH_SIZE)) {
      const body = {
        inputs: chunk.map((input, i) => ({ properties: this.clean(input.properties), associations: [], objectWriteTraceId: String(i) })),
      } as unknown as Parameters<Client['crm']['objects']['batchApi']['create']>[1];
      const data = await this.send(`batchCreate ${type}`, { idempotent: false }, () =>
        this.objects.batchApi.createWithHttpInfo(type, body),
      );
      this.throwBatchErrors(`batchCreate ${type}`, data);
      const traced = new Map(data.results.map((r) => [r.objectWriteTraceId, r]));
      // HubSpot echoes objectWriteTraceId; without it, fall back to the answer's order.
      const ordered = chunk.map((_, i) => traced.get(String(i)));
      out.push(...(ordered.every(Boolean) ? ordered : data.results).map((r) => toRecord(r!)));
    }
    return out;
  }

  async batchUpdate(
    type: ObjectType,
    inputs: { id: string; properties: Record<string, string> }[],
    options: CallOptions = {},
  ): Promise<CrmRecord[]> {
    // HubSpot rejects a batch naming an id twice: merge them (later values win).
    const merged = new Map<string, Record<string, string>>();
    for (const input of inputs) merged.set(input.id, { ...merged.get(input.id), ...input.properties });
    const byId = new Map<string, CrmRecord>();
    for (const chunk of chunks([...merged.entries()], BATCH_SIZE)) {
      const data = await this.send(`batchUpdate ${type}`, { idempotent: true, ...options }, () =>
        this.objects.batchApi.updateWithHttpInfo(type, {
          inputs: chunk.map(([id, properties]) => ({ id, properties: this.clean(properties) })),
        }),
      );
      this.throwBatchErrors(`batchUpdate ${type}`, data);
      for (const r of data.results) byId.set(String(r.id), toRecord(r));
    }
    return inputs.map((input) => byId.get(input.id)!);
  }

  async batchArchive(type: ObjectType, ids: readonly string[], options: CallOptions = {}): Promise<void> {
    for (const chunk of chunks(unique(ids), BATCH_SIZE)) {
      await this.send(`batchArchive ${type}`, { idempotent: true, ...options }, () =>
        this.objects.batchApi.archiveWithHttpInfo(type, { inputs: chunk.map((id) => ({ id })) }),
      );
    }
  }

  // ---- search -------------------------------------------------------------------------------

  async search(type: ObjectType, request: SearchRequest): Promise<{ total: number; results: CrmRecord[] }> {
    const page = await this.searchPage(type, request, '0');
    return { total: page.total, results: page.results };
  }

  async searchAll(type: ObjectType, request: SearchRequest): Promise<CrmRecord[]> {
    const results: CrmRecord[] = [];
    let after: string | undefined = '0';
    let total = 0;
    while (after !== undefined) {
      const page = await this.searchPage(type, { ...request, limit: Math.min(request.limit ?? SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE) }, after);
      results.push(...page.results);
      total = page.total;
      after = page.after;
      if (after !== undefined && Number(after) >= SEARCH_RESULT_CAP) {
        this.logger.warn('HubSpot search stopped at its 10,000 result limit; narrow the filters to see the rest', {
          objectType: type,
          total,
          returned: results.length,
        });
        break;
      }
    }
    return results;
  }

  private async searchPage(type: ObjectType, request: SearchRequest, after: string) {
    const body: PublicObjectSearchRequest = {
      filterGroups: request.filterGroups.map((g) => ({
        filters: g.filters.map((f) => ({ ...f })),
      })) as PublicObjectSearchRequest['filterGroups'],
      properties: [...request.properties],
      // The api-client and the OpenAPI spec take sorts as strings: "name" ascending, "-name" descending.
      sorts: (request.sorts ?? []).map((s) => (s.direction === 'DESCENDING' ? `-${s.propertyName}` : s.propertyName)),
      limit: Math.min(request.limit ?? SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE),
      after,
    };
    const data = await this.send(`search ${type}`, { idempotent: true, search: true }, () =>
      this.objects.searchApi.doSearchWithHttpInfo(type, body),
    );
    return { total: data.total, results: data.results.map(toRecord), after: data.paging?.next?.after };
  }

  // ---- associations (v4) --------------------------------------------------------------------

  async listAssociations(fromType: ObjectType, fromId: string, toType: ObjectType): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const data = await this.send(`listAssociations ${fromType}/${fromId} → ${toType}`, { idempotent: true }, () =>
        this.associationsV4.basicApi.getPageWithHttpInfo(fromType, fromId, toType, after, ASSOCIATIONS_PAGE_SIZE),
      );
      ids.push(...data.results.map((r) => String(r.toObjectId)));
      after = data.paging?.next?.after;
    } while (after);
    return unique(ids);
  }

  async associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): Promise<void> {
    await this.send(`associate ${fromType}/${fromId} → ${toType}/${toId}`, { idempotent: true }, () =>
      this.associationsV4.basicApi.createDefaultWithHttpInfo(fromType, fromId, toType, toId),
    );
  }

  async createNote(body: string, attachTo: { type: ObjectType; id: string }, timestamp: Date = new Date()): Promise<CrmRecord> {
    return this.createObject('notes', { hs_note_body: body, hs_timestamp: timestamp.toISOString() }, [
      { toType: attachTo.type, toId: attachTo.id },
    ]);
  }

  // ---- properties ---------------------------------------------------------------------------

  async listProperties(type: ObjectType): Promise<PropertyInfo[]> {
    const data = await this.send(`listProperties ${type}`, { idempotent: true }, () => this.properties.coreApi.getAllWithHttpInfo(type));
    return data.results.map(toPropertyInfo);
  }

  async getProperty(type: ObjectType, name: string): Promise<PropertyInfo | undefined> {
    try {
      const data = await this.send(`getProperty ${type}.${name}`, { idempotent: true }, () =>
        this.properties.coreApi.getByNameWithHttpInfo(type, name),
      );
      return toPropertyInfo(data);
    } catch (error) {
      if (error instanceof HubSpotApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async createProperty(definition: PropertyDefinition): Promise<PropertyInfo> {
    // hasUniqueValue only on create: HubSpot cannot make an existing property unique.
    const body = {
      ...propertyFields(definition),
      name: definition.name,
      ...(definition.hasUniqueValue ? { hasUniqueValue: true } : {}),
    } as PropertyCreate;
    const data = await this.send(`createProperty ${definition.objectType}.${definition.name}`, { idempotent: false }, () =>
      this.properties.coreApi.createWithHttpInfo(definition.objectType, body),
    );
    return toPropertyInfo(data);
  }

  async updateProperty(definition: PropertyDefinition): Promise<PropertyInfo> {
    const body = propertyFields(definition) as PropertyUpdate;
    const data = await this.send(`updateProperty ${definition.objectType}.${definition.name}`, { idempotent: true }, () =>
      this.properties.coreApi.updateWithHttpInfo(definition.objectType, definition.name, body),
    );
    return toPropertyInfo(data);
  }

  async listPropertyGroups(type: ObjectType): Promise<PropertyGroupInfo[]> {
    const data = await this.send(`listPropertyGroups ${type}`, { idempotent: true }, () =>
      this.properties.groupsApi.getAllWithHttpInfo(type),
    );
    return data.results.map((g) => ({ name: g.name, label: g.label }));
  }

  async createPropertyGroup(definition: PropertyGroupDefinition): Promise<PropertyGroupInfo> {
    const body: PropertyGroupCreate = { name: definition.name, label: definition.label };
    const data = await this.send(`createPropertyGroup ${definition.objectType}.${definition.name}`, { idempotent: false }, () =>
      this.properties.groupsApi.createWithHttpInfo(definition.objectType, body),
    );
    return { name: data.name, label: data.label };
  }

  // ---- transport ----------------------------------------------------------------------------

  /** One HTTP call: paced, timed out, errors typed, retried within bounds. */
  private send<T>(operation: string, options: SendOptions, call: () => Promise<HttpInfo<T>>): Promise<T> {
    let searchLimitWaitMs: number | undefined;
    return withRetry(
      async (attempt) => {
        const answered = await this.acquire(options);
        try {
          // Within the call's time budget (http/deadline.ts); throws before sending when it is spent.
          const timeout = requestTimeoutMs(this.timeoutMs);
          const info = await withTimeout(call(), timeout);
          answered();
          this.pacer.observe(info.headers);
          return info.data;
        } catch (raw) {
          answered();
          const error = toHubSpotApiError(raw, operation, this.token);
          if (error.info.headers) this.pacer.observe(error.info.headers);
          // Without Retry-After, a search 429 is the search limit: its window is full until it passes.
          searchLimitWaitMs =
            options.search && error.status === 429 && error.info.retryAfterMs === undefined ? this.searchPacer.exhausted?.() : undefined;
          if (shouldRetry(error, options) && attempt < this.retry.retries) {
            this.logger.warn('HubSpot call failed, retrying', {
              operation,
              status: error.status,
              category: error.category,
              attempt: attempt + 1,
            });
          }
          throw error;
        }
      },
      { ...this.retry, decide: (error) => this.decide(error, options, searchLimitWaitMs) },
    );
  }

  /** Waits for the search limit (search calls) and then the burst limit; the result reports the answer to both. */
  private async acquire(options: SendOptions): Promise<() => void> {
    const searchAnswered = options.search ? await this.searchPacer.acquire() : undefined;
    const answered = await this.pacer.acquire(options.bulk ? { reserve: BULK_RESERVE } : {});
    return () => {
      answered?.();
      searchAnswered?.();
    };
  }

  private decide(error: unknown, options: SendOptions, searchLimitWaitMs: number | undefined) {
    if (!(error instanceof HubSpotApiError) || !shouldRetry(error, options)) return { retry: false };
    // A 429 without Retry-After: wait out the search window, or at least a second.
    const afterMs = error.info.retryAfterMs ?? searchLimitWaitMs ?? (error.status === 429 ? 1000 : undefined);
    return { retry: true, afterMs };
  }

  /** A 207 answer lists the inputs HubSpot did not process; the caller asked for all of them. */
  private throwBatchErrors(operation: string, data: object): void {
    const errors = ((data as { errors?: unknown[] }).errors ?? []) as {
      message?: string;
      category?: string;
      context?: Record<string, unknown>;
    }[];
    if (errors.length === 0) return;
    const first = errors[0]!;
    throw new HubSpotApiError(
      207,
      scrub(`HubSpot ${operation} failed for some inputs (${first.category ?? 'ERROR'}): ${first.message ?? 'no message'}`, this.token),
      {
        category: first.category,
        operation,
        context: first.context,
        details: errors.map((e) => ({ message: scrub(e.message ?? '', this.token), code: e.category, context: e.context })),
      },
    );
  }
}

function shouldRetry(error: HubSpotApiError, options: SendOptions): boolean {
  if (error.status === 429) return true;
  if (!options.idempotent) return false;
  return error.isNetworkError || isRetryableStatus(error.status);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function inlineAssociation(fromType: ObjectType, toType: ObjectType, toId: string) {
  const typeId = DEFAULT_ASSOCIATION_TYPE_IDS[`${fromType}->${toType}`];
  if (typeId === undefined) throw new Error(`No default HubSpot association type from ${fromType} to ${toType}`);
  return { to: { id: toId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] };
}

interface ApiObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: Date | string;
  updatedAt?: Date | string;
  archived?: boolean;
}

function toRecord(o: ApiObject): CrmRecord {
  const record: CrmRecord = { id: String(o.id), properties: { ...o.properties } };
  if (o.createdAt) record.createdAt = toIso(o.createdAt);
  if (o.updatedAt) record.updatedAt = toIso(o.updatedAt);
  if (o.archived !== undefined) record.archived = o.archived;
  return record;
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

interface ApiProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description?: string;
  hubspotDefined?: boolean;
  hasUniqueValue?: boolean;
  options: { value: string; label: string; hidden?: boolean; displayOrder?: number }[];
}

function toPropertyInfo(p: ApiProperty): PropertyInfo {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    groupName: p.groupName,
    options: (p.options ?? []).map((o) => ({ value: o.value, label: o.label, hidden: o.hidden, displayOrder: o.displayOrder })),
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.hubspotDefined !== undefined ? { hubspotDefined: p.hubspotDefined } : {}),
    ...(p.hasUniqueValue !== undefined ? { hasUniqueValue: p.hasUniqueValue } : {}),
  };
}

function propertyFields(d: PropertyDefinition) {
  return {
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    groupName: d.groupName,
    description: d.description,
    ...(d.options ? { options: d.options.map((o, i) => ({ label: o.label, value: o.value, hidden: false, displayOrder: i })) } : {}),
  };
}

/** `line_items` may come back as `line items` or `line_item`; compare loosely. */
function sameObjectType(type: ObjectType, key: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[\s_]+/g, '')
      .replace(/s$/, '');
  return norm(type) === norm(key);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
