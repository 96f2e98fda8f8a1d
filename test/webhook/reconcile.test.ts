/**
 * The reconciliation sweep as the guarantee behind the webhooks: every webhook is dropped in both
 * directions (billwerk has no subscription, HubSpot's webhooks component sends nothing) during a
 * scripted day of changes on both sides; then the sweep runs in time-boxed slices, and every deal,
 * company and contact must equal the other side.
 */
import { describe, expect, it } from 'vitest';
import { COMPANY, CONTACT, DEAL } from '../../src/core/catalog.js';
import type { CrmRecord } from '../../src/core/hubspot/api.js';
import { RateLimitWaitError } from '../../src/core/hubspot/limiter.js';
import { customerDiffers } from '../../src/core/customer/syncCustomer.js';
import { toCustomerFromCompany, toCustomerFromContact } from '../../src/core/customer/toBillwerkCustomer.js';
import { changedBillingProperties, toDealBillingProperties } from '../../src/core/mappers/toDealBillingProperties.js';
import { reconcile, type ReconcileResult } from '../../src/core/events/reconcile.js';
import { isReconcileStale, readReconcileState } from '../../src/core/events/reconcileState.js';
import { aroundCalls } from '../support/aroundCalls.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();

interface World {
  customers: { companyId: string; contactId: string; customerId: string; entityId: string }[];
  deals: { dealId: string; contractId: string; entityId: string }[];
}

/** Every seeded company + contact linked to a billwerk customer with stale data, each with 3 contracts owned by deals. */
async function world(): Promise<World> {
  const out: World = { customers: [], deals: [] };
  const seeded = ctx.hubspot.seeded!;
  // The seeded company without a postal code cannot become a customer (its sync fails with the reason on it).
  for (const company of seeded.companies.filter((c) => ctx.hubspot.store.get('companies', c.id)!.properties.zip)) {
    const contact = seeded.contacts.find((c) => c.companyId === company.id)!;
    const customer = await ctx
      .deps()
      .billwerk.forEntity(company.entityId)
      .createCustomer({
        CompanyName: 'Stale name',
        FirstName: 'Stale',
        LastName: 'Person',
        EmailAddress: 'stale@example.com',
        Locale: 'de-DE',
        Address: { Street: 'Stale street', HouseNumber: '1', PostalCode: '00000', City: 'Stale', Country: 'DE' },
      });
    ctx.hubspot.store.update('companies', company.id, { [COMPANY.customerId]: customer.Id });
    ctx.hubspot.store.update('contacts', contact.id, { [CONTACT.customerId]: customer.Id });
    out.customers.push({ companyId: company.id, contactId: contact.id, customerId: customer.Id, entityId: company.entityId });
    const variant = ctx.billwerk.seeded![company.entityId]!.planVariants.starterMonthly.Id;
    for (let i = 0; i < 3; i++) {
      const contract = ctx.billwerk.store.addContract({ CustomerId: customer.Id, PlanVariantId: variant }, company.entityId);
      const deal = ctx.hubspot.store.create('deals', {
        dealname: `Deal ${i} of ${company.name}`,
        pipeline: 'default',
        dealstage: 'closedwon',
        [DEAL.contractId]: contract.Id,
        [DEAL.contractSynced]: 'true',
        [DEAL.ownedContractId]: contract.Id,
        [DEAL.entity]: company.entityId,
      });
      out.deals.push({ dealId: deal.id, contractId: contract.Id, entityId: company.entityId });
    }
  }
  return out;
}

