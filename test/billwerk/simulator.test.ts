/**
 * The billwerk simulator behaves like billwerk where the connector depends on it: signup order ->
 * commit -> customer, contract, invoice and webhooks; preview totals from the catalog; billwerk-like
 * validation errors; upgrades; contract state changes and their events. Driven through the real
 * client where the HTTP surface matters, through the store where a test arranges state.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { BillwerkApiError } from '../../src/core/billwerk/errors.js';
import { seedLargeCatalog } from '../../src/simulators/billwerk/index.js';
import { componentPrice } from '../../src/simulators/billwerk/pricing.js';
import { DEMO_ENTITIES, SIM_BILLWERK_BASE_URL } from '../../src/simulators/constants.js';
import { useBillwerk } from './helpers.js';

const h = useBillwerk();
const root = DEMO_ENTITIES[0]!.id;
const second = DEMO_ENTITIES[1]!.id;
const seed = () => h.sim.seeded![root]!;
const api = () => h.client().forEntity(root);
const newCustomer = {
  CompanyName: 'Neukunde GmbH',
  FirstName: 'Nina',
  LastName: 'Neu',
  EmailAddress: 'nina@neukunde.example',
  ExternalCustomerId: 'crm-777',
  Address: { Country: 'DE' },
};
const events = () => h.sim.webhooks.emitted.map((e) => e.Event);

describe('signup', () => {
  it('order -> commit creates customer, active contract and an invoice, and raises the webhooks', async () => {
    const { planVariants, components } = seed();
    const billwerk = api();
    const order = await billwerk.createOrder({
      Customer: newCustomer,
      Cart: { PlanVariantId: planVariants.proMonthly.Id, ComponentSubscriptions: [{ ComponentId: components.users.Id, Quantity: 3 }] },
      ContractCustomFields: { hubspotDealId: '42' },
    });
    expect(order.Status).toBe('InProgress');
    expect(order.OrderType).toBe('Signup');
    expect(h.sim.store.findCustomers({ externalId: 'crm-777' }, root)).toHaveLength(0); // nothing exists before the commit

    const contract = await billwerk.commitOrder(order.Id);
    expect(contract).toMatchObject({
      LifecycleStatus: 'Active',
      PlanVariantId: planVariants.proMonthly.Id,
      Currency: 'EUR',
      PaymentProvider: 'InvoicePayment',
      CustomFields: { hubspotDealId: '42' },
      StartDate: '2026-11-29T10:00:00.0000000Z',
      NextBillingDate: '2026-12-29T10:00:00.0000000Z',
    });
    expect(contract.CurrentPhase).toMatchObject({ Type: 'Normal', PlanVariantId: planVariants.proMonthly.Id });
    expect(contract.ComponentSubscriptions).toEqual([expect.objectContaining({ ComponentId: components.users.Id, Quantity: 3 })]);
    const customer = await billwerk.getCustomer(contract.CustomerId);
    expect(customer).toMatchObject({ CompanyName: 'Neukunde GmbH', ExternalCustomerId: 'crm-777' });

    const [invoice] = await billwerk.listInvoices({ contractId: contract.Id });
    // 49 fee + 99 setup + 3 × 5 users = 163 net, 19% VAT.
    expect(invoice).toMatchObject({
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
      Currency: 'EUR',
      TotalNet: 163,
      TotalVat: 30.97,
      TotalGross: 193.97,
    });
    expect(contract.Balance).toBe(-193.97);
    expect((await billwerk.getOrder(order.Id)).Status).toBe('Completed');
    expect(events()).toEqual(['CustomerCreated', 'ContractCreated', 'OrderSucceeded', 'InvoiceCreated']);
    expect(h.sim.webhooks.emitted.find((e) => e.Event === 'InvoiceCreated')).toEqual({
      Event: 'InvoiceCreated',
      EntityId: root,
      InvoiceId: invoice!.Id,
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
    });
  });

  it('signs up an existing customer by id', async () => {
    const { planVariants, customers } = seed();
    const order = await api().createOrder({ CustomerId: customers.plain.Id, Cart: { PlanVariantId: planVariants.starterYearly.Id } });
    const contract = await api().commitOrder(order.Id);
    expect(contract.CustomerId).toBe(customers.plain.Id);
    expect(contract.NextBillingDate).toBe('2027-11-29T10:00:00.0000000Z');
    expect(events()).not.toContain('CustomerCreated');
  });

  it('refuses to commit an order twice', async () => {
    const order = await api().createOrder({
      CustomerId: seed().customers.plain.Id,
      Cart: { PlanVariantId: seed().planVariants.starterMonthly.Id },
    });
    await api().commitOrder(order.Id);
    const error = (await api()
      .commitOrder(order.Id)
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(400);
    expect(error.billwerkMessage).toMatch(/Completed/);
    expect(h.sim.store.list('contracts', root)).toHaveLength(1);
  });

  it("answers 409 when the inline customer's external id exists already", async () => {
    const error = (await api()
      .createOrder({
        Customer: { ...newCustomer, ExternalCustomerId: seed().customers.withExternalId.ExternalCustomerId! },
        Cart: { PlanVariantId: seed().planVariants.proMonthly.Id },
      })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(409);
    expect(error.billwerkMessage).toContain('crm-demo-1');
  });
});

describe('order preview', () => {
  it('computes line items and totals from the catalog (fees, tiers, discounts, VAT)', async () => {
    const { planVariants, components, discounts, customers } = seed();
    const preview = await api().previewOrder({
      CustomerId: customers.plain.Id,
      Cart: {
        PlanVariantId: planVariants.starterMonthly.Id,
        ComponentSubscriptions: [
          { ComponentId: components.users.Id, Quantity: 2 },
          { ComponentId: components.storage.Id, Quantity: 20 },
        ],
        DiscountSubscriptions: [{ DiscountId: discounts.launch10.Id }],
      },
    });
    const order = preview.Order!;
    // 19 + 2 × 5 + storage tiers (10 × 1 + 10 × 0.5 = 15) = 44, minus 10% = 39.60 net.
    expect(order.LineItems?.map((l) => l.TotalNet)).toEqual([19, 10, 15, -4.4]);
    expect(order).toMatchObject({
      Currency: 'EUR',
      Total: 39.6,
      TotalVat: 7.52,
      TotalGross: 47.12,
      NextTotalGross: 47.12,
      NextTotalGrossDate: '2026-12-29T10:00:00.0000000Z',
    });
    expect(h.sim.store.list('orders', root)).toHaveLength(0);
  });

  it("uses the plan group's currency", async () => {
    const preview = await api().previewOrder({
      Customer: newCustomer,
      Cart: {
        PlanVariantId: seed().planVariants.chfMonthly.Id,
        ComponentSubscriptions: [{ ComponentId: seed().components.chfUsers.Id, Quantity: 1 }],
      },
    });
    expect(preview.Order).toMatchObject({ Currency: 'CHF', Total: 65 });
  });

  it('prices tiers per unit in a graduated scale and per tier in a volume scale', () => {
    const scale = (IsCumulative: boolean) => ({
      Id: 'c',
      PriceScale: {
        IsCumulative,
        Items: [
          { From: 1, Value: 2 },
          { From: 11, Value: 1 },
        ],
      },
    });
    expect(componentPrice(scale(true), 15)).toBe(10 * 2 + 5 * 1);
    expect(componentPrice(scale(false), 15)).toBe(15 * 1);
    expect(componentPrice(scale(false), 5)).toBe(5 * 2);
  });

  it.each([
    [
      'an unknown plan variant',
      () => ({ CustomerId: seed().customers.plain.Id, Cart: { PlanVariantId: '64a0000000000000000fffff' } }),
      /Plan variant with id 64a0000000000000000fffff not found/,
    ],
    [
      'a hidden plan variant',
      () => ({ CustomerId: seed().customers.plain.Id, Cart: { PlanVariantId: seed().planVariants.legacyHidden.Id } }),
      /hidden/,
    ],
    [
      'a component of another plan group (currency)',
      () => ({
        CustomerId: seed().customers.plain.Id,
        Cart: {
          PlanVariantId: seed().planVariants.proMonthly.Id,
          ComponentSubscriptions: [{ ComponentId: seed().components.chfUsers.Id, Quantity: 1 }],
        },
      }),
      /\(CHF\).*\(EUR\)/,
    ],
    [
      'an unknown customer',
      () => ({ CustomerId: '64a0000000000000000eeeee', Cart: { PlanVariantId: seed().planVariants.proMonthly.Id } }),
      /Customer with id 64a0000000000000000eeeee not found/,
    ],
    [
      'a new customer without email',
      () => ({ Customer: { CompanyName: 'No Mail AG' }, Cart: { PlanVariantId: seed().planVariants.proMonthly.Id } }),
      /Customer\.EmailAddress is required/,
    ],
    [
      'a zero quantity',
      () => ({
        CustomerId: seed().customers.plain.Id,
        Cart: {
          PlanVariantId: seed().planVariants.proMonthly.Id,
          ComponentSubscriptions: [{ ComponentId: seed().components.users.Id, Quantity: 0 }],
        },
      }),
      /Quantity must be a positive number/,
    ],
  ])('answers 422 naming the problem for %s', async (_, body, expected) => {
    const error = (await api()
      .previewOrder(body())
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(422);
    expect(error.billwerkMessage).toMatch(expected);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const token = h.sim.tokens.issue().token;
    const reply = await fetch(`${SIM_BILLWERK_BASE_URL}/api/v1/orders/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"Cart":',
    });
    expect(reply.status).toBe(400);
    expect(await reply.json()).toHaveProperty('Message');
  });
});

describe('upgrade', () => {
  async function signedUp() {
    const { planVariants, components, customers } = seed();
    const order = await api().createOrder({
      CustomerId: customers.plain.Id,
      Cart: { PlanVariantId: planVariants.starterMonthly.Id, ComponentSubscriptions: [{ ComponentId: components.users.Id, Quantity: 2 }] },
    });
    return api().commitOrder(order.Id);
  }

  it('previews a prorated difference and changes the contract on commit', async () => {
    const contract = await signedUp();
    h.sim.webhooks.emitted.length = 0;
    // Halfway through the 30-day period (Nov 29 -> Dec 29).
    h.clock.now = Date.parse('2026-12-14T10:00:00Z');
    const upgrade = {
      ContractId: contract.Id,
      Cart: {
        PlanVariantId: seed().planVariants.proMonthly.Id,
        ComponentSubscriptions: [{ ComponentId: seed().components.users.Id, Quantity: 2 }],
      },
    };
    const preview = await api().previewOrder(upgrade);
    // Plan 19 -> 49 (+30) and users 2 -> 4 (+10) for half a period = 20 net.
    expect(preview.Order?.Total).toBe(20);
    expect(preview.Order?.NextTotalGross).toBe(round2((49 + 20) * 1.19));

    const order = await api().createOrder(upgrade);
    expect(order.OrderType).toBe('Upgrade');
    const changed = await api().commitOrder(order.Id);
    expect(changed.Id).toBe(contract.Id);
    expect(changed.PlanVariantId).toBe(seed().planVariants.proMonthly.Id);
    expect(changed.ComponentSubscriptions?.reduce((n, s) => n + (s.Quantity ?? 0), 0)).toBe(4);
    expect(events()).toEqual(['ContractChanged', 'OrderSucceeded', 'InvoiceCreated']);
    expect(h.sim.webhooks.emitted[0]).toMatchObject({ ContractId: contract.Id, ContractChangeType: 'Upgrade', EntityId: root });
    expect((await api().listInvoices({ contractId: contract.Id })).map((i) => i.TotalNet)).toEqual([20, 29]); // newest first
  });

  it('ends component subscriptions by subscription id and credits the rest of the period', async () => {
    const contract = await signedUp();
    const [users] = contract.ComponentSubscriptions!;
    h.clock.now = Date.parse('2026-12-14T10:00:00Z');
    const preview = await api().previewOrder({ ContractId: contract.Id, Cart: { EndComponentSubscriptions: [String(users!.Id)] } });
    expect(preview.Order?.Total).toBe(-5); // 2 users × 5 for half a period
    const unknown = (await api()
      .previewOrder({ ContractId: contract.Id, Cart: { EndComponentSubscriptions: ['64a0000000000000000ddddd'] } })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(unknown.status).toBe(422);
    expect(unknown.billwerkMessage).toMatch(/64a0000000000000000ddddd/);
  });

  it('refuses to change an ended contract', async () => {
    const contract = await signedUp();
    h.sim.store.setContractState(contract.Id, { EndDate: '2026-12-01T00:00:00.0000000Z' }, root);
    h.clock.now = Date.parse('2026-12-05T00:00:00Z');
    const error = (await api()
      .previewOrder({ ContractId: contract.Id, Cart: { PlanVariantId: seed().planVariants.proMonthly.Id } })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(422);
    expect(error.billwerkMessage).toMatch(/has ended/);
  });
});

describe('contracts and state changes', () => {
  it('PATCHes custom fields (merged) and the individual term of payment', async () => {
    const contract = h.sim.store.addContract(
      { CustomerId: seed().customers.plain.Id, PlanVariantId: seed().planVariants.starterMonthly.Id, CustomFields: { a: '1' } },
      root,
    );
    const patched = await api().updateContract(contract.Id, { CustomFields: { b: '2' }, OnAccountDueAfter: { Unit: 'Day', Quantity: 30 } });
    expect(patched.CustomFields).toEqual({ a: '1', b: '2' });
    expect(patched.OnAccountDueAfter).toEqual({ Unit: 'Day', Quantity: 30 });
    expect(events()).toEqual(['ContractDataChanged']);
    const error = (await api()
      .updateContract(contract.Id, { OnAccountDueAfter: { Unit: 'Fortnight', Quantity: 1 } })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(422);
    expect(error.billwerkMessage).toMatch(/OnAccountDueAfter/);
  });

  it('emits PaymentEscalated as documented, and PaymentEscalationReset once the balance is cleared; contracts carry no escalation field', () => {
    const contract = h.sim.store.addContract(
      { CustomerId: seed().customers.withExternalId.Id, PlanVariantId: seed().planVariants.starterMonthly.Id },
      root,
    );
    h.sim.store.setContractState(contract.Id, { Balance: -99 }, root);
    h.sim.store.escalatePayment(contract.Id, { TriggerDays: 7, DueDate: '2026-01-10T00:00:00.0000000Z' }, root);
    h.sim.store.setContractState(contract.Id, { Balance: 0 }, root);
    expect(events()).toEqual(['ContractChanged', 'PaymentEscalated', 'ContractChanged', 'PaymentEscalationReset']);
    expect('PaymentEscalated' in h.sim.store.getContract(contract.Id, root)).toBe(false);
    expect(h.sim.webhooks.emitted[0]).toMatchObject({
      ExternalCustomerId: 'crm-demo-1',
      ContractChangeType: expect.any(String),
      ContractChangeId: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    // docu.billwerk.plus "Payment Escalated": ContractId, CustomerId, TriggerDays, DueDate, PaymentEscalationProcessId, Event, EntityId.
    expect(h.sim.webhooks.emitted[1]).toEqual({
      Event: 'PaymentEscalated',
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
      TriggerDays: 7,
      DueDate: '2026-01-10T00:00:00.0000000Z',
      PaymentEscalationProcessId: expect.stringMatching(/^[0-9a-f]{24}$/),
      EntityId: root,
    });
    expect(h.sim.webhooks.emitted[3]).toEqual({
      Event: 'PaymentEscalationReset',
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
      EntityId: root,
    });
  });

  it('bills the next period with createInvoice and moves the billing dates', () => {
    const contract = h.sim.store.addContract(
      { CustomerId: seed().customers.plain.Id, PlanVariantId: seed().planVariants.starterMonthly.Id },
      root,
    );
    const invoice = h.sim.store.createInvoice(contract.Id, root);
    expect(invoice).toMatchObject({ TotalNet: 19, TotalGross: 22.61, InvoiceNumber: expect.stringMatching(/^RE-2026-\d{5}$/) });
    expect(h.sim.store.getContract(contract.Id, root).NextBillingDate).toBe('2027-01-29T10:00:00.0000000Z');
    expect(events()).toEqual(['InvoiceCreated']);
  });
});

describe('catalog, entities and paging', () => {
  it('keeps entities apart', async () => {
    const client = h.client();
    const rootCustomer = seed().customers.plain.Id;
    await expect(client.forEntity(second).getCustomer(rootCustomer)).rejects.toMatchObject({ status: 404 });
    expect((await client.forEntity(second).findCustomersByExternalId('crm-demo-2')).map((c) => c.Id)).toEqual([
      h.sim.seeded![second]!.customers.withExternalId.Id,
    ]);
  });

  it('lists hidden items with Hidden: true and emits catalog events on changes', async () => {
    const variant = seed().planVariants.proYearly;
    h.sim.store.hidePlanVariant(variant.Id, root);
    h.sim.store.upsertPlanVariant({ ...seed().planVariants.starterMonthly, RecurringFee: 21 }, root);
    const variants = await api().listPlanVariants();
    expect(variants.find((v) => v.Id === variant.Id)?.Hidden).toBe(true);
    expect(variants.find((v) => v.Id === seed().planVariants.starterMonthly.Id)?.RecurringFee).toBe(21);
    expect(h.sim.webhooks.emitted).toEqual([
      { Event: 'PlanVariantChanged', PlanVariantId: variant.Id, EntityId: root },
      { Event: 'PlanVariantChanged', PlanVariantId: seed().planVariants.starterMonthly.Id, EntityId: root },
    ]);
  });

  it('pages with take (max 500) and an inclusive from', async () => {
    const token = h.sim.tokens.issue().token;
    const get = (query: string) =>
      fetch(`${SIM_BILLWERK_BASE_URL}/api/v1/planVariants?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const first = (await (await get('take=2')).json()) as { Id: string }[];
    const next = (await (await get(`take=2&from=${first[1]!.Id}`)).json()) as { Id: string }[];
    expect(first).toHaveLength(2);
    expect(next[0]!.Id).toBe(first[1]!.Id);
    expect((await get('take=501')).status).toBe(400);
  });

  it('PATCHes only the given customer fields and merges the address', async () => {
    const id = seed().customers.withExternalId.Id;
    const patched = await api().updateCustomer(id, { PhoneNumber: '+49 30 1', Address: { City: 'Potsdam' } });
    expect(patched).toMatchObject({
      CompanyName: 'Beispiel GmbH',
      PhoneNumber: '+49 30 1',
      Address: { Street: 'Hauptstraße', City: 'Potsdam', Country: 'DE' },
    });
    const error = (await api()
      .updateCustomer(id, { EmailAddress: 'not-an-email' })
      .catch((e: unknown) => e)) as BillwerkApiError;
    expect(error.status).toBe(422);
    expect(error.billwerkMessage).toMatch(/EmailAddress/);
    expect(h.sim.store.getCustomer(id, root).EmailAddress).toBe('erika@beispiel.example');
  });

  it('searches customers by name, email and company', async () => {
    expect((await api().searchCustomers('mustermann')).map((c) => c.Id)).toEqual([seed().customers.withExternalId.Id]);
    expect((await api().searchCustomers('sample.example')).map((c) => c.Id)).toEqual([seed().customers.plain.Id]);
  });
});

describe('OAuth endpoint', () => {
  it('answers invalid_client for wrong credentials and 401 for an expired token', async () => {
    const bad = await fetch(`${SIM_BILLWERK_BASE_URL}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sim-client-id:nope').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client' });
    const { token } = h.sim.tokens.issue();
    h.clock.now += 3601 * 1000;
    const expired = await fetch(`${SIM_BILLWERK_BASE_URL}/api/v1/planGroups`, { headers: { authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
  });
});

describe('webhook delivery', () => {
  const hook = 'https://connector.example/billwerk-webhook';
  const auth = { type: 'basic' as const, user: 'billwerk-webhooks', password: 'sim-webhook-password' };

  it('posts one event per request with Basic auth, and retries with X-Retry-Count on failure', async () => {
    const received: { body: unknown; retry: string | null; authorization: string | null }[] = [];
    let failures = 1;
    h.server.use(
      http.post(hook, async ({ request }) => {
        received.push({
          body: await request.json(),
          retry: request.headers.get('x-retry-count'),
          authorization: request.headers.get('authorization'),
        });
        return failures-- > 0 ? new HttpResponse(null, { status: 503 }) : new HttpResponse(null, { status: 200 });
      }),
    );
    h.sim.webhooks.subscribe({ url: hook, events: ['InvoiceCreated'], auth });
    const contract = h.sim.store.addContract(
      { CustomerId: seed().customers.plain.Id, PlanVariantId: seed().planVariants.starterMonthly.Id },
      root,
    );
    const invoice = h.sim.store.createInvoice(contract.Id, root);
    await h.sim.webhooks.idle();
    expect(received.map((r) => r.retry)).toEqual([null, '1']);
    expect(received[1]!.body).toEqual({
      Event: 'InvoiceCreated',
      EntityId: root,
      InvoiceId: invoice.Id,
      ContractId: contract.Id,
      CustomerId: contract.CustomerId,
    });
    expect(received[0]!.authorization).toBe(`Basic ${Buffer.from('billwerk-webhooks:sim-webhook-password').toString('base64')}`);
    expect(h.sim.webhooks.deliveries.map((d) => d.status)).toEqual([503, 200]);
  });

  it('gives up after the bounded number of attempts', async () => {
    h.server.use(http.post(hook, () => new HttpResponse(null, { status: 500 })));
    h.sim.webhooks.subscribe({ url: hook, events: '*', auth: { type: 'none' } });
    h.sim.store.hidePlanVariant(seed().planVariants.proYearly.Id, root);
    await h.sim.webhooks.idle();
    expect(h.sim.webhooks.deliveries.map((d) => d.retryCount)).toEqual([0, 1, 2, 3]);
    expect(h.sim.webhooks.deliveries.every((d) => !d.ok)).toBe(true);
  });

  it('delivers a bulk catalog change of 300 events at most 10 at a time, every one of them', async () => {
    let open = 0;
    let mostOpen = 0;
    h.server.use(
      http.post(hook, async () => {
        mostOpen = Math.max(mostOpen, ++open);
        await new Promise((resolve) => setTimeout(resolve, 2));
        open -= 1;
        return new HttpResponse(null, { status: 200 });
      }),
    );
    h.sim.webhooks.subscribe({ url: hook, events: '*', auth: { type: 'none' } });
    seedLargeCatalog(h.sim.store, { items: 300, entityId: root });
    await h.sim.webhooks.idle();
    const delivered = h.sim.webhooks.deliveries.filter((d) => d.ok);
    expect(delivered.length).toBe(h.sim.webhooks.emitted.length);
    expect(delivered.length).toBeGreaterThanOrEqual(300);
    expect(mostOpen).toBe(10);
  });

  it('registers webhooks through the API as well', async () => {
    const token = h.sim.tokens.issue().token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${SIM_BILLWERK_BASE_URL}/api/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ Url: hook, Events: ['ContractChanged'] }),
    });
    expect(created.status).toBe(201);
    const { Id } = (await created.json()) as { Id: string };
    expect(h.sim.webhooks.list()).toEqual([expect.objectContaining({ id: Id, url: hook, events: ['ContractChanged'] })]);
    expect((await fetch(`${SIM_BILLWERK_BASE_URL}/api/v1/webhooks/${Id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect(h.sim.webhooks.list()).toEqual([]);
  });

  it('in queue mode holds events until deliverAll', async () => {
    const received: unknown[] = [];
    h.server.use(
      http.post(hook, async ({ request }) => {
        received.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    h.sim.webhooks.mode = 'queue';
    h.sim.webhooks.subscribe({ url: hook, events: ['ContractChanged', 'PaymentEscalated'], auth });
    const contract = h.sim.store.addContract(
      { CustomerId: seed().customers.plain.Id, PlanVariantId: seed().planVariants.starterMonthly.Id },
      root,
    );
    h.sim.store.setContractState(contract.Id, { Balance: -5 }, root);
    h.sim.store.escalatePayment(contract.Id, {}, root);
    expect(h.sim.webhooks.pending().map((p) => p.event.Event)).toEqual(['ContractChanged', 'PaymentEscalated']);
    expect(received).toHaveLength(0);
    const results = await h.sim.webhooks.deliverAll();
    expect(results.map((r) => r.status)).toEqual([204, 204]);
    expect(received).toHaveLength(2);
    expect(h.sim.webhooks.pending()).toHaveLength(0);
  });
});

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
