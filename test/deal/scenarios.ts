/**
 * The three apply scenarios of issue 13 (new customer, existing customer, up/downgrade), prepared in the
 * simulators the way reps get there, and the one final state every run must end in: exactly one committed
 * order, one contract (or one change of it), both ids on deal, company and contact, one timeline note,
 * no uncommitted order and no lock record left.
 */
import { LEASE, LEASE_OBJECT } from '../../src/core/catalog.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import { createUpgradeDeal } from '../../src/core/deal/createUpgradeDeal.js';
import { validateDeal } from '../../src/core/deal/validateDeal.js';
import type { Deps } from '../../src/core/deps.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import type { BillwerkSim } from '../../src/simulators/billwerk/index.js';
import type { HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { addLineItems, closedWon, setDeal, type SoldItem } from './kit.js';

export const ROOT = DEMO_ENTITIES[0]!.id;

/** The simulators and clients against them: the in-process test hook or the runner's rig. */
export interface Sims {
  hubspot: HubSpotSim;
  billwerk: BillwerkSim;
  deps(): Deps;
}
type SimulatorContext = Sims;
export const env = { environment: 'sandbox' as const };
export type ScenarioKind = 'new customer' | 'existing customer' | 'up/downgrade';

export interface Scenario {
  kind: ScenarioKind;
  dealId: string;
  companyId: string;
  contactId: string;
  /** Up/downgrade: the deal that owned the contract; its contract. */
  originId?: string;
  contractId?: string;
  /** billwerk's orders and users on the contract before the apply, to count what the apply added. */
  ordersBefore: number;
  contractsBefore: number;
  usersBefore: number;
}

export interface PrepareOptions {
  /** Signup: an individual term of payment (one more billwerk write after the commit). */
  paymentTermDays?: string;
}

function catalog(ctx: SimulatorContext) {
  const e = ctx.billwerk.seeded![ROOT]!;
  return {
    pro: { type: 'PlanVariant', id: e.planVariants.proMonthly.Id, entityId: ROOT, name: 'Professional monthly' } satisfies SoldItem,
    users: (quantity: number) =>
      ({ type: 'Component', id: e.components.users.Id, entityId: ROOT, name: 'Additional users', quantity }) satisfies SoldItem,
    customer: e.customers.plain,
  };
}

async function validated(ctx: SimulatorContext, deps: Deps, dealId: string): Promise<void> {
  const validation = await validateDeal(deps, { dealId, ...env });
  if (!validation.ok) throw new Error(`validation failed: ${JSON.stringify(validation.problems)}`);
  setDeal(ctx.hubspot, dealId, closedWon);
}

const activeUsers = (ctx: SimulatorContext, contractId: string | undefined) =>
  contractId
    ? (ctx.billwerk.store.getContract(contractId, ROOT).ComponentSubscriptions ?? [])
        .filter((s) => !s.EndDate)
        .reduce((n, s) => n + (s.Quantity ?? 0), 0)
    : 0;

const counts = (ctx: SimulatorContext) => ({
  ordersBefore: ctx.billwerk.store.list('orders', ROOT).length,
  contractsBefore: ctx.billwerk.store.list('contracts', ROOT).length,
});

/** A validated, Closed-won deal ready for "Apply change in billwerk". */
export async function prepare(
  ctx: SimulatorContext,
  kind: ScenarioKind,
  options: PrepareOptions = {},
  deps: Deps = ctx.deps(),
): Promise<Scenario> {
  const { id, companyId, contactId } = ctx.hubspot.seeded!.signupDeal;
  const c = catalog(ctx);
  if (kind !== 'up/downgrade') {
    if (kind === 'existing customer') {
      ctx.hubspot.store.update('companies', companyId, { billwerk_customer_id: c.customer.Id });
      setDeal(ctx.hubspot, id, { billwerk_deal_type: 'SignupExistingCustomer' });
    }
    if (options.paymentTermDays) setDeal(ctx.hubspot, id, { billwerk_payment_term_days: options.paymentTermDays });
    addLineItems(ctx.hubspot, id, [c.pro, c.users(3)]);
    await validated(ctx, deps, id);
    return { kind, dealId: id, companyId, contactId, ...counts(ctx), usersBefore: 0 };
  }
  addLineItems(ctx.hubspot, id, [c.pro, c.users(3)]);
  await validated(ctx, deps, id);
  const applied = await applyDeal(deps, { dealId: id, ...env });
  if (!applied.ok) throw new Error(`signup failed: ${JSON.stringify(applied.problems)}`);
  const upgrade = await createUpgradeDeal(deps, { dealId: id });
  if (!upgrade.ok) throw new Error('no up/downgrade deal');
  addLineItems(ctx.hubspot, upgrade.value.dealId, [c.users(2)]);
  await validated(ctx, deps, upgrade.value.dealId);
  const contractId = applied.value.contractId;
  return {
    kind,
    dealId: upgrade.value.dealId,
    companyId,
    contactId,
    originId: id,
    contractId,
    ...counts(ctx),
    usersBefore: activeUsers(ctx, contractId),
  };
}

/** What the happy path leaves behind; every kill point and every race must end here too. */
export interface FinalStateOptions {
  /** The lock record may still hold its key (its release failed; it lapses after CLAIM_TTL_MS). */
  lockMayRemain?: boolean;
  /** billwerk may keep uncommitted orders whose ids the connector never learnt (a lost create answer). */
  strayOrders?: number;
}

export function finalStateProblems(ctx: Sims, s: Scenario, options: FinalStateOptions = {}): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const orders = ctx.billwerk.store.list('orders', ROOT).slice(s.ordersBefore) as {
    Id: string;
    Status: string;
    ContractId?: string;
    CustomerId?: string;
  }[];
  const committed = orders.filter((o) => o.Status === 'Completed');
  check(committed.length === 1, `exactly one committed order (got ${committed.length})`);
  const open = orders.length - committed.length;
  check(open === (options.strayOrders ?? 0), `no uncommitted order left behind (got ${open})`);
  const order = committed[0];
  if (!order) return problems;
  const contractId = order.ContractId!;
  const customerId = order.CustomerId!;
  if (s.kind === 'up/downgrade') {
    check(contractId === s.contractId, "the origin's contract was changed");
    check(
      activeUsers(ctx, contractId) === s.usersBefore + 2,
      `the change applied once (users ${s.usersBefore} -> ${activeUsers(ctx, contractId)}, expected +2)`,
    );
    const origin = ctx.hubspot.store.get('deals', s.originId!)!.properties;
    check(origin.billwerk_contract_synced === 'false' && !origin.billwerk_owned_contract_id, 'the origin deal let go of the contract');
  } else {
    const created = ctx.billwerk.store.list('contracts', ROOT).length - s.contractsBefore;
    check(created === 1, `one contract (got ${created})`);
  }
  const deal = ctx.hubspot.store.get('deals', s.dealId)!.properties;
  const want: Record<string, string> = {
    billwerk_contract_id: contractId,
    billwerk_customer_id: customerId,
    billwerk_order_id: order.Id,
    billwerk_apply_change: 'ChangeApplied',
    billwerk_contract_synced: 'true',
    billwerk_owned_contract_id: contractId,
  };
  for (const [name, value] of Object.entries(want)) check(deal[name] === value, `deal ${name} = ${value} (got ${deal[name]})`);
  check(!deal.billwerk_sync_error, `no sync error on the deal (got "${deal.billwerk_sync_error}")`);
  check(ctx.hubspot.store.get('companies', s.companyId)!.properties.billwerk_customer_id === customerId, 'company has the customer id');
  check(ctx.hubspot.store.get('contacts', s.contactId)!.properties.billwerk_customer_id === customerId, 'contact has the customer id');
  const notes = ctx.hubspot.store
    .associations('deals', s.dealId, 'notes')
    .map((n) => ctx.hubspot.store.get('notes', n)!.properties.hs_note_body ?? '');
  const ours = notes.filter((n) => n.includes(`(order ${order.Id})`)).length;
  check(ours === 1, `one timeline note (got ${ours})`);
  const locks = ctx.hubspot.store.list(LEASE_OBJECT).filter((r) => r.properties[LEASE.key]).length;
  check(locks === (options.lockMayRemain ? 1 : 0), `no lock left (got ${locks})`);
  return problems;
}
