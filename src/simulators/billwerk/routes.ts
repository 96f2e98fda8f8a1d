/**
 * billwerk's REST surface over the store: OAuth client credentials, bearer checks, the legal entity
 * header, `take`/`from` paging, PascalCase errors `{ Message }` (400 invalid body, 404 unknown id,
 * 409 duplicate, 422 invalid fields). Paths match case-insensitively, like billwerk's.
 */
import { randomBytes } from 'node:crypto';
import type { OrderInput } from '../../core/billwerk/schemas.js';
import { SimError, type Route, type RouteHandler, type SimRequest } from '../framework.js';
import { BillwerkStoreError, type BillwerkStore, type CatalogKind, type StoredOrder } from './store.js';
import type { BillwerkWebhookEmitter, WebhookAuth } from './webhooks.js';

export const ENTITY_HEADER = 'x-selected-legal-entity-id';
export const MAX_TAKE = 500;
/** Assumption: billwerk's default page size is not documented. */
export const DEFAULT_TAKE = 100;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** Issued bearer tokens and their expiry; tests revoke them to provoke a 401. */
export class TokenRegistry {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly now: () => number,
    readonly lifetimeSeconds: number,
  ) {}

  issue(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + this.lifetimeSeconds * 1000);
    this.issued++;
    return { token, expiresIn: this.lifetimeSeconds };
  }

  isValid(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}

export interface RouteDeps {
  store: BillwerkStore;
  webhooks: BillwerkWebhookEmitter;
  tokens: TokenRegistry;
  clients: OAuthClient[];
}

const api = (path: string) => `/api/v1${path}`;
const message = (status: number, text: string, headers?: Record<string, string>) => new SimError(status, { Message: text }, headers);

export function billwerkRoutes(deps: RouteDeps): Route[] {
  const { store } = deps;
  const authed =
    (handle: (req: SimRequest, entityId: string) => unknown, status = 200): RouteHandler =>
    (req) => {
      requireBearer(req, deps.tokens);
      const entityId = req.headers.get(ENTITY_HEADER)?.trim() || store.rootEntityId;
      try {
        store.entity(entityId);
        const body = handle(req, entityId);
        return { status, body };
      } catch (error) {
        if (error instanceof BillwerkStoreError) throw message(error.status, error.message);
        throw error;
      }
    };
  const catalog = (path: string, kind: CatalogKind): Route[] => [
    { method: 'GET', path: api(`/${path}`), handle: authed((req, e) => page(req, store.list(kind, e))) },
    { method: 'GET', path: api(`/${path}/:id`), handle: authed((req, e) => store.catalogItem(kind, req.params.id!, e)) },
  ];

  return [
    { method: 'POST', path: '/oauth/token', exempt: true, handle: (req) => issueToken(req, deps) },

    {
      method: 'GET',
      path: api('/customers'),
      handle: authed((req, e) => page(req, store.findCustomers({ search: q(req, 'search'), externalId: q(req, 'externalId') }, e))),
    },
    { method: 'POST', path: api('/customers'), handle: authed((req, e) => store.addCustomer(objectBody(req), e), 201) },
    { method: 'GET', path: api('/customers/:id'), handle: authed((req, e) => store.getCustomer(req.params.id!, e)) },
    { method: 'PATCH', path: api('/customers/:id'), handle: authed((req, e) => store.updateCustomer(req.params.id!, objectBody(req), e)) },
    { method: 'PUT', path: api('/customers/:id'), handle: authed((req, e) => store.updateCustomer(req.params.id!, objectBody(req), e)) },
    {
      method: 'GET',
      path: api('/customers/:id/contracts'),
      handle: authed((req, e) => {
        store.getCustomer(req.params.id!, e);
        return page(
          req,
          store.list('contracts', e).filter((c) => c.CustomerId === req.params.id),
        );
      }),
    },

    { method: 'POST', path: api('/orders/preview'), handle: authed((req, e) => store.previewOrder(orderBody(req), e)) },
    { method: 'POST', path: api('/orders'), handle: authed((req, e) => toOrderReply(store.createOrder(orderBody(req), e)), 201) },
    { method: 'GET', path: api('/orders'), handle: authed((req, e) => page(req, store.list('orders', e).map(toOrderReply))) },
    { method: 'GET', path: api('/orders/:id'), handle: authed((req, e) => toOrderReply(store.getOrder(req.params.id!, e))) },
    {
      method: 'DELETE',
      path: api('/orders/:id'),
      handle: authed((req, e) => {
        store.deleteOrder(req.params.id!, e);
        return undefined;
      }, 204),
    },
    { method: 'POST', path: api('/orders/:id/commit'), handle: authed((req, e) => store.commitOrder(req.params.id!, e)) },

    {
      method: 'GET',
      path: api('/contracts'),
      handle: authed((req, e) =>
        page(
          req,
          store.list('contracts', e).filter((c) => !q(req, 'externalId') || c.ExternalId === q(req, 'externalId')),
        ),
      ),
    },
    { method: 'GET', path: api('/contracts/:id'), handle: authed((req, e) => store.getContract(req.params.id!, e)) },
    { method: 'PATCH', path: api('/contracts/:id'), handle: authed((req, e) => store.updateContract(req.params.id!, objectBody(req), e)) },
    { method: 'POST', path: api('/contracts/:id/end'), handle: authed((req, e) => endContract(req, e, store)) },

    ...catalog('planGroups', 'planGroups'),
    ...catalog('plans', 'plans'),
    ...catalog('planVariants', 'planVariants'),
    ...catalog('components', 'components'),
    ...catalog('discounts', 'discounts'),

    {
      method: 'GET',
      path: api('/invoices'),
      handle: authed((req, e) =>
        page(req, store.listInvoices({ contractId: q(req, 'contractId'), customerId: q(req, 'customerId') }, e), 'desc'),
      ),
    },
    { method: 'GET', path: api('/invoices/:id'), handle: authed((req, e) => store.getInvoice(req.params.id!, e)) },

    { method: 'GET', path: api('/webhooks'), handle: authed(() => deps.webhooks.list().map(toWebhookReply)) },
    { method: 'POST', path: api('/webhooks'), handle: authed((req) => toWebhookReply(subscribeFromBody(req, deps.webhooks)), 201) },
    {
      method: 'DELETE',
      path: api('/webhooks/:id'),
      handle: authed((req) => {
        if (!deps.webhooks.unsubscribe(req.params.id!)) throw message(404, `Webhook with id ${req.params.id} not found`);
        return undefined;
      }, 204),
    },
  ];
}

