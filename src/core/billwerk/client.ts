/**
 * `BillwerkApi` over axios: OAuth2 client credentials with a cached, single-flight token, per-entity
 * addressing, timeouts, bounded jittered retries, zod-parsed replies and typed errors.
 *
 * Retry policy (docs/billwerk-api.md §10):
 * - Reads, PATCHes (same patch twice = same result) and the order preview (stores nothing) retry on
 *   408/429/5xx and network failures, honouring Retry-After.
 * - Creates (customer, order) and commits are not idempotent: a request that timed out or whose
 *   connection broke may have been carried out. They retry only when billwerk provably did not act:
 *   429 and 503 (refused before processing) and connection failures before anything was sent
 *   (ECONNREFUSED, DNS). Anything else surfaces; the use-cases are idempotent because they look up
 *   before creating (external id, ids stored on the deal), so a user's retry never duplicates.
 */
import { createHash } from 'node:crypto';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { BillwerkConfig, BillwerkEntity } from '../config.js';
import { requestTimeoutMs } from '../http/deadline.js';
import { DEFAULT_RETRY, isRetryableStatus, retryAfterMs, withRetry, type RetryDecision, type RetryOptions } from '../http/retry.js';
import { silentLogger, type Logger } from '../log.js';
import type { BillwerkApi, BillwerkEntityApi, CatalogListItem, CatalogListKind, CatalogPage } from './api.js';
import { BillwerkApiError, BillwerkReplyError, UnknownBillwerkEntityError, scrubTokens, toBillwerkApiError } from './errors.js';
import {
  componentSchema,
  contractSchema,
  customerSchema,
  discountSchema,
  invoiceSchema,
  orderPreviewSchema,
  orderSchema,
  planGroupSchema,
  planSchema,
  planVariantSchema,
  type Contract,
  type CustomerInput,
  type Invoice,
  type OrderInput,
} from './schemas.js';

export const API_PREFIX = '/api/v1';
export const TOKEN_PATH = '/oauth/token';
export const ENTITY_HEADER = 'X-SELECTED-LEGAL-ENTITY-ID';
/** billwerk's maximum `take`. */
export const MAX_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 15_000;
/** Lifetime assumed when the token reply has no `expires_in` (billwerk does not document one). */
const ASSUMED_TOKEN_LIFETIME_S = 300;
/** Safety stop for paging (500 × 200 = 100,000 items). */
const MAX_PAGES = 200;
/** Network failures that happen before a request leaves this machine: safe to retry any call. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

// ---------------------------------------------------------------------------------------------------
// Token cache

export interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token must not be used any more (expiry minus a margin). */
  refreshAt: number;
}

/**
 * Tokens by credential key (base URL + client id + a hash of the secret, so different credentials
 * never share a token). Also holds the in-flight token request per key: concurrent callers wait for
 * the one request. Pass one cache to several clients to share tokens between them; by default each
 * client has its own, and src/functions/runtime.ts keeps one client per configuration alive across
 * warm invocations.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();

  get(key: string, now: number): CachedToken | undefined {
    const token = this.tokens.get(key);
    return token && token.refreshAt > now ? token : undefined;
  }

  /** Forget `accessToken` (billwerk said 401) unless a newer token already replaced it. */
  invalidate(key: string, accessToken: string): void {
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }

  /** The cached token or the result of `fetch`, requested at most once at a time per key. */
  async obtain(key: string, now: number, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const cached = this.get(key, now);
    if (cached) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = fetch()
        .then((token) => {
          this.tokens.set(key, token);
          return token;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.tokens.clear();
  }
}

export function tokenCacheKey(config: Pick<BillwerkConfig, 'BILLWERK_BASE_URL' | 'BILLWERK_CLIENT_ID' | 'BILLWERK_CLIENT_SECRET'>): string {
  const secretHash = createHash('sha256').update(config.BILLWERK_CLIENT_SECRET).digest('hex').slice(0, 16);
  return `${config.BILLWERK_BASE_URL}|${config.BILLWERK_CLIENT_ID}|${secretHash}`;
}

const tokenReplySchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** Refresh a minute early, or at 90% of a short lifetime. */
export function refreshAtFor(expiresInSeconds: number | undefined, now: number): number {
  const lifetime = expiresInSeconds ?? ASSUMED_TOKEN_LIFETIME_S;
  const margin = Math.min(60, lifetime * 0.1);
  return now + (lifetime - margin) * 1000;
}

// ---------------------------------------------------------------------------------------------------
// Client

export interface BillwerkClientOptions {
  /** Per HTTP request (default 15 s). */
  timeoutMs?: number;
  retry?: Partial<Omit<RetryOptions, 'decide'>>;
  logger?: Logger;
  /** Used for retry waits (tests pass a fake to observe waits instead of timing them). */
  sleep?: (ms: number) => Promise<void>;
  /** Shared token cache (default: one per client). */
  tokenCache?: TokenCache;
  /** Clock for token expiry. */
  now?: () => number;
  /** `take` for list calls (default and maximum 500). */
  pageSize?: number;
}

interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under /api/v1, e.g. `/customers/123`. */
  path: string;
  /** Route name for errors, e.g. `/customers/:id`. */
  endpoint: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Safe to repeat after an unclear failure (timeout, connection reset, 5xx). */
  idempotent: boolean;
}

