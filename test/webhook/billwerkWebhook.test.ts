/**
 * billwerk webhooks end to end: the billwerk simulator's emitter POSTs to the endpoint function's
 * public URL (msw hands the request to `main` as HubSpot would), the function reads billwerk and
 * writes the deal in the HubSpot simulator.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import {
  BILLING_STATE_PROPERTIES,
  changedBillingProperties,
  toDealBillingProperties,
} from '../../src/core/mappers/toDealBillingProperties.js';
import { CONTRACT_EVENTS } from '../../src/core/events/handleBillwerkEvent.js';
import { main } from '../../src/functions/billwerk-webhook.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { endpointHandler } from '../support/endpoint.js';
import { useSimulators, type SimulatorContext } from '../support/simulators.js';

const WEBHOOK_URL = 'https://portal.example.com/hs/serverless/billwerk/events';
const ENTITY = DEMO_ENTITIES[0]!.id;
const GOOD_AUTH = { type: 'basic' as const, user: SIM_CREDENTIALS.billwerkWebhookUser, password: SIM_CREDENTIALS.billwerkWebhookPassword };

const ctx = useSimulators();

interface Setup {
  contractId: string;
  dealId: string;
}

/** A billwerk contract and the deal that owns it; the emitter queues events for the endpoint. */
function contractOwnedByDeal(
  c: SimulatorContext,
  auth: { type: 'basic'; user: string; password: string } | { type: 'none' } = GOOD_AUTH,
  url = WEBHOOK_URL,
): Setup {
  const seed = c.billwerk.seeded![ENTITY]!;
  const contract = c.billwerk.store.addContract(
    { CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.starterMonthly.Id },
    ENTITY,
  );
  // As apply leaves it: contract id, synced, and the unique owner value events find the deal by.
  const deal = c.hubspot.store.create('deals', {
    dealname: 'ACME signup',
    pipeline: 'default',
    dealstage: 'closedwon',
    [DEAL.contractId]: contract.Id,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: contract.Id,
    [DEAL.entity]: ENTITY,
  });
  c.billwerk.webhooks.mode = 'queue';
  c.billwerk.webhooks.subscribe({ url, events: [...CONTRACT_EVENTS], auth });
  c.server.use(endpointHandler(WEBHOOK_URL, main, c.env));
  return { contractId: contract.Id, dealId: deal.id };
}

const deal = (id: string) => ctx.hubspot.store.get('deals', id)!.properties;
const notesOf = (dealId: string) =>
  ctx.hubspot.store.associations('deals', dealId, 'notes').map((id) => ctx.hubspot.store.get('notes', id)!.properties.hs_note_body ?? '');
const billingOf = (dealId: string) => Object.fromEntries(BILLING_STATE_PROPERTIES.map((name) => [name, deal(dealId)[name] ?? '']));

/** What billwerk says now, as deal properties: the state every delivery order must end in. */
function billwerkTruth(contractId: string) {
  const contract = ctx.billwerk.store.getContract(contractId, ENTITY);
  const [newest] = ctx.billwerk.store.listInvoices({ contractId }, ENTITY);
  return toDealBillingProperties(contract, newest);
}

function expectDealMirrorsBillwerk(s: Setup) {
  expect(changedBillingProperties(deal(s.dealId), billwerkTruth(s.contractId))).toEqual({});
}

async function deliver() {
  const records = await ctx.billwerk.webhooks.deliverAll();
  return records.map((r) => r.status);
}

function resetCallLogs() {
  ctx.billwerk.simulator.resetCalls();
  ctx.hubspot.simulator.resetCalls();
}

