/**
 * The sandbox's HTTP surface:
 * - `POST /functions/<uid>`: a card's `hubspot.serverless(uid, {parameters, propertiesToSend})`;
 *   like HubSpot, the sandbox reads the named properties of the card's record and passes their values.
 * - `/hs/serverless/<path>`: endpoint functions at their hsmeta paths (webhooks, scheduler trigger).
 * - `/extensions/<uid>` + `/bundles/<uid>.js`: a card or the settings page running the real code.
 * - `/` and `/api/*`: the workbench page and what it reads and does.
 */
import { z } from 'zod';
import { COMPANY, DEAL, DEAL_TYPE } from '../core/catalog.js';
import { entitySchema } from '../core/config.js';
import type { ObjectType } from '../core/hubspot/api.js';
import type { SandboxContext } from './context.js';
import { isOk, runProductSync, syncDealAmount } from './demo.js';
import { OBJECT_TYPE_IDS, WORKBENCH_TYPES, type WorkbenchType } from './crm.js';
import { DEMO_PORTAL_ID, DEMO_USER } from './environment.js';
import { css, html, HttpError, javascript, json, jsonBody, type Request, type Router } from './http.js';
import type { ExtensionConfig } from './host/install.js';

const recordType = (request: Request): WorkbenchType => {
  const type = request.params.type as WorkbenchType;
  if (!WORKBENCH_TYPES.includes(type))
    throw new HttpError(404, `Unknown object type "${request.params.type}" (use ${WORKBENCH_TYPES.join(', ')})`);
  return type;
};

const privateCallSchema = z.object({
  parameters: z.record(z.string(), z.unknown()).default({}),
  propertiesToSend: z.array(z.string()).default([]),
  objectId: z.string().optional(),
  objectType: z.enum(WORKBENCH_TYPES).optional(),
});

export function registerRoutes(router: Router, ctx: SandboxContext): void {
  registerFunctionRoutes(router, ctx);
  registerPageRoutes(router, ctx);
  registerRecordRoutes(router, ctx);
  registerBillwerkRoutes(router, ctx);
  router.on('GET', '/api/activity', (request) => json({ entries: ctx.activity.since(Number(request.query.get('after') ?? 0)) }));
}

// ---- functions ------------------------------------------------------------------------------------

function registerFunctionRoutes(router: Router, ctx: SandboxContext): void {
  router.on('POST', '/functions/:uid', async (request) => {
    const uid = request.params.uid!;
    if (!ctx.functions.has(uid)) throw new HttpError(404, `No private app function with uid "${uid}" in src/app/functions`);
    const call = jsonBody(request, privateCallSchema);
    const propertiesToSend =
      call.propertiesToSend.length && call.objectId && call.objectType
        ? await ctx.crm.read(call.objectType, call.objectId, call.propertiesToSend)
        : {};
    const reply = await ctx.functions.runPrivate(uid, { parameters: call.parameters, propertiesToSend });
    ctx.activity.add('function', `${uid}(${describeParameters(call.parameters)})`, isOk(reply) ? 'ok' : 'failed', reply);
    // Let the webhooks this call caused arrive before the card reads the record again.
    await ctx.settle();
    return json(reply as object);
  });

  router.on('*', '/hs/serverless/*', async (request) => {
    const fn = ctx.functions.endpointFor(request.params.rest ?? '');
    if (!fn?.endpoint) throw new HttpError(404, `No endpoint function at /hs/serverless/${request.params.rest}`);
    if (!fn.endpoint.methods.includes(request.method))
      return { status: 405, body: { message: `${fn.uid} accepts ${fn.endpoint.methods.join(', ')}` } };
    const reply = await ctx.functions.runEndpoint(fn, toEndpointContext(request, fn.endpoint.path));
    ctx.activity.add(
      'endpoint',
      `${request.method} /hs/serverless/${fn.endpoint.path} → ${reply.statusCode}${describeEvent(request)}`,
      reply.statusCode < 300 ? 'ok' : 'failed',
      safeJson(reply.body),
    );
    return { status: reply.statusCode, body: reply.body, headers: reply.headers };
  });
}