export function createBillwerkClient(config: BillwerkConfig, options: BillwerkClientOptions = {}): BillwerkApi {
  return new BillwerkClient(config, options);
}

class BillwerkClient implements BillwerkApi {
  readonly entities: readonly BillwerkEntity[];
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  private readonly retry: Omit<RetryOptions, 'decide'>;
  private readonly tokens: TokenCache;
  private readonly tokenKey: string;
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly byId = new Map<string, BillwerkEntityApi>();
  private readonly inflightGets = new Map<string, Promise<AxiosResponse>>();
  private recentTokens: string[] = [];

  constructor(
    private readonly config: BillwerkConfig,
    options: BillwerkClientOptions,
  ) {
    this.entities = config.BILLWERK_ENTITIES;
    this.http = axios.create({
      baseURL: config.BILLWERK_BASE_URL,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Every status is a reply we classify ourselves; axios throws only when there is no reply.
      validateStatus: () => true,
      // Redirects would resend credentials elsewhere; billwerk's API does not redirect.
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
    });
    this.logger = options.logger ?? silentLogger;
    this.retry = { ...DEFAULT_RETRY, ...(options.sleep ? { sleep: options.sleep } : {}), ...options.retry };
    this.tokens = options.tokenCache ?? new TokenCache();
    this.tokenKey = tokenCacheKey(config);
    this.now = options.now ?? Date.now;
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  }

  forEntity(entityId?: string | null): BillwerkEntityApi {
    const entity = entityId ? this.entities.find((e) => e.id === entityId) : this.entities[0];
    if (!entity)
      throw new UnknownBillwerkEntityError(
        entityId ?? '(root)',
        this.entities.map((e) => e.id),
      );
    let api = this.byId.get(entity.id);
    if (!api) {
      // billwerk wants the header only with an entity hierarchy; a single-entity account gets none.
      const header = this.entities.length > 1 ? entity.id : undefined;
      api = new EntityApi(
        entity,
        <T>(spec: RequestSpec<T>) => this.call(spec, header),
        <T>(spec: RequestSpec<T[]>) => this.listAll(spec, header),
        this.pageSize,
      );
      this.byId.set(entity.id, api);
    }
    return api;
  }

  /** One API call: retries around (authorized request -> status check), then the zod parse. */
  private async call<T>(spec: RequestSpec<T>, entityHeader: string | undefined): Promise<T> {
    const response = await this.sharedGet(spec, entityHeader, () =>
      withRetry(
        async () => {
          const reply = await this.authorized(spec, entityHeader);
          if (reply.status >= 400) {
            throw toBillwerkApiError(
              reply.status,
              reply.data,
              { method: spec.method, path: API_PREFIX + spec.path, retryAfterMs: retryAfterMs(reply.headers as Record<string, unknown>) },
              this.secretValues(),
            );
          }
          return reply;
        },
        { ...this.retry, decide: (error) => this.decide(error, spec) },
      ),
    );
    // Parsed per caller: callers sharing a GET never share (and mutate) one object.
    const parsed = spec.schema.safeParse(response.data);
    if (!parsed.success) {
      throw new BillwerkReplyError(
        `${spec.method} ${API_PREFIX}${spec.endpoint}`,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      );
    }
    return parsed.data;
  }