describe('billwerk webhook endpoint', () => {
  let s: Setup;
  beforeEach(() => {
    s = contractOwnedByDeal(ctx);
  });

  describe("each contract event brings the deal to billwerk's current state", () => {
    it('PaymentEscalated and PaymentEscalationReset set and clear "Payment escalated", each with a note', async () => {
      ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ENTITY });
      expect(await deliver()).toEqual([200]);
      expect(deal(s.dealId)[DEAL.paymentEscalated]).toBe('false');
      expect(notesOf(s.dealId)).toEqual([]);
      ctx.billwerk.store.setContractState(s.contractId, { Balance: -119 }, ENTITY);
      ctx.billwerk.webhooks.discardPending();
      // billwerk's documented payload: ContractId, CustomerId, TriggerDays, DueDate, PaymentEscalationProcessId, EntityId.
      ctx.billwerk.store.escalatePayment(s.contractId, { TriggerDays: 5, DueDate: '2026-06-09T00:00:00.0000000Z' }, ENTITY);
      expect(await deliver()).toEqual([200]);
      expect(deal(s.dealId)).toMatchObject({ [DEAL.paymentEscalated]: 'true', [DEAL.paymentEscalationTriggerDays]: '5' });
      expect(Date.parse(deal(s.dealId)[DEAL.paymentEscalationDueDate]!)).toBe(Date.parse('2026-06-09T00:00:00Z'));
      expect(Number(deal(s.dealId)[DEAL.balance])).toBe(-119);
      expect(notesOf(s.dealId).filter((n) => n.includes('Payment escalated: no → yes'))).toHaveLength(1);

      // Paid: billwerk resets the escalation ({ContractId, CustomerId, Event, EntityId}).
      ctx.billwerk.store.setContractState(s.contractId, { Balance: 0 }, ENTITY);
      expect(await deliver()).toEqual([200, 200]);
      expect(deal(s.dealId)[DEAL.paymentEscalated]).toBe('false');
      expect(notesOf(s.dealId).filter((n) => n.includes('Payment escalated: yes → no'))).toHaveLength(1);
      expectDealMirrorsBillwerk(s);
    });

    it('InvoiceCreated writes the last invoice, balance and billed-until dates', async () => {
      const invoice = ctx.billwerk.store.createInvoice(s.contractId, ENTITY);
      expect(await deliver()).toEqual([200]);
      const d = deal(s.dealId);
      expect(d[DEAL.lastInvoiceNumber]).toBe(invoice.InvoiceNumber);
      expect(Number(d[DEAL.lastInvoiceTotal])).toBe(invoice.TotalGross);
      expect(Date.parse(d[DEAL.lastInvoiceDate]!)).toBe(Date.parse(invoice.DocumentDate!));
      const contract = ctx.billwerk.store.getContract(s.contractId, ENTITY);
      expect(Number(d[DEAL.balance])).toBe(contract.Balance);
      expect(Date.parse(d[DEAL.billedUntil]!)).toBe(Date.parse(contract.BilledUntil!));
      expect(d[DEAL.billingSyncedAt]).toBeTruthy();
      expectDealMirrorsBillwerk(s);
    });

    it('InvoiceCreated with only an InvoiceId (older payload) finds the contract through the invoice', async () => {
      const invoice = ctx.billwerk.store.createInvoice(s.contractId, ENTITY);
      ctx.billwerk.webhooks.discardPending();
      ctx.billwerk.webhooks.publish({ Event: 'InvoiceCreated', InvoiceId: invoice.Id });
      expect(await deliver()).toEqual([200]);
      expect(deal(s.dealId)[DEAL.lastInvoiceNumber]).toBe(invoice.InvoiceNumber);
    });

    it('ContractChanged writes lifecycle status, end date, payment provider and method, with one note', async () => {
      ctx.billwerk.store.setContractState(
        s.contractId,
        {
          EndDate: '2030-01-31T00:00:00.0000000Z',
          PaymentProvider: 'PayOne',
          PaymentBearer: { Type: 'CreditCard' },
        },
        ENTITY,
      );
      expect(await deliver()).toEqual([200]);
      const d = deal(s.dealId);
      expect(Date.parse(d[DEAL.endDate]!)).toBe(Date.parse('2030-01-31T00:00:00Z'));
      expect(d[DEAL.paymentProvider]).toBe('PayOne');
      expect(d[DEAL.paymentMethod]).toBe('CreditCard');
      expect(d[DEAL.lifecycleStatus]).toBe(ctx.billwerk.store.getContract(s.contractId, ENTITY).LifecycleStatus);
      const notes = notesOf(s.dealId);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Contract end date: none → 2030-01-31');
    });

    it.each(['ContractCreated', 'OrderSucceeded'] as const)('%s reads the whole contract too', async (name) => {
      ctx.billwerk.store.setContractState(s.contractId, { Balance: -42.5 }, ENTITY);
      ctx.billwerk.webhooks.discardPending();
      ctx.billwerk.webhooks.publish({ Event: name, ContractId: s.contractId, OrderId: 'o1', EntityId: ENTITY });
      expect(await deliver()).toEqual([200]);
      expect(Number(deal(s.dealId)[DEAL.balance])).toBe(-42.5);
      expectDealMirrorsBillwerk(s);
    });
  });

  it('replayed three times in reverse order, the events end in the same deal as in order, with no extra writes', async () => {
    // A month of billing: invoice, escalation, payment, cancellation.
    ctx.billwerk.store.createInvoice(s.contractId, ENTITY);
    ctx.billwerk.store.escalatePayment(s.contractId, {}, ENTITY);
    ctx.billwerk.store.setContractState(s.contractId, { Balance: 0 }, ENTITY);
    ctx.billwerk.store.setContractState(s.contractId, { EndDate: '2031-06-30T00:00:00.0000000Z' }, ENTITY);
    const events = ctx.billwerk.webhooks.pending().map((p) => p.event);
    expect(events.length).toBeGreaterThanOrEqual(5);
    ctx.billwerk.webhooks.discardPending();

    for (let round = 0; round < 3; round++) for (const event of [...events].reverse()) ctx.billwerk.webhooks.publish(event);
    expect((await deliver()).every((status) => status === 200)).toBe(true);
    expectDealMirrorsBillwerk(s);
    const reversed = billingOf(s.dealId);
    // Only the state at delivery time counts: the first delivery already saw the final state.
    expect(notesOf(s.dealId)).toHaveLength(1);

    const writesBefore = ctx.hubspotWrites();
    for (const event of events) ctx.billwerk.webhooks.publish(event);
    expect((await deliver()).every((status) => status === 200)).toBe(true);
    expect(billingOf(s.dealId)).toEqual(reversed);
    expect(ctx.hubspotWrites()).toBe(writesBefore);
  });

  it('an unchanged contract causes no HubSpot write and no note', async () => {
    ctx.billwerk.store.createInvoice(s.contractId, ENTITY);
    await deliver();
    const notes = notesOf(s.dealId).length;
    resetCallLogs();
    ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ENTITY });
    expect(await deliver()).toEqual([200]);
    expect(ctx.hubspotWrites()).toBe(0);
    // Reads only: the deal lookup by its unique owner value, no search (and the custom field mappings,
    // unless a warm container has them).
    expect(ctx.hubspot.simulator.calls.every((c) => c.method === 'GET' || c.path.endsWith('/batch/read'))).toBe(true);
    expect(ctx.hubspot.simulator.count(/\/search$/)).toBe(0);
    expect(notesOf(s.dealId)).toHaveLength(notes);
  });

  it('rejects missing or wrong credentials with 401 and touches neither billwerk nor HubSpot', async () => {
    const wrong = contractOwnedByDeal(
      ctx,
      { type: 'basic', user: SIM_CREDENTIALS.billwerkWebhookUser, password: 'not-the-password' },
      `${WEBHOOK_URL}?x=1`,
    );
    contractOwnedByDeal(ctx, { type: 'none' }, `${WEBHOOK_URL}?y=2`);
    for (const sub of ctx.billwerk.webhooks.list()) if (sub.url === WEBHOOK_URL) ctx.billwerk.webhooks.unsubscribe(sub.id);
    ctx.billwerk.webhooks.discardPending();
    resetCallLogs();
    const before = { ...deal(wrong.dealId) };
    ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: wrong.contractId, EntityId: ENTITY });
    const records = await ctx.billwerk.webhooks.deliverAll();
    const statusByUrl = Object.fromEntries(records.map((r) => [r.url, r.status]));
    expect(statusByUrl[`${WEBHOOK_URL}?x=1`]).toBe(401);
    expect(statusByUrl[`${WEBHOOK_URL}?y=2`]).toBe(401);
    expect(ctx.billwerk.simulator.calls).toHaveLength(0);
    expect(ctx.hubspot.simulator.calls).toHaveLength(0);
    expect(deal(wrong.dealId)).toEqual(before);
  });

  it('accepts the token query parameter as the alternative to Basic Auth', async () => {
    const token = 'tok-0123456789abcdefghijklmnopqrstuv';
    ctx.env.BILLWERK_WEBHOOK_TOKEN = token;
    try {
      ctx.billwerk.webhooks.subscribe({ url: `${WEBHOOK_URL}?token=${token}`, events: ['ContractChanged'], auth: { type: 'none' } });
      ctx.billwerk.store.setContractState(s.contractId, { Balance: -7 }, ENTITY);
      const records = await ctx.billwerk.webhooks.deliverAll();
      expect(records.filter((r) => r.url.includes('token=')).map((r) => r.status)).toEqual([200]);
      expect(Number(deal(s.dealId)[DEAL.balance])).toBe(-7);
    } finally {
      delete ctx.env.BILLWERK_WEBHOOK_TOKEN;
    }
  });

  it('answers 400 to bodies that are no billwerk event, without side effects', async () => {
    resetCallLogs();
    const authorization = `Basic ${Buffer.from(`${GOOD_AUTH.user}:${GOOD_AUTH.password}`).toString('base64')}`;
    for (const [body, type] of [
      ['not json at all', 'application/json'],
      ['[1,2]', 'application/json'],
      ['{"ContractId":"x"}', 'application/json'],
      ['Event=ContractChanged', 'text/plain'],
    ]) {
      const response = await fetch(WEBHOOK_URL, { method: 'POST', headers: { authorization, 'content-type': type! }, body });
      expect(response.status, body).toBe(400);
    }
    expect(ctx.billwerk.simulator.calls).toHaveLength(0);
    expect(ctx.hubspot.simulator.calls).toHaveLength(0);
  });

  it('acknowledges events for contracts no deal owns, and events it does not use', async () => {
    const seed = ctx.billwerk.seeded![ENTITY]!;
    const stranger = ctx.billwerk.store.addContract(
      { CustomerId: seed.customers.withExternalId.Id, PlanVariantId: seed.planVariants.proMonthly.Id },
      ENTITY,
    );
    ctx.billwerk.webhooks.subscribe({ url: WEBHOOK_URL, events: ['CustomerCreated'], auth: GOOD_AUTH });
    resetCallLogs();
    ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: stranger.Id, EntityId: ENTITY });
    ctx.billwerk.webhooks.publish({ Event: 'CustomerCreated', CustomerId: seed.customers.plain.Id, EntityId: ENTITY });
    expect(await deliver()).toEqual([200, 200]);
    expect(ctx.hubspotWrites()).toBe(0);
    expect(ctx.billwerk.simulator.calls).toHaveLength(0);
  });

  it('also ignores a deal that handed its contract over (billwerk_contract_synced = false)', async () => {
    ctx.hubspot.store.update('deals', s.dealId, { [DEAL.contractSynced]: 'false' });
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -5 }, ENTITY);
    expect(await deliver()).toEqual([200]);
    expect(deal(s.dealId)[DEAL.balance] ?? '').toBe('');
  });

  it("finds the owning deal without HubSpot's search, so the search limit cannot hold a burst back", async () => {
    ctx.hubspot.simulator.searchRateLimit = { limit: 0, windowMs: 60_000 }; // any search would be refused
    const others = [contractOwnedByDeal(ctx), contractOwnedByDeal(ctx)];
    ctx.billwerk.webhooks.discardPending();
    for (const t of [s, ...others]) ctx.billwerk.store.createInvoice(t.contractId, ENTITY);
    const statuses = await deliver(); // each setup subscribed the endpoint once more: every event arrives thrice
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((status) => status === 200)).toBe(true);
    for (const t of [s, ...others]) expectDealMirrorsBillwerk(t);
    expect(ctx.hubspot.simulator.count(/\/search$/)).toBe(0);
  });

  it('updates only the deal holding the owner value when an older deal still claims the contract', async () => {
    // An older deal with the same contract id and synced = yes (e.g. edited by hand) but no owner value.
    const older = ctx.hubspot.store.create('deals', {
      dealname: 'Old copy',
      pipeline: 'default',
      dealstage: 'closedwon',
      [DEAL.contractId]: s.contractId,
      [DEAL.contractSynced]: 'true',
      [DEAL.entity]: ENTITY,
    });
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -11 }, ENTITY);
    expect(await deliver()).toEqual([200]);
    expect(Number(deal(s.dealId)[DEAL.balance])).toBe(-11);
    expect(deal(older.id)[DEAL.balance] ?? '').toBe('');
  });

  it('answers 503 while billwerk fails, records the failure once, and catches up when billwerk retries', async () => {
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -30 }, ENTITY);
    ctx.billwerk.webhooks.discardPending();
    // billwerk down for longer than the client's bounded retries and the emitter's attempts.
    ctx.billwerk.simulator.failNext(1000, 500, { match: /\/contracts\// });
    ctx.billwerk.store.escalatePayment(s.contractId, {}, ENTITY);
    const event = ctx.billwerk.webhooks.pending()[0]!.event;
    await deliver();
    expect(new Set(ctx.billwerk.webhooks.deliveries.map((d) => d.status))).toEqual(new Set([503]));
    expect(deal(s.dealId)[DEAL.syncError]).toContain('HTTP 500');
    expect(deal(s.dealId)[DEAL.paymentEscalated] ?? '').toBe('');

    // billwerk is back; its later retry of the same event succeeds.
    ctx.billwerk.simulator.clearFaults();
    ctx.billwerk.webhooks.publish(event);
    expect(await deliver()).toEqual([200]);
    expect(deal(s.dealId)[DEAL.paymentEscalated]).toBe('true');
    expect(deal(s.dealId)[DEAL.syncError] ?? '').toBe('');
    const failureNotes = notesOf(s.dealId).filter((n) => n.includes('billwerk sync failed'));
    expect(failureNotes).toHaveLength(1);
    expect(failureNotes[0]).toContain('HTTP 500');
  });

  it('acknowledges a contract billwerk does not know (retrying cannot help) and says so on the deal', async () => {
    ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ENTITY });
    ctx.billwerk.simulator.failNext(1, 404, { match: /\/contracts\// });
    expect(await deliver()).toEqual([200]);
    expect(deal(s.dealId)[DEAL.syncError]).toContain('does not know contract');
    expect(notesOf(s.dealId).filter((n) => n.includes('billwerk sync failed'))).toHaveLength(1);
  });

  it('answers 503 when HubSpot fails, so billwerk delivers again', async () => {
    ctx.billwerk.store.setContractState(s.contractId, { Balance: -9 }, ENTITY);
    ctx.hubspot.simulator.failNext(1000, 500, { match: /batch\/read/ });
    await deliver();
    expect(new Set(ctx.billwerk.webhooks.deliveries.map((d) => d.status))).toEqual(new Set([503]));
    expect(ctx.billwerk.simulator.calls.filter((c) => c.path.includes('/contracts/'))).toHaveLength(0);
    ctx.hubspot.simulator.clearFaults();
    ctx.billwerk.webhooks.publish({ Event: 'ContractChanged', ContractId: s.contractId, EntityId: ENTITY });
    expect(await deliver()).toEqual([200]);
    expect(Number(deal(s.dealId)[DEAL.balance])).toBe(-9);
  });
});
