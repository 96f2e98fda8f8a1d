/** Validate and apply signup deals end to end against the billwerk and HubSpot simulators. */
import { describe, expect, it } from 'vitest';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import { validateDeal } from '../../src/core/deal/validateDeal.js';
import { main as applyMain } from '../../src/functions/apply-deal.js';
import { main as validateMain } from '../../src/functions/validate-deal.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import { addLineItems, closedWon, dealProps, setDeal, type SoldItem } from './kit.js';

const ctx = useSimulators();
const ROOT = DEMO_ENTITIES[0]!.id;
const SECOND = DEMO_ENTITIES[1]!.id;
const env = { environment: 'sandbox' as const };

function catalog(entityId = ROOT) {
  const e = ctx.billwerk.seeded![entityId]!;
  return {
    pro: { type: 'PlanVariant', id: e.planVariants.proMonthly.Id, entityId, name: 'Professional monthly' } satisfies SoldItem,
    starter: { type: 'PlanVariant', id: e.planVariants.starterMonthly.Id, entityId, name: 'Starter monthly' } satisfies SoldItem,
    hidden: { type: 'PlanVariant', id: e.planVariants.legacyHidden.Id, entityId, name: 'Professional legacy' } satisfies SoldItem,
    users: (quantity: number) =>
      ({ type: 'Component', id: e.components.users.Id, entityId, name: 'Additional users', quantity }) satisfies SoldItem,
    customers: e.customers,
  };
}

const seeded = () => ctx.hubspot.seeded!.signupDeal;
const deps = () => ctx.deps();
const contracts = () => ctx.billwerk.store.list('contracts', ROOT);
const customers = () => ctx.billwerk.store.findCustomers({}, ROOT);

async function validatedClosedWonDeal(extra: Record<string, string> = {}) {
  const { id } = seeded();
  addLineItems(ctx.hubspot, id, [catalog().pro, catalog().users(3)]);
  if (Object.keys(extra).length) setDeal(ctx.hubspot, id, extra);
  const validation = await validateDeal(deps(), { dealId: id, ...env });
  expect(validation.ok).toBe(true);
  setDeal(ctx.hubspot, id, closedWon);
  return id;
}