  /**
   * Identical GETs in flight at the same time share one request (e.g. a contract read in parallel by
   * a use-case and by `listInvoices`). Writes never share.
   */
  private sharedGet(
    spec: RequestSpec<unknown>,
    entityHeader: string | undefined,
    send: () => Promise<AxiosResponse>,
  ): Promise<AxiosResponse> {
    if (spec.method !== 'GET') return send();
    const key = `${entityHeader ?? ''} ${spec.path}?${JSON.stringify(spec.query ?? {})}`;
    const pending = this.inflightGets.get(key);
    if (pending) return pending;
    const request = send().finally(() => this.inflightGets.delete(key));
    this.inflightGets.set(key, request);
    return request;
  }

  /** Follows `take`/`from` pages until a short page. `from` is inclusive: each next page repeats the last item. */
  private async listAll<T>(spec: RequestSpec<T[]>, entityHeader: string | undefined): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let from: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const batch = await this.call({ ...spec, query: { ...spec.query, take: this.pageSize, from } }, entityHeader);
      let added = 0;
      for (const item of batch) {
        const id = (item as { Id?: string }).Id ?? '';
        if (seen.has(id)) continue;
        seen.add(id);
        items.push(item);
        added++;
      }
      const last = (batch.at(-1) as { Id?: string } | undefined)?.Id;
      if (batch.length < this.pageSize || !last || added === 0) return items;
      from = last;
    }
    this.logger.warn('billwerk list stopped at the page limit', { endpoint: spec.endpoint, pages: MAX_PAGES });
    return items;
  }

  private decide(error: unknown, spec: RequestSpec<unknown>): RetryDecision {
    if (!(error instanceof BillwerkApiError)) return { retry: false };
    // The token request has its own retries; repeating them per API attempt would multiply them.
    if (error.path === TOKEN_PATH) return { retry: false };
    const decision = retryDecision(error, spec.idempotent);
    if (decision.retry)
      this.logger.warn('billwerk call will be retried', {
        method: spec.method,
        endpoint: spec.endpoint,
        status: error.status,
        networkCode: error.info.networkCode,
      });
    return decision;
  }

  /** Sends with the cached token; on 401 drops that token, gets a new one and sends once more. */
  private async authorized(spec: RequestSpec<unknown>, entityHeader: string | undefined): Promise<AxiosResponse> {
    const token = await this.token();
    // A shared token cache may hand over a token another client requested.
    this.rememberToken(token.accessToken);
    const first = await this.send(spec, entityHeader, token.accessToken);
    if (first.status !== 401) return first;
    this.tokens.invalidate(this.tokenKey, token.accessToken);
    this.logger.warn('billwerk rejected the access token; renewing it once', { endpoint: spec.endpoint });
    const renewed = await this.token();
    this.rememberToken(renewed.accessToken);
    return this.send(spec, entityHeader, renewed.accessToken);
  }

  private async send(spec: RequestSpec<unknown>, entityHeader: string | undefined, accessToken: string): Promise<AxiosResponse> {
    const path = API_PREFIX + spec.path;
    // Within the call's time budget (http/deadline.ts); throws before sending when it is spent.
    const timeout = requestTimeoutMs(this.http.defaults.timeout ?? DEFAULT_TIMEOUT_MS);
    try {
      return await this.http.request({
        method: spec.method,
        timeout,
        url: path,
        params: spec.query ? Object.fromEntries(Object.entries(spec.query).filter(([, v]) => v !== undefined)) : undefined,
        data: spec.body,
        headers: {
          Authorization: `Bearer ${accessToken}`,
          ...(spec.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(entityHeader ? { [ENTITY_HEADER]: entityHeader } : {}),
        },
      });
    } catch (error) {
      throw toNetworkError(error, spec.method, path);
    }
  }

  private token(): Promise<CachedToken> {
    return this.tokens.obtain(this.tokenKey, this.now(), () =>
      // Asking for a token twice is harmless, so the token request retries like a read.
      withRetry(() => this.requestToken(), {
        ...this.retry,
        decide: (error) => (error instanceof BillwerkApiError ? retryDecision(error, true) : { retry: false }),
      }),
    );
  }

  private async requestToken(): Promise<CachedToken> {
    let reply: AxiosResponse;
    const timeout = requestTimeoutMs(this.http.defaults.timeout ?? DEFAULT_TIMEOUT_MS);
    try {
      reply = await this.http.post(TOKEN_PATH, new URLSearchParams({ grant_type: 'client_credentials' }).toString(), {
        timeout,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        auth: { username: this.config.BILLWERK_CLIENT_ID, password: this.config.BILLWERK_CLIENT_SECRET },
      });
    } catch (error) {
      throw toNetworkError(error, 'POST', TOKEN_PATH);
    }
    if (reply.status >= 400) {
      const error = toBillwerkApiError(
        reply.status,
        reply.data,
        { method: 'POST', path: TOKEN_PATH, retryAfterMs: retryAfterMs(reply.headers as Record<string, unknown>) },
        this.secretValues(),
      );
      if (reply.status === 400 || reply.status === 401) {
        // Say what to do; the client id and secret themselves never appear.
        throw new BillwerkApiError(
          reply.status,
          `billwerk rejected the connector's client credentials (${error.info.code ?? error.billwerkMessage ?? reply.status}). Check BILLWERK_CLIENT_ID and BILLWERK_CLIENT_SECRET.`,
          error.info,
        );
      }
      throw error;
    }
    const parsed = tokenReplySchema.safeParse(reply.data);
    if (!parsed.success)
      throw new BillwerkReplyError(
        `POST ${TOKEN_PATH}`,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      );
    this.rememberToken(parsed.data.access_token);
    return { accessToken: parsed.data.access_token, refreshAt: refreshAtFor(parsed.data.expires_in, this.now()) };
  }

  /** The last few access tokens: an error body echoing one must not carry it on (docs/security.md). */
  private rememberToken(accessToken: string): void {
    this.recentTokens = [accessToken, ...this.recentTokens.filter((t) => t !== accessToken)].slice(0, 3);
  }

  /** Every credential value that must never appear in an error message. */
  private secretValues(): string[] {
    return [this.config.BILLWERK_CLIENT_SECRET, this.config.BILLWERK_CLIENT_ID, ...this.recentTokens];
  }
}