/** A day of changes on both sides; no webhook reaches the connector. */
function scriptedDay(w: World) {
  const store = ctx.billwerk.store;
  const [d0, d1, d2, d3] = w.deals;
  // Yesterday the deal of d1 was escalated (the connector saw that event); today the customer paid.
  store.setContractState(d1!.contractId, { Balance: -50 }, d1!.entityId);
  store.escalatePayment(d1!.contractId, { TriggerDays: 5 }, d1!.entityId);
  ctx.hubspot.store.update('deals', d1!.dealId, { [DEAL.paymentEscalated]: 'true', [DEAL.balance]: '-50' });
  // Billing runs, payment, cancellation, payment method change.
  store.createInvoice(d0!.contractId, d0!.entityId);
  store.createInvoice(d0!.contractId, d0!.entityId);
  store.createInvoice(d1!.contractId, d1!.entityId);
  store.setContractState(d1!.contractId, { Balance: 0 }, d1!.entityId); // billwerk resets the escalation
  store.setContractState(d2!.contractId, { EndDate: '2031-06-30T00:00:00.0000000Z' }, d2!.entityId);
  store.setContractState(d3!.contractId, { PaymentProvider: 'PayOne', PaymentBearer: { Type: 'CreditCard' } }, d3!.entityId);
  // Reps edit companies and contacts.
  const [c0, c1] = w.customers;
  ctx.hubspot.store.update('companies', c0!.companyId, {
    name: 'Renamed GmbH',
    [COMPANY.street]: 'Neue Straße',
    [COMPANY.houseNumber]: '7',
  });
  ctx.hubspot.store.update('contacts', (c1 ?? c0)!.contactId, { email: 'new.address@example.com', lastname: 'Married' });
}

const record = (type: 'deals' | 'companies' | 'contacts', id: string): CrmRecord => ({
  id,
  properties: { ...ctx.hubspot.store.get(type, id)!.properties },
});

function dealDrift(w: World): string[] {
  return w.deals.flatMap(({ dealId, contractId, entityId }) => {
    const contract = ctx.billwerk.store.getContract(contractId, entityId);
    const [newest] = ctx.billwerk.store.listInvoices({ contractId }, entityId);
    const diff = changedBillingProperties(record('deals', dealId).properties, toDealBillingProperties(contract, newest));
    return Object.keys(diff).map((name) => `deal ${dealId}: ${name}`);
  });
}

async function customerDrift(w: World): Promise<string[]> {
  const drift: string[] = [];
  for (const c of w.customers) {
    const current = await ctx.deps().billwerk.forEntity(c.entityId).getCustomer(c.customerId);
    const wanted = {
      ...toCustomerFromCompany(record('companies', c.companyId), { empty: 'clear' }),
      ...toCustomerFromContact(record('contacts', c.contactId), { empty: 'clear' }),
    };
    if (customerDiffers(current, wanted)) drift.push(`customer ${c.customerId}`);
  }
  return drift;
}

/** Scheduler calls until the sweep is complete; each call gets a tiny budget, so it resumes from its cursor. */
async function sweepToEnd(maxCalls = 100): Promise<ReconcileResult[]> {
  const results: ReconcileResult[] = [];
  do {
    results.push(await reconcile(ctx.deps(), { trigger: 'scheduler', environment: 'sandbox', timeBudgetMs: 0, pageSize: 2 }));
  } while (!results.at(-1)!.complete && results.length < maxCalls);
  return results;
}