/** OAuth2 client credentials: HTTP Basic (or client_id/client_secret in the form), grant_type=client_credentials. */
function issueToken(req: SimRequest, deps: RouteDeps) {
  const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
  if (form.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.get('authorization') ?? '');
  const [clientId, clientSecret] = basic
    ? splitOnce(Buffer.from(basic[1]!, 'base64').toString('utf8'), ':')
    : [form.client_id, form.client_secret];
  const known = deps.clients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret);
  if (!known) return { status: 401, body: { error: 'invalid_client' } };
  const { token, expiresIn } = deps.tokens.issue();
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: expiresIn } };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function requireBearer(req: SimRequest, tokens: TokenRegistry): void {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? req.query.get('access_token') ?? undefined;
  if (!bearer || !tokens.isValid(bearer.trim())) {
    throw new SimError(
      401,
      { Message: 'Authorization has been denied for this request.' },
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  }
}

function q(req: SimRequest, name: string): string | undefined {
  for (const [key, value] of req.query) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/** `take` (1..500) items starting at the item whose Id is `from` (inclusive), in the list's order. */
function page<T extends { Id: string }>(req: SimRequest, items: T[], order: 'asc' | 'desc' = 'asc'): T[] {
  const takeText = q(req, 'take');
  const take = takeText === undefined ? DEFAULT_TAKE : Number(takeText);
  if (!Number.isInteger(take) || take < 1 || take > MAX_TAKE) throw message(400, `take must be a whole number between 1 and ${MAX_TAKE}`);
  const sorted = order === 'asc' ? [...items].sort((a, b) => a.Id.localeCompare(b.Id)) : items;
  const from = q(req, 'from');
  if (!from) return sorted.slice(0, take);
  const start = sorted.findIndex((item) => (order === 'asc' ? item.Id >= from : item.Id === from));
  return start < 0 ? [] : sorted.slice(start, start + take);
}

function objectBody(req: SimRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
    throw message(400, 'The request is invalid: a JSON object body is required');
  return req.body as Record<string, unknown>;
}

function orderBody(req: SimRequest): OrderInput {
  const body = objectBody(req);
  if (typeof body.Cart !== 'object' || body.Cart === null) throw message(422, 'Cart is required');
  return body as unknown as OrderInput;
}

/** The order as billwerk shows it: without the simulator's copy of the request. */
function toOrderReply(order: StoredOrder): Record<string, unknown> & { Id: string } {
  const { Input: _input, ...reply } = order;
  return reply;
}

function endContract(req: SimRequest, entityId: string, store: BillwerkStore) {
  const body = objectBody(req);
  const contract = store.getContract(req.params.id!, entityId);
  const end = Date.parse(String(body.EndDate ?? ''));
  if (Number.isNaN(end)) throw message(422, 'EndDate is required');
  if (end <= store.now() || end <= Date.parse(contract.StartDate ?? ''))
    throw message(422, 'EndDate must be in the future and after the contract StartDate');
  return store.setContractState(contract.Id, { EndDate: String(body.EndDate) }, entityId);
}

function subscribeFromBody(req: SimRequest, webhooks: BillwerkWebhookEmitter) {
  const body = objectBody(req);
  const url = body.Url ?? body.url;
  const events = body.Events ?? body.events;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw message(422, 'Url must be an http(s) URL');
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'string')) throw message(422, 'Events must be a list of event names');
  const user = body.BasicAuthUser ?? body.User;
  const password = body.BasicAuthPassword ?? body.Password;
  const auth: WebhookAuth = typeof user === 'string' && typeof password === 'string' ? { type: 'basic', user, password } : { type: 'none' };
  return webhooks.subscribe({ url, events: events as string[], auth });
}

function toWebhookReply(subscription: { id: string; url: string; events: string[] }) {
  return { Id: subscription.id, Url: subscription.url, Events: subscription.events };
}