/** The retry rule of the module comment, for one failed attempt. */
export function retryDecision(error: BillwerkApiError, idempotent: boolean): RetryDecision {
  const afterMs = error.info.retryAfterMs;
  if (error.status === 0) {
    const notSent = error.info.networkCode !== undefined && NOT_SENT_CODES.has(error.info.networkCode);
    return { retry: idempotent || notSent };
  }
  if (error.status === 429 || error.status === 503) return { retry: true, afterMs };
  if (isRetryableStatus(error.status)) return { retry: idempotent, afterMs };
  return { retry: false };
}

function toNetworkError(error: unknown, method: string, path: string): BillwerkApiError {
  const code = error instanceof AxiosError ? error.code : (error as { code?: string } | null)?.code;
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  const reason = timedOut ? 'timed out' : `failed (${code ?? 'network error'})`;
  return new BillwerkApiError(0, scrubTokens(`billwerk ${method} ${path} ${reason}: no answer`), {
    method,
    path,
    networkCode: timedOut ? 'ETIMEDOUT' : code,
  });
}

// ---------------------------------------------------------------------------------------------------
// Endpoints of one entity

type Call = <T>(spec: RequestSpec<T>) => Promise<T>;
type ListAll = <T>(spec: RequestSpec<T[]>) => Promise<T[]>;

const id = encodeURIComponent;
const list = <T extends z.ZodType>(schema: T) => z.array(schema);