/**
 * HubSpot's documented endpoint context: JSON bodies parsed, query values as arrays, headers as sent
 * (no raw body: it is undocumented, so the sandbox exercises the same fallback as production).
 */
function toEndpointContext(request: Request, path: string) {
  const params: Record<string, string[]> = {};
  for (const [name, value] of request.query) (params[name] ??= []).push(value);
  const isJson = /json/i.test(String(request.headers['content-type'] ?? ''));
  let body: unknown = request.rawBody;
  if (isJson && request.rawBody) {
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      body = request.rawBody;
    }
  }
  return {
    accountId: DEMO_PORTAL_ID,
    method: request.method,
    headers: { ...request.headers } as Record<string, string | string[] | undefined>,
    params,
    body,
    endpoint: { path, method: request.method },
  };
}

function describeParameters(parameters: Record<string, unknown>): string {
  return Object.entries(parameters)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? '…' : String(v)}`)
    .join(', ');
}

function describeEvent(request: Request): string {
  const event = /"Event"\s*:\s*"(\w+)"/.exec(request.rawBody)?.[1];
  return event ? ` (${event})` : '';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---- pages ----------------------------------------------------------------------------------------

function registerPageRoutes(router: Router, ctx: SandboxContext): void {
  router.on('GET', '/', () => html(ctx.staticFile('index.html')));
  router.on('GET', '/workbench.js', async () => javascript(await ctx.bundles.workbench()));
  router.on('GET', '/workbench.css', () => css(ctx.staticFile('workbench.css')));
  router.on('GET', '/host.css', () => css(ctx.staticFile('host.css')));
  router.on('GET', '/favicon.ico', () => ({ status: 204, body: '' }));

  router.on('GET', '/api/info', () =>
    json({
      mode: ctx.mode,
      portalId: DEMO_PORTAL_ID,
      extensions: ctx.extensions.map(({ uid, title, location, objectTypes }) => ({ uid, title, location, objectTypes })),
      functions: ctx.functions.functions.map((f) => ({
        uid: f.uid,
        ...(f.endpoint ? { endpoint: `/hs/serverless/${f.endpoint.path}` } : {}),
      })),
      entities: entitiesOf(ctx),
    }),
  );

  router.on('GET', '/extensions/:uid', (request) => {
    const extension = ctx.extensions.find((e) => e.uid === request.params.uid);
    if (!extension) throw new HttpError(404, `No card or settings page with uid "${request.params.uid}"`);
    const config: ExtensionConfig = {
      location: extension.location,
      portalId: DEMO_PORTAL_ID,
      appName: 'billwerk connector',
      cardTitle: extension.title,
      user: DEMO_USER,
    };
    if (extension.location === 'crm.record.sidebar') {
      const type = z.enum(WORKBENCH_TYPES).safeParse(request.query.get('objectType'));
      const objectId = request.query.get('objectId');
      if (!type.success || !objectId || !extension.objectTypes.includes(type.data)) {
        throw new HttpError(400, `${extension.uid} needs ?objectType=${extension.objectTypes.join('|')}&objectId=<id>`);
      }
      Object.assign(config, { objectType: type.data, objectId, objectTypeId: OBJECT_TYPE_IDS[type.data] });
    }
    return html(extensionPage(extension.uid, extension.title, config));
  });

  router.on('GET', '/bundles/:file', async (request) => {
    const uid = request.params.file!.replace(/\.js$/, '');
    const extension = ctx.extensions.find((e) => e.uid === uid);
    if (!extension) throw new HttpError(404, `No card or settings page with uid "${uid}"`);
    return javascript(await ctx.bundles.extension(extension.source));
  });
}

function extensionPage(uid: string, title: string, config: ExtensionConfig): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><link rel="stylesheet" href="/host.css"></head>
<body class="host-${config.location === 'settings' ? 'settings' : 'card'}">
<div class="host-card" data-testid="extension-${escape(uid)}">
  <div class="host-card-title">${escape(title)}</div>
  <div id="host-messages"></div>
  <div id="extension-root"></div>
</div>
<script>window.__SANDBOX_EXTENSION__ = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>
<script src="/bundles/${encodeURIComponent(uid)}.js"></script>
</body></html>`;
}