describe('reconciliation sweep', () => {
  it('with every webhook dropped during a day of changes, one sweep makes every deal, company and contact equal the other side', async () => {
    const w = await world();
    scriptedDay(w);
    expect(dealDrift(w).length).toBeGreaterThan(0);
    expect((await customerDrift(w)).length).toBeGreaterThan(0);

    const calls = await sweepToEnd();
    expect(calls.at(-1)!.complete).toBe(true);
    expect(calls.length).toBeGreaterThan(2); // resumed from its cursor across calls

    expect(dealDrift(w)).toEqual([]);
    expect(await customerDrift(w)).toEqual([]);
    // The escalation whose reset was dropped is cleared: billwerk resets only once the balance is paid.
    expect(record('deals', w.deals[1]!.dealId).properties[DEAL.paymentEscalated]).toBe('false');
    // Nothing was lost to a failure on the way.
    expect(calls.reduce((n, c) => n + c.failed, 0)).toBe(0);
  });

  it('a second sweep writes no deal, and only looks at companies and contacts changed since the first one started', async () => {
    const w = await world();
    scriptedDay(w);
    await sweepToEnd();
    const state = (await readReconcileState(ctx.deps().hubspot)).state;
    expect(state.current).toBeUndefined();
    expect(isReconcileStale(state, new Date())).toBe(false);

    ctx.hubspot.simulator.resetCalls();
    ctx.billwerk.simulator.resetCalls();
    const second = await sweepToEnd();
    // Records the first sweep synced are read once more (its own status write modified them) but not written.
    expect(ctx.billwerk.simulator.calls.filter((c) => c.method === 'PATCH' && /customers/i.test(c.path))).toHaveLength(0);
    // The third sweep finds no customer record modified since the second started.
    ctx.billwerk.simulator.resetCalls();
    await sweepToEnd();
    expect(ctx.billwerk.simulator.calls.filter((c) => /customers/i.test(c.path))).toHaveLength(0);
    const dealWrites = ctx.hubspot.simulator.calls.filter((c) => c.method === 'PATCH' && /objects\/deals\/\d+$/.test(c.path));
    expect(dealWrites).toHaveLength(0);
    expect(second.reduce((n, c) => n + c.changed, 0)).toBe(0);
    expect(dealDrift(w)).toEqual([]);

    // A rep's change right after the sweeps is found by the next one through its modification date.
    ctx.hubspot.store.update('companies', w.customers[0]!.companyId, { city: 'Potsdam' });
    await sweepToEnd();
    expect(await customerDrift(w)).toEqual([]);
  });

  it('keeps its cursor in the run state between calls and starts over after a complete sweep', async () => {
    await world();
    const first = await reconcile(ctx.deps(), { trigger: 'settings', environment: 'sandbox', timeBudgetMs: 0, pageSize: 2 });
    expect(first.complete).toBe(false);
    const stored = (await readReconcileState(ctx.deps().hubspot)).state;
    expect(stored.current).toMatchObject({ phase: 'deals', trigger: 'settings', checked: 2 });
    expect(Number(stored.current!.cursor)).toBeGreaterThan(0);
    const rest = await sweepToEnd();
    expect(rest.at(-1)!.state.lastComplete!.checked).toBeGreaterThanOrEqual(first.checked + 2);
  });

  it('a slice whose last state write meets a full rate-limit window answers "not complete", and the next call resumes from the periodic save', async () => {
    await world();
    const start = Date.parse('2026-12-01T10:00:00Z');
    let clock = start;
    const deps = ctx.deps();
    let writes = 0;
    const saturated = aroundCalls(deps.hubspot, (method, _args, call) => {
      if (method === 'createProperty' || method === 'updateProperty') {
        // State writes in the slice's first 2.6 s go through (the periodic save at 2 s); then HubSpot's window is full.
        writes += 1;
        if (clock - start > 2_600) return Promise.reject(new RateLimitWaitError(3_000));
      }
      return call();
    });
    // Time passes as the slice works: each look at the clock is 100 ms later, so it saves progress on the way (every 2 s).
    const now = () => new Date((clock += 100));
    const first = reconcile(
      { ...deps, hubspot: saturated, now },
      { trigger: 'scheduler', environment: 'sandbox', timeBudgetMs: 5_000, pageSize: 2, concurrency: 1 },
    );
    const result = await first;
    expect(writes).toBeGreaterThan(1);
    expect(result.complete).toBe(false);
    const stored = (await readReconcileState(ctx.deps().hubspot)).state.current;
    expect(stored?.checked).toBeGreaterThan(0);
    expect(stored!.checked).toBeLessThanOrEqual(result.checked);
    const rest = await sweepToEnd();
    expect(rest.at(-1)!.complete).toBe(true);
  });

  it('a record billwerk keeps failing on (5xx) stops a few slices, then counts as failed so the sweep completes', async () => {
    const w = await world();
    const stuck = w.deals[0]!;
    ctx.billwerk.simulator.failNext(10_000, 502, { match: new RegExp(`/contracts/${stuck.contractId}`) });
    const calls = await sweepToEnd();
    expect(calls.at(-1)!.complete).toBe(true);
    expect(calls.reduce((n, c) => n + c.failed, 0)).toBeGreaterThanOrEqual(1);
    // The others are in line; the stuck deal shows why.
    expect(dealDrift({ ...w, deals: w.deals.slice(1) })).toEqual([]);
    expect(record('deals', stuck.dealId).properties[DEAL.syncError]).toContain('HTTP 502');
  });
});