const CATALOG_LIST_SCHEMAS = {
  planGroups: list(planGroupSchema),
  plans: list(planSchema),
  planVariants: list(planVariantSchema),
  components: list(componentSchema),
  discounts: list(discountSchema),
} as const;

class EntityApi implements BillwerkEntityApi {
  constructor(
    readonly entity: BillwerkEntity,
    private readonly call: Call,
    private readonly listAll: ListAll,
    private readonly pageSize: number,
  ) {}

  /**
   * One page of a catalog list after the item with Id `after` (billwerk's `from` is inclusive, so the
   * page starts at that item and it is dropped here). `next` is set while a full page came back.
   */
  async listCatalogPage<K extends CatalogListKind>(kind: K, after?: string): Promise<CatalogPage<CatalogListItem[K]>> {
    const schema = CATALOG_LIST_SCHEMAS[kind] as unknown as z.ZodType<CatalogListItem[K][]>;
    const batch = await this.call({
      method: 'GET',
      path: `/${kind}`,
      endpoint: `/${kind}`,
      query: { take: this.pageSize, from: after },
      schema,
      idempotent: true,
    });
    const items = after !== undefined && batch[0]?.Id === after ? batch.slice(1) : batch;
    const last = batch.at(-1)?.Id;
    return { items, next: batch.length >= this.pageSize && last && last !== after ? last : undefined };
  }

  createCustomer(input: CustomerInput) {
    return this.call({
      method: 'POST',
      path: '/customers',
      endpoint: '/customers',
      body: input,
      schema: customerSchema,
      idempotent: false,
    });
  }

  getCustomer(customerId: string) {
    return this.call({
      method: 'GET',
      path: `/customers/${id(customerId)}`,
      endpoint: '/customers/:id',
      schema: customerSchema,
      idempotent: true,
    });
  }

  updateCustomer(customerId: string, input: CustomerInput) {
    return this.call({
      method: 'PATCH',
      path: `/customers/${id(customerId)}`,
      endpoint: '/customers/:id',
      body: input,
      schema: customerSchema,
      idempotent: true,
    });
  }

  findCustomersByExternalId(externalId: string) {
    return this.listAll({
      method: 'GET',
      path: '/customers',
      endpoint: '/customers?externalId',
      query: { externalId },
      schema: list(customerSchema),
      idempotent: true,
    });
  }

  searchCustomers(search: string) {
    return this.listAll({
      method: 'GET',
      path: '/customers',
      endpoint: '/customers?search',
      query: { search },
      schema: list(customerSchema),
      idempotent: true,
    });
  }

  // https://developer.billwerk.io/docs/ (GET /api/v1/customers, /contracts: `take` ≤ 500, `from` paging)
  listCustomersPage(take: number) {
    return this.call({
      method: 'GET',
      path: '/customers',
      endpoint: '/customers?take',
      query: { take: Math.min(take, 500) },
      schema: list(customerSchema),
      idempotent: true,
    });
  }

  listContractsPage(take: number) {
    return this.call({
      method: 'GET',
      path: '/contracts',
      endpoint: '/contracts?take',
      query: { take: Math.min(take, 500) },
      schema: list(contractSchema),
      idempotent: true,
    });
  }

  previewOrder(input: OrderInput) {
    // Stores nothing, so it may be repeated like a read.
    return this.call({
      method: 'POST',
      path: '/orders/preview',
      endpoint: '/orders/preview',
      body: input,
      schema: orderPreviewSchema,
      idempotent: true,
    });
  }

  createOrder(input: OrderInput) {
    return this.call({ method: 'POST', path: '/orders', endpoint: '/orders', body: input, schema: orderSchema, idempotent: false });
  }

  getOrder(orderId: string) {
    return this.call({ method: 'GET', path: `/orders/${id(orderId)}`, endpoint: '/orders/:id', schema: orderSchema, idempotent: true });
  }