function entitiesOf(ctx: SandboxContext): { id: string; name: string }[] {
  const secrets = ctx.functions.secrets();
  const parsed = z.array(entitySchema).safeParse(JSON.parse(secrets.BILLWERK_ENTITIES ?? '[]'));
  return parsed.success ? parsed.data.map(({ id, name }) => ({ id, name })) : [];
}

// ---- CRM records ----------------------------------------------------------------------------------

/** useAssociations' `toObjectType` (an id like 0-8 or a name) -> the API's object type. */
const ASSOCIATION_TYPES: Record<string, ObjectType> = {
  '0-1': 'contacts',
  contacts: 'contacts',
  contact: 'contacts',
  '0-2': 'companies',
  companies: 'companies',
  company: 'companies',
  '0-3': 'deals',
  deals: 'deals',
  deal: 'deals',
  '0-8': 'line_items',
  line_items: 'line_items',
  line_item: 'line_items',
};

function registerRecordRoutes(router: Router, ctx: SandboxContext): void {
  router.on('GET', '/api/records/:type', async (request) => json({ records: await ctx.crm.list(recordType(request)) }));
  router.on('GET', '/api/records/:type/:id', async (request) => json(await ctx.crm.get(recordType(request), request.params.id!)));
  router.on('POST', '/api/records/:type/:id/read', async (request) => {
    const { names } = jsonBody(request, z.object({ names: z.array(z.string()) }));
    return json({ properties: await ctx.crm.read(recordType(request), request.params.id!, names) });
  });
  router.on('POST', '/api/records/:type/:id/associations', async (request) => {
    const { toObjectType, properties } = jsonBody(
      request,
      z.object({ toObjectType: z.string(), properties: z.array(z.string()).default([]) }),
    );
    const toType = ASSOCIATION_TYPES[toObjectType.toLowerCase()];
    if (!toType) throw new HttpError(400, `useAssociations: object type ${toObjectType} is not simulated`);
    const results = await ctx.crm.associated(recordType(request), request.params.id!, toType, properties);
    return json({
      results: results.map((r) => ({ toObjectId: Number(r.id), associationTypes: [], properties: r.properties })),
      hasMore: false,
      nextOffset: 0,
    });
  });
  router.on('PATCH', '/api/records/:type/:id', async (request) => {
    const type = recordType(request);
    const { properties } = jsonBody(request, z.object({ properties: z.record(z.string(), z.string()) }));
    try {
      await ctx.crm.update(type, request.params.id!, properties);
    } catch (error) {
      throw new HttpError(400, `${type} ${request.params.id} not updated: ${error instanceof Error ? error.message : String(error)}`);
    }
    ctx.activity.add('sandbox', `User edited ${type} ${request.params.id}: ${Object.keys(properties).join(', ')}`, 'ok');
    await ctx.settle();
    return json(await ctx.crm.get(type, request.params.id!));
  });
  router.on('GET', '/api/properties/:type', async (request) => json({ properties: await ctx.crm.definitions(recordType(request)) }));
  router.on('GET', '/api/products', async () => json({ products: await ctx.crm.products() }));

  router.on('POST', '/api/deals', async (request) => {
    const input = jsonBody(request, z.object({ companyId: z.string().min(1), dealname: z.string().trim().min(1).optional() }));
    const company = await ctx.crm.get('companies', input.companyId);
    const properties: Record<string, string> = {
      dealname: input.dealname ?? `${company.title} – Signup`,
      dealstage: 'appointmentscheduled',
      pipeline: 'default',
      deal_currency_code: 'EUR',
      [DEAL.dealType]: DEAL_TYPE.signup,
      ...(company.properties[COMPANY.entity] ? { [DEAL.entity]: company.properties[COMPANY.entity]! } : {}),
    };
    const id = await ctx.crm.createDeal(properties, company.id, company.associations.contacts?.[0]);
    ctx.activity.add('sandbox', `User created signup deal ${id} for ${company.title}`, 'ok');
    return json({ id });
  });
  router.on('POST', '/api/deals/:id/line-items', async (request) => {
    const input = jsonBody(request, z.object({ productId: z.string().min(1), quantity: z.number().int().positive() }));
    await ctx.crm.addLineItem(request.params.id!, input.productId, input.quantity);
    await syncDealAmount(ctx, request.params.id!);
    ctx.activity.add('sandbox', `User added product ${input.productId} × ${input.quantity} to deal ${request.params.id}`, 'ok');
    return json(await ctx.crm.get('deals', request.params.id!));
  });
}