describe('validate a signup deal', () => {
  it('previews a new customer and writes "Successfully validated" with the first invoice, currency and next billing date', async () => {
    const { id } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().pro, catalog().users(3)]);
    ctx.billwerk.simulator.resetCalls();
    ctx.hubspot.simulator.resetCalls();

    const outcome = await ctx.runFunction(validateMain, { parameters: { dealId: id } });

    expect(outcome).toMatchObject({ ok: true });
    const deal = dealProps(ctx.hubspot, id);
    expect(deal.billwerk_validation).toBe('SuccessfullyValidated');
    expect(deal.billwerk_validation_message).toMatch(
      /^Successfully validated\nFirst invoice: \d+\.\d\d EUR; next billing date: \d{4}-\d\d-\d\d\./,
    );
    expect(deal.billwerk_validation_message).toContain('Customer: new billwerk customer');
    expect(deal.billwerk_validated_line_items_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders/preview')).toBe(1);
    expect(contracts()).toHaveLength(0); // a preview creates nothing
  });

  it('names every missing prerequisite at once, on the deal and in the reply', async () => {
    const { id, companyId, contactId } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().pro]);
    ctx.hubspot.store.update('companies', companyId, {
      zip: '',
      billwerk_street: '',
      billwerk_house_number: '',
      billwerk_locale: '',
      country: '',
    });
    ctx.hubspot.store.update('contacts', contactId, { firstname: '', lastname: '', email: '' });

    const outcome = await validateDeal(deps(), { dealId: id, ...env });

    expect(outcome.ok).toBe(false);
    const fields = outcome.ok ? [] : outcome.problems.map((p) => p.field);
    expect(fields.sort()).toEqual(['Country', 'Email', 'First Name', 'House Number', 'Last Name', 'Locale', 'Postal Code', 'Street']);
    const deal = dealProps(ctx.hubspot, id);
    expect(deal.billwerk_validation).toBe('ValidationFailed');
    expect(deal.billwerk_validation_message).toContain('company "Muster Software GmbH" – Postal Code: Postal Code is missing.');
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders/preview')).toBe(0);
  });

  it('rejects line items of another entity, naming the line item', async () => {
    const { id } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().pro, { ...catalog(SECOND).users(1), name: 'Users (AG)' }]);
    const outcome = await validateDeal(deps(), { dealId: id, ...env });
    expect(outcome).toMatchObject({ ok: false, problems: [{ record: 'line item "Users (AG)"', field: 'Entity' }] });
  });

  it('needs exactly one plan variant', async () => {
    const { id } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().users(2)]);
    expect(await validateDeal(deps(), { dealId: id, ...env })).toMatchObject({
      ok: false,
      problems: [{ field: 'Line items', message: expect.stringContaining('has none') }],
    });
    addLineItems(ctx.hubspot, id, [catalog().pro, catalog().starter]);
    expect(await validateDeal(deps(), { dealId: id, ...env })).toMatchObject({
      ok: false,
      problems: [{ field: 'Line items', message: expect.stringContaining('has 2') }],
    });
  });

  it("shows billwerk's own words when billwerk rejects the preview", async () => {
    const { id } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().hidden]);
    const outcome = await validateDeal(deps(), { dealId: id, ...env });
    expect(outcome.ok).toBe(false);
    const message = dealProps(ctx.hubspot, id).billwerk_validation_message;
    expect(message).toMatch(
      /^Validation failed\n• deal "Muster Software GmbH – Signup": billwerk rejected the request to preview the order: /,
    );
    expect(message).not.toMatch(/undefined|\[object/);
  });

  it('finds a likely duplicate and suggests "Signup for existing Customer" with its id', async () => {
    const { id, contactId } = seeded();
    const existing = catalog().customers.plain;
    ctx.hubspot.store.update('contacts', contactId, { email: existing.EmailAddress! });
    addLineItems(ctx.hubspot, id, [catalog().pro]);

    const outcome = await validateDeal(deps(), { dealId: id, ...env });

    expect(outcome).toMatchObject({
      ok: false,
      problems: [
        { field: 'Deal Type (billwerk)', message: expect.stringContaining(`"Signup for existing Customer" (customer ${existing.Id})`) },
      ],
    });
  });

  it('looks for duplicates with one billwerk search: the same email is caught even under another company name', async () => {
    const { id, contactId } = seeded();
    const existing = catalog().customers.plain; // "Sample Ltd", not the deal's company name
    ctx.hubspot.store.update('contacts', contactId, { email: existing.EmailAddress!.toUpperCase() });
    addLineItems(ctx.hubspot, id, [catalog().pro]);
    ctx.billwerk.simulator.resetCalls();

    const outcome = await validateDeal(deps(), { dealId: id, ...env });

    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining(`customer ${existing.Id} ("Sample Ltd") with the same email`) }],
    });
    expect(ctx.billwerk.simulator.count('GET /api/v1/customers')).toBe(1);
  });

  it('"Signup for existing Customer" without a linked customer finds it by company name when nothing matches the email', async () => {
    const { id, companyId } = seeded();
    const existing = catalog().customers.plain;
    ctx.hubspot.store.update('companies', companyId, { name: existing.CompanyName! });
    setDeal(ctx.hubspot, id, { billwerk_deal_type: 'SignupExistingCustomer' });
    addLineItems(ctx.hubspot, id, [catalog().pro]);

    expect((await validateDeal(deps(), { dealId: id, ...env })).ok).toBe(true);
    const deal = dealProps(ctx.hubspot, id);
    expect(deal.billwerk_customer_id).toBe(existing.Id);
    expect(deal.billwerk_validation_message).toContain(`Matched billwerk customer ${existing.Id} by company name.`);
  });

  it('validates a signup for an existing customer against that customer', async () => {
    const { id, companyId } = seeded();
    const existing = catalog().customers.plain;
    ctx.hubspot.store.update('companies', companyId, { billwerk_customer_id: existing.Id });
    setDeal(ctx.hubspot, id, { billwerk_deal_type: 'SignupExistingCustomer' });
    addLineItems(ctx.hubspot, id, [catalog().pro]);

    expect((await validateDeal(deps(), { dealId: id, ...env })).ok).toBe(true);
    expect(dealProps(ctx.hubspot, id).billwerk_validation_message).toContain(`Customer: existing billwerk customer ${existing.Id}.`);
  });
});