  commitOrder(orderId: string) {
    // `{}` keeps the payment data of the order (TD orders_postcommitorder).
    return this.call({
      method: 'POST',
      path: `/orders/${id(orderId)}/commit`,
      endpoint: '/orders/:id/commit',
      body: {},
      schema: contractSchema,
      idempotent: false,
    });
  }

  async deleteOrder(orderId: string): Promise<void> {
    // Deleting twice ends the same way: the order is gone.
    await this.call({ method: 'DELETE', path: `/orders/${id(orderId)}`, endpoint: '/orders/:id', schema: z.unknown(), idempotent: true });
  }

  getContract(contractId: string) {
    return this.call({
      method: 'GET',
      path: `/contracts/${id(contractId)}`,
      endpoint: '/contracts/:id',
      schema: contractSchema,
      idempotent: true,
    });
  }

  updateContract(contractId: string, patch: Partial<Pick<Contract, 'CustomFields' | 'OnAccountDueAfter' | 'ExternalId'>>) {
    return this.call({
      method: 'PATCH',
      path: `/contracts/${id(contractId)}`,
      endpoint: '/contracts/:id',
      body: patch,
      schema: contractSchema,
      idempotent: true,
    });
  }

  listPlanGroups() {
    return this.listAll({ method: 'GET', path: '/planGroups', endpoint: '/planGroups', schema: list(planGroupSchema), idempotent: true });
  }

  listPlans() {
    return this.listAll({ method: 'GET', path: '/plans', endpoint: '/plans', schema: list(planSchema), idempotent: true });
  }

  listPlanVariants() {
    return this.listAll({
      method: 'GET',
      path: '/planVariants',
      endpoint: '/planVariants',
      schema: list(planVariantSchema),
      idempotent: true,
    });
  }

  listComponents() {
    return this.listAll({ method: 'GET', path: '/components', endpoint: '/components', schema: list(componentSchema), idempotent: true });
  }

  listDiscounts() {
    return this.listAll({ method: 'GET', path: '/discounts', endpoint: '/discounts', schema: list(discountSchema), idempotent: true });
  }

  getPlan(planId: string) {
    return this.call({ method: 'GET', path: `/plans/${id(planId)}`, endpoint: '/plans/:id', schema: planSchema, idempotent: true });
  }

  getPlanVariant(variantId: string) {
    return this.call({
      method: 'GET',
      path: `/planVariants/${id(variantId)}`,
      endpoint: '/planVariants/:id',
      schema: planVariantSchema,
      idempotent: true,
    });
  }

  getComponent(componentId: string) {
    return this.call({
      method: 'GET',
      path: `/components/${id(componentId)}`,
      endpoint: '/components/:id',
      schema: componentSchema,
      idempotent: true,
    });
  }

  getDiscount(discountId: string) {
    return this.call({
      method: 'GET',
      path: `/discounts/${id(discountId)}`,
      endpoint: '/discounts/:id',
      schema: discountSchema,
      idempotent: true,
    });
  }

  getInvoice(invoiceId: string) {
    return this.call({
      method: 'GET',
      path: `/invoices/${id(invoiceId)}`,
      endpoint: '/invoices/:id',
      schema: invoiceSchema,
      idempotent: true,
    });
  }

  /**
   * billwerk filters invoices by `customerId` only (N8N Invoice.ts); for a contract we list its
   * customer's invoices and keep the contract's. Newest first, sorted here as billwerk's order is undocumented.
   */
  async listInvoices(filter: { contractId?: string; customerId?: string }) {
    const customerId = filter.customerId ?? (filter.contractId ? (await this.getContract(filter.contractId)).CustomerId : undefined);
    const invoices = await this.listAll({
      method: 'GET',
      path: '/invoices',
      endpoint: '/invoices',
      query: { customerId },
      schema: list(invoiceSchema),
      idempotent: true,
    });
    return invoices.filter((i) => !filter.contractId || i.ContractId === filter.contractId).sort(newestFirst);
  }
}

function newestFirst(a: Invoice, b: Invoice): number {
  const byDate = (b.DocumentDate ?? '').localeCompare(a.DocumentDate ?? '');
  return byDate !== 0 ? byDate : b.Id.localeCompare(a.Id);
}