// ---- billwerk ------------------------------------------------------------------------------------

const eventSchema = z.object({
  event: z.enum(['InvoiceCreated', 'PaymentEscalated', 'PaymentEscalationReset', 'ContractCancelled']),
  contractId: z.string().min(1),
});

function registerBillwerkRoutes(router: Router, ctx: SandboxContext): void {
  router.on('GET', '/api/billwerk', () => {
    const sim = ctx.billwerk;
    if (!sim) return json({ simulated: false });
    const names = new Map(entitiesOf(ctx).map((e) => [e.id, e.name]));
    const entities = sim.store.entityIds.map((entityId) => {
      const data = sim.store.entity(entityId);
      return {
        entityId,
        entityName: names.get(entityId) ?? entityId,
        customers: [...data.customers.values()].map((c) => ({
          Id: c.Id,
          CompanyName: c.CompanyName,
          FirstName: c.FirstName,
          LastName: c.LastName,
          EmailAddress: c.EmailAddress,
          ExternalCustomerId: c.ExternalCustomerId,
        })),
        contracts: [...data.contracts.values()].map((c) => ({
          Id: c.Id,
          CustomerId: c.CustomerId,
          PlanVariantId: c.PlanVariantId,
          LifecycleStatus: c.LifecycleStatus,
          Balance: c.Balance,
          PaymentEscalated: Boolean(sim.store.paymentEscalationOf(c.Id)),
          EndDate: c.EndDate,
          ComponentSubscriptions: c.ComponentSubscriptions.map((s) => ({ ComponentId: s.ComponentId, Quantity: s.Quantity })),
        })),
        orders: [...data.orders.values()].map((o) => ({
          Id: o.Id,
          Status: o.Status,
          OrderType: o.OrderType,
          CustomerId: o.CustomerId,
          ContractId: o.ContractId,
        })),
        invoices: [...data.invoices.values()].map((i) => ({
          Id: i.Id,
          InvoiceNumber: i.InvoiceNumber,
          ContractId: i.ContractId,
          TotalGross: i.TotalGross,
          Currency: i.Currency,
        })),
      };
    });
    const deliveries = sim.webhooks.deliveries
      .slice(-30)
      .map((d) => ({ event: d.event.Event, contractId: d.event.ContractId, status: d.status, ok: d.ok, retryCount: d.retryCount }));
    return json({ simulated: true, entities, deliveries });
  });

  router.on('POST', '/api/billwerk/events', async (request) => {
    const sim = ctx.billwerk;
    if (!sim)
      throw new HttpError(409, 'Firing billwerk events needs the billwerk simulator (the sandbox is using a real billwerk account)');
    const { event, contractId } = jsonBody(request, eventSchema);
    const entityId = sim.store.entityIds.find((id) => sim.store.entity(id).contracts.has(contractId));
    if (!entityId) throw new HttpError(404, `billwerk has no contract ${contractId}`);
    if (event === 'InvoiceCreated') sim.store.createInvoice(contractId, entityId);
    if (event === 'PaymentEscalated') {
      sim.store.setContractState(contractId, { Balance: Math.min(sim.store.getContract(contractId, entityId).Balance ?? 0, -1) }, entityId);
      sim.store.escalatePayment(contractId, {}, entityId);
    }
    if (event === 'PaymentEscalationReset') sim.store.resetPaymentEscalation(contractId, entityId);
    if (event === 'ContractCancelled')
      sim.store.setContractState(contractId, { EndDate: new Date(Date.now() + 30 * 86_400_000).toISOString() }, entityId);
    ctx.activity.add('billwerk-webhook', `billwerk: ${event} on contract ${contractId}`, 'ok');
    await ctx.settle();
    return json({ fired: event });
  });

  router.on('POST', '/api/product-sync', async () => {
    const result = await runProductSync(ctx);
    await ctx.settle();
    return json(result as unknown as object);
  });
}
