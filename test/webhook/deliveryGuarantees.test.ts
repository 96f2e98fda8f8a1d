/**
 * Nothing lost, nothing looping: overlapping and repeated deliveries, failures a retry cannot fix
 * (acknowledged with the reason on the record), failed note writes, invoices read by id, and secrets
 * echoed by billwerk kept out of every property, note, reply and log. Through the real endpoint
 * functions (msw hands the requests to `main` as HubSpot would).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMPANY, DEAL } from '../../src/core/catalog.js';
import { CONTRACT_EVENTS } from '../../src/core/events/handleBillwerkEvent.js';
import { main } from '../../src/functions/billwerk-webhook.js';
import { main as syncCustomerMain } from '../../src/functions/sync-customer.js';
import { resetServices } from '../../src/functions/runtime.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { endpointHandler } from '../support/endpoint.js';
import { useSimulators } from '../support/simulators.js';
import { hubspotWebhooks, send, serveEndpoint } from '../customer/webhookFeed.js';

const WEBHOOK_URL = 'https://portal.example.com/hs/serverless/billwerk/events';
const ROOT = DEMO_ENTITIES[0]!.id;
const OTHER = DEMO_ENTITIES[1]!.id;
const AUTH = { type: 'basic' as const, user: SIM_CREDENTIALS.billwerkWebhookUser, password: SIM_CREDENTIALS.billwerkWebhookPassword };
const AUTH_HEADER = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;

const ctx = useSimulators();

function ownedContract(entityId = ROOT) {
  const seed = ctx.billwerk.seeded![entityId]!;
  const contract = ctx.billwerk.store.addContract(
    { CustomerId: Object.values(seed.customers)[0]!.Id, PlanVariantId: seed.planVariants.starterMonthly.Id },
    entityId,
  );
  const deal = ctx.hubspot.store.create('deals', {
    dealname: 'ACME signup',
    pipeline: 'default',
    dealstage: 'closedwon',
    [DEAL.contractId]: contract.Id,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: contract.Id,
    [DEAL.entity]: entityId,
  });
  return { contractId: contract.Id, dealId: deal.id, entityId };
}

const deal = (id: string) => ctx.hubspot.store.get('deals', id)!.properties;
const notesOf = (dealId: string) =>
  ctx.hubspot.store
    .associations('deals', dealId, 'notes')
    .filter((id) => !ctx.hubspot.store.get('notes', id)?.archived)
    .map((id) => ctx.hubspot.store.get('notes', id)!.properties.hs_note_body ?? '');
const post = (event: object) =>
  fetch(WEBHOOK_URL, {
    method: 'POST',
    headers: { authorization: AUTH_HEADER, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });

beforeEach(() => {
  ctx.billwerk.webhooks.mode = 'queue';
  ctx.billwerk.webhooks.subscribe({ url: WEBHOOK_URL, events: [...CONTRACT_EVENTS], auth: AUTH });
  ctx.server.use(endpointHandler(WEBHOOK_URL, main, ctx.env));
});

describe('exactly one timeline note per real change', () => {
  it('20 overlapping deliveries of one PaymentEscalated leave one note and one escalated deal', async () => {
    const s = ownedContract();
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -80 }, ROOT);
    const escalation = ctx.billwerk.store.escalatePayment(s.contractId, { TriggerDays: 10 }, ROOT);
    ctx.billwerk.webhooks.discardPending();
    const event = { Event: 'PaymentEscalated', ContractId: s.contractId, CustomerId: 'c', EntityId: ROOT, ...escalation };
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(event).then((r) => r.status)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(deal(s.dealId)[DEAL.paymentEscalated]).toBe('true');
    expect(notesOf(s.dealId).filter((n) => n.includes('Payment escalated: none → yes'))).toHaveLength(1);
  });

  it('a failed note write answers 503 and changes nothing; the redelivery writes the note once', async () => {
    const s = ownedContract();
    ctx.billwerk.store.setContractState(s.contractId, { EndDate: '2031-01-31T00:00:00.0000000Z' }, ROOT);
    ctx.billwerk.webhooks.discardPending();
    const event = { Event: 'ContractCancelled', ContractId: s.contractId, EntityId: ROOT };
    const changed = { Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT };
    ctx.hubspot.simulator.failNext(50, 500, { match: /objects\/notes$/ });
    expect((await post(changed)).status).toBe(503);
    expect(deal(s.dealId)[DEAL.endDate] ?? '').toBe(''); // the deal waits for its note
    ctx.hubspot.simulator.clearFaults();
    expect((await post(changed)).status).toBe(200);
    expect((await post(changed)).status).toBe(200);
    expect((await post(event)).status).toBe(200); // not subscribed by the connector: ignored, writes nothing
    expect(Date.parse(deal(s.dealId)[DEAL.endDate]!)).toBe(Date.parse('2031-01-31T00:00:00Z'));
    expect(notesOf(s.dealId).filter((n) => n.includes('Contract end date: none → 2031-01-31'))).toHaveLength(1);
  });

  it('a note written whose deal update then failed is not written again on the retry', async () => {
    const s = ownedContract();
    ctx.billwerk.store.setContractState(s.contractId, { EndDate: '2032-03-31T00:00:00.0000000Z' }, ROOT);
    ctx.billwerk.webhooks.discardPending();
    const changed = { Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT };
    ctx.hubspot.simulator.failNext(50, 500, { match: new RegExp(`objects/deals/${s.dealId}$`) });
    expect((await post(changed)).status).toBe(503);
    ctx.hubspot.simulator.clearFaults();
    expect((await post(changed)).status).toBe(200);
    expect(notesOf(s.dealId).filter((n) => n.includes('Contract end date'))).toHaveLength(1);
  });
});

describe('terminal failures are acknowledged (2xx), with the reason where there is a record', () => {
  it('InvoiceCreated naming an invoice billwerk does not know: 200 once, no redelivery', async () => {
    ctx.billwerk.webhooks.publish({ Event: 'InvoiceCreated', InvoiceId: '6b0000000000000000000bad' });
    const records = await ctx.billwerk.webhooks.deliverAll();
    expect(records.map((r) => r.status)).toEqual([200]);
    expect(ctx.billwerk.webhooks.deliveries).toHaveLength(1);
  });

  it("an older InvoiceCreated with only InvoiceId for a non-root entity is read in the event's entity", async () => {
    const s = ownedContract(OTHER);
    const invoice = ctx.billwerk.store.createInvoice(s.contractId, OTHER);
    ctx.billwerk.webhooks.discardPending();
    ctx.billwerk.webhooks.publish({ Event: 'InvoiceCreated', InvoiceId: invoice.Id, EntityId: OTHER });
    expect((await ctx.billwerk.webhooks.deliverAll()).map((r) => r.status)).toEqual([200]);
    expect(deal(s.dealId)[DEAL.lastInvoiceNumber]).toBe(invoice.InvoiceNumber);
  });

  it('a contract billwerk does not know, or refuses to show (403): 200 and the reason on the deal', async () => {
    const s = ownedContract();
    ctx.billwerk.simulator.failNext(1, 403, { match: /\/contracts\// });
    expect((await post({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT })).status).toBe(200);
    expect(deal(s.dealId)[DEAL.syncError]).toContain('credentials');
    ctx.billwerk.simulator.failNext(1, 404, { match: /\/contracts\// });
    expect((await post({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT })).status).toBe(200);
    expect(deal(s.dealId)[DEAL.syncError]).toContain('does not know contract');
  });

  it('a deal deleted between lookup and write (HubSpot 404) is acknowledged, not retried', async () => {
    const s = ownedContract();
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -3 }, ROOT);
    ctx.billwerk.webhooks.discardPending();
    ctx.hubspot.simulator.failNext(1, 404, { match: new RegExp(`objects/deals/${s.dealId}$`) });
    expect((await post({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT })).status).toBe(200);
  });

  it('a HubSpot batch with one deleted record syncs the others and answers 200', async () => {
    const seeded = ctx.hubspot.seeded!;
    const companies = seeded.companies.filter((c) => ctx.hubspot.store.get('companies', c.id)!.properties.zip).slice(0, 2);
    const customers = [];
    for (const company of companies) {
      const customer = await ctx
        .deps()
        .billwerk.forEntity(company.entityId)
        .createCustomer({ CompanyName: 'Old', FirstName: 'O', LastName: 'L', EmailAddress: 'o@example.com', Locale: 'de-DE' });
      ctx.hubspot.store.update('companies', company.id, { [COMPANY.customerId]: customer.Id });
      customers.push({ company, customer });
    }
    serveEndpoint(ctx);
    const feed = hubspotWebhooks(ctx);
    ctx.hubspot.store.update('companies', companies[0]!.id, { name: 'Deleted soon GmbH' });
    ctx.hubspot.store.update('companies', companies[1]!.id, { name: 'Still here GmbH' });
    ctx.hubspot.store.archive('companies', companies[0]!.id);
    const reply = await send(feed);
    expect(reply.status).toBe(200);
    const kept = await ctx.deps().billwerk.forEntity(companies[1]!.entityId).getCustomer(customers[1]!.customer.Id);
    expect(kept.CompanyName).toBe('Still here GmbH');
  });
});

describe('InvoiceCreated reads the invoice by id', () => {
  it.each([
    ['with ContractId', true],
    ['with only InvoiceId', false],
  ])('%s: at most 2 billwerk calls although the customer has 1,000 prior invoices', async (_label, withContract) => {
    const s = ownedContract();
    for (let i = 0; i < 1000; i++) ctx.billwerk.store.createInvoice(s.contractId, ROOT);
    const invoice = ctx.billwerk.store.createInvoice(s.contractId, ROOT);
    ctx.billwerk.webhooks.discardPending();
    await ctx.deps().billwerk.forEntity(ROOT).getContract(s.contractId); // token fetched outside the count
    ctx.billwerk.simulator.resetCalls();
    const status = (
      await post({ Event: 'InvoiceCreated', InvoiceId: invoice.Id, EntityId: ROOT, ...(withContract ? { ContractId: s.contractId } : {}) })
    ).status;
    expect(status).toBe(200);
    const calls = ctx.billwerk.simulator.calls.filter((c) => !c.path.includes('oauth'));
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(deal(s.dealId)[DEAL.lastInvoiceNumber]).toBe(invoice.InvoiceNumber);
  });
});

describe('secrets echoed by billwerk', () => {
  const logs: string[] = [];
  beforeEach(() => {
    logs.length = 0;
    for (const level of ['log', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  it('never reach a property, a note, a reply or a log', async () => {
    // The functions' own services (clients built from the secrets, as deployed), not the test seam.
    resetServices();
    const secrets = [ctx.env.BILLWERK_WEBHOOK_PASSWORD!, ctx.env.BILLWERK_CLIENT_SECRET!, ctx.env.BILLWERK_CLIENT_ID!];
    const echo = { Message: `invalid field; you sent ${secrets.join(' and ')}` };
    // Customer sync: billwerk refuses the update and quotes what it got.
    const company = ctx.hubspot.seeded!.companies.find((c) => ctx.hubspot.store.get('companies', c.id)!.properties.zip)!;
    const customer = await ctx
      .deps()
      .billwerk.forEntity(company.entityId)
      .createCustomer({ CompanyName: 'Old', FirstName: 'O', LastName: 'L', EmailAddress: 'o@example.com', Locale: 'de-DE' });
    ctx.hubspot.store.update('companies', company.id, { [COMPANY.customerId]: customer.Id });
    ctx.billwerk.simulator.failNext(5, 422, { match: /customers/i, body: echo });
    const reply = await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: company.id } });
    expect(ctx.hubspot.store.get('companies', company.id)!.properties[COMPANY.customerSyncError]).toContain('billwerk rejected');

    // Deal: billwerk's contract read fails with the same echo.
    const s = ownedContract();
    ctx.billwerk.simulator.failNext(5, 422, { match: /\/contracts\//, body: echo });
    await post({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ROOT });

    const everything = [
      JSON.stringify(reply),
      ...logs,
      ...(['companies', 'contacts', 'deals', 'notes'] as const).flatMap((type) =>
        ctx.hubspot.store.list(type).map((r) => JSON.stringify(r.properties)),
      ),
    ].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