describe('apply a signup deal', () => {
  it('creates customer and contract, links both sides, sets the payment term and leaves a note', async () => {
    const id = await validatedClosedWonDeal({ billwerk_payment_term_days: '14' });
    const { companyId, contactId } = seeded();

    const outcome = await ctx.runFunction(applyMain, { parameters: { dealId: id } });

    expect(outcome).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expect(contracts()).toHaveLength(1);
    const contract = contracts()[0]!;
    expect(contract.OnAccountDueAfter).toEqual({ Unit: 'Day', Quantity: 14 });
    const customer = ctx.billwerk.store.findCustomers({ externalId: `hubspot-company-${companyId}` }, ROOT);
    expect(customer.map((c) => c.Id)).toEqual([contract.CustomerId]);
    expect(customer[0]).toMatchObject({
      CompanyName: 'Muster Software GmbH',
      EmailAddress: 'erika.mustermann@muster-software.example',
      Locale: 'de-DE',
    });
    const deal = dealProps(ctx.hubspot, id);
    expect(deal).toMatchObject({
      billwerk_contract_id: contract.Id,
      billwerk_customer_id: contract.CustomerId,
      billwerk_contract_synced: 'true',
      billwerk_apply_change: 'ChangeApplied',
      // The unique owner value by which billwerk events find this deal without a search.
      billwerk_owned_contract_id: contract.Id,
    });
    // HubSpot drops properties written as '' (cleared): no error, no claim left behind.
    expect(deal.billwerk_sync_error ?? '').toBe('');
    expect(deal.billwerk_apply_claim ?? '').toBe('');
    expect(ctx.hubspot.store.get('companies', companyId)!.properties).toMatchObject({
      billwerk_customer_id: contract.CustomerId,
      billwerk_external_customer_id: `hubspot-company-${companyId}`,
    });
    expect(ctx.hubspot.store.get('contacts', contactId)!.properties.billwerk_customer_id).toBe(contract.CustomerId);
    const notes = ctx.hubspot.store
      .associations('deals', id, 'notes')
      .map((n) => ctx.hubspot.store.get('notes', n)!.properties.hs_note_body);
    expect(notes).toEqual([expect.stringContaining(`Contract created. Contract ${contract.Id}`)]);
  });

  it('adds the contract to the existing customer for "Signup for existing Customer"', async () => {
    const { companyId } = seeded();
    const existing = catalog().customers.plain;
    ctx.hubspot.store.update('companies', companyId, { billwerk_customer_id: existing.Id });
    const id = await validatedClosedWonDeal({ billwerk_deal_type: 'SignupExistingCustomer' });
    const before = customers().length;

    expect(await applyDeal(deps(), { dealId: id, ...env })).toMatchObject({ ok: true, value: { customerId: existing.Id } });
    expect(customers()).toHaveLength(before);
    expect(contracts().map((c) => c.CustomerId)).toEqual([existing.Id]);
  });

  it('refuses a deal that is not Closed won or not validated', async () => {
    const { id } = seeded();
    addLineItems(ctx.hubspot, id, [catalog().pro]);
    expect(await applyDeal(deps(), { dealId: id, ...env })).toMatchObject({
      ok: false,
      problems: [{ field: 'billwerk validation' }, { field: 'Deal Stage' }],
    });
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(0);
  });

  it('refuses when the line items changed after validation', async () => {
    const id = await validatedClosedWonDeal();
    addLineItems(ctx.hubspot, id, [catalog().users(1)]);
    expect(await applyDeal(deps(), { dealId: id, ...env })).toMatchObject({
      ok: false,
      problems: [{ field: 'Line items', message: expect.stringContaining('Request validation again') }],
    });
    expect(contracts()).toHaveLength(0);
  });

  it('double apply → one contract; the second click answers "already applied"', async () => {
    const id = await validatedClosedWonDeal();
    const first = await applyDeal(deps(), { dealId: id, ...env });
    const second = await applyDeal(deps(), { dealId: id, ...env });
    expect(first).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expect(second).toMatchObject({ ok: true, value: { alreadyApplied: true, contractId: first.ok ? first.value.contractId : '' } });
    expect(contracts()).toHaveLength(1);
  });

  it('two applies at once → exactly one customer and one contract', async () => {
    const id = await validatedClosedWonDeal();
    const before = customers().length;
    const results = await Promise.all([applyDeal(deps(), { dealId: id, ...env }), applyDeal(deps(), { dealId: id, ...env })]);
    expect(results.filter((r) => r.ok && !r.value.alreadyApplied)).toHaveLength(1);
    expect(contracts()).toHaveLength(1);
    expect(customers()).toHaveLength(before + 1);
    expect(dealProps(ctx.hubspot, id).billwerk_contract_id).toBe(contracts()[0]!.Id);
  });

  it('failure after the customer was created → clear error on the deal; retry resumes with still one customer and contract', async () => {
    const id = await validatedClosedWonDeal({ billwerk_payment_term_days: '30' });
    const before = customers().length;
    ctx.billwerk.simulator.failNext(1, 422, {
      match: /\/contracts\//,
      body: { Message: 'Individual term of payment is not allowed right now' },
    });

    const failed = await applyDeal(deps(), { dealId: id, ...env });

    expect(failed.ok).toBe(false);
    const deal = dealProps(ctx.hubspot, id);
    expect(deal.billwerk_apply_change).toBe('ChangeFailed');
    expect(deal.billwerk_sync_error).toContain('Individual term of payment is not allowed right now');
    expect(deal.billwerk_order_id).toBeTruthy();
    expect(customers()).toHaveLength(before + 1);

    const retried = await applyDeal(deps(), { dealId: id, ...env });

    expect(retried).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expect(customers()).toHaveLength(before + 1);
    expect(contracts()).toHaveLength(1);
    expect(contracts()[0]!.OnAccountDueAfter).toEqual({ Unit: 'Day', Quantity: 30 });
    expect(dealProps(ctx.hubspot, id).billwerk_apply_change).toBe('ChangeApplied');
    expect(dealProps(ctx.hubspot, id).billwerk_sync_error ?? '').toBe('');
  });

  it('HubSpot failing right after the claim releases it: the next click applies at once', async () => {
    const id = await validatedClosedWonDeal();
    ctx.hubspot.simulator.failNext(1, 400, { match: /line_items\/batch\/read/, body: { message: 'boom' } });

    const failed = await applyDeal(deps(), { dealId: id, ...env });
    const said =
      'HubSpot refused to read the deal and its records (HubSpot batchRead line_items failed (400): boom). Nothing was changed; try again.';
    expect(failed).toMatchObject({ ok: false, problems: [{ message: said }] });
    expect(dealProps(ctx.hubspot, id)).toMatchObject({ billwerk_apply_change: 'ChangeFailed', billwerk_sync_error: said });
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(0);

    expect(await applyDeal(deps(), { dealId: id, ...env })).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expect(contracts()).toHaveLength(1);
  });

  it('a timeout before the commit leaves a retryable error; the retry commits the stored order once', async () => {
    const id = await validatedClosedWonDeal();
    ctx.billwerk.simulator.dropNext(1, /\/commit$/);

    expect((await applyDeal(deps(), { dealId: id, ...env })).ok).toBe(false);
    expect(dealProps(ctx.hubspot, id).billwerk_sync_error).toContain('could not be reached');
    const orderId = dealProps(ctx.hubspot, id).billwerk_order_id;

    expect((await applyDeal(deps(), { dealId: id, ...env })).ok).toBe(true);
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(1);
    expect(contracts()).toHaveLength(1);
    expect(dealProps(ctx.hubspot, id).billwerk_order_id).toBe(orderId);
  });
});
