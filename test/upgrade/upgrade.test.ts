/** Up/downgrade deals end to end against the simulators: create, validate, execute, refusals, hand-over. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../src/core/http/retry.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import { createUpgradeDeal } from '../../src/core/deal/createUpgradeDeal.js';
import { handleBillwerkEvent } from '../../src/core/events/handleBillwerkEvent.js';
import { validateDeal } from '../../src/core/deal/validateDeal.js';
import { main as createUpgradeMain } from '../../src/functions/create-upgrade-deal.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import { addLineItems, closedWon, dealProps, setDeal, type SoldItem } from '../deal/kit.js';

const ctx = useSimulators();
const ROOT = DEMO_ENTITIES[0]!.id;
const SECOND = DEMO_ENTITIES[1]!.id;
const env = { environment: 'sandbox' as const };
const deps = () => ctx.deps();

const seededCatalog = () => ctx.billwerk.seeded![ROOT]!;
const pro: () => SoldItem = () => ({
  type: 'PlanVariant',
  id: seededCatalog().planVariants.proMonthly.Id,
  entityId: ROOT,
  name: 'Professional monthly',
});
const proYearly: () => SoldItem = () => ({
  type: 'PlanVariant',
  id: seededCatalog().planVariants.proYearly.Id,
  entityId: ROOT,
  name: 'Professional yearly',
});
const users = (quantity: number): SoldItem => ({
  type: 'Component',
  id: seededCatalog().components.users.Id,
  entityId: ROOT,
  name: 'Additional users',
  quantity,
});

/** The seeded signup deal, validated, Closed won and applied: it owns a contract (Pro monthly + 3 users). */
async function appliedSignup(): Promise<{ originId: string; contractId: string }> {
  const { id } = ctx.hubspot.seeded!.signupDeal;
  addLineItems(ctx.hubspot, id, [pro(), users(3)]);
  expect((await validateDeal(deps(), { dealId: id, ...env })).ok).toBe(true);
  setDeal(ctx.hubspot, id, closedWon);
  const applied = await applyDeal(deps(), { dealId: id, ...env });
  if (!applied.ok) throw new Error(JSON.stringify(applied.problems));
  return { originId: id, contractId: applied.value.contractId };
}

async function upgradeDeal(): Promise<{ originId: string; contractId: string; upgradeId: string }> {
  const origin = await appliedSignup();
  const created = await createUpgradeDeal(deps(), { dealId: origin.originId });
  if (!created.ok) throw new Error(JSON.stringify(created.problems));
  return { ...origin, upgradeId: created.value.dealId };
}

async function validatedUpgrade(items: SoldItem[] = [users(2)], extra: Record<string, string> = {}) {
  const deal = await upgradeDeal();
  addLineItems(ctx.hubspot, deal.upgradeId, items);
  if (Object.keys(extra).length) setDeal(ctx.hubspot, deal.upgradeId, extra);
  const validation = await validateDeal(deps(), { dealId: deal.upgradeId, ...env });
  return { ...deal, validation };
}

describe('create an up/downgrade deal', () => {
  it('creates "Up- / Downgrade deal for <origin>" with the same company and contact, type Upgrade, pointing at the origin', async () => {
    const { originId } = await appliedSignup();
    const { companyId, contactId } = ctx.hubspot.seeded!.signupDeal;

    const outcome = await ctx.runFunction(createUpgradeMain, { parameters: { dealId: originId } });

    expect(outcome).toMatchObject({
      ok: true,
      value: { reused: false, dealName: 'Up- / Downgrade deal for Muster Software GmbH – Signup' },
    });
    const newId = (outcome as { value: { dealId: string } }).value.dealId;
    expect(dealProps(ctx.hubspot, newId)).toMatchObject({
      dealname: 'Up- / Downgrade deal for Muster Software GmbH – Signup',
      billwerk_deal_type: 'Upgrade',
      billwerk_origin_deal_id: originId,
      billwerk_entity: ROOT,
    });
    expect(dealProps(ctx.hubspot, newId).billwerk_contract_id).toBeUndefined();
    // The contract as it is now, for the rep who picks the changes (read from billwerk).
    expect(dealProps(ctx.hubspot, newId).billwerk_current_contract).toMatch(/^Plan variant: .+\.\nComponents: .+ × 3\.$/);
    expect(ctx.hubspot.store.associations('deals', newId, 'companies')).toEqual([companyId]);
    expect(ctx.hubspot.store.associations('deals', newId, 'contacts')).toEqual([contactId]);
    expect(dealProps(ctx.hubspot, originId).billwerk_upgrade_deal_id).toBe(newId);
  });

  it('reuses the open up/downgrade deal on repeated clicks', async () => {
    const { originId } = await appliedSignup();
    const first = await createUpgradeDeal(deps(), { dealId: originId });
    const second = await createUpgradeDeal(deps(), { dealId: originId });
    expect(second).toMatchObject({ ok: true, value: { reused: true, dealId: first.ok ? first.value.dealId : '' } });
    expect(ctx.hubspot.store.list('deals').filter((d) => d.properties.billwerk_deal_type === 'Upgrade')).toHaveLength(1);
  });

  it('refuses a deal without a contract', async () => {
    const { id } = ctx.hubspot.seeded!.signupDeal;
    expect(await createUpgradeDeal(deps(), { dealId: id })).toMatchObject({ ok: false, problems: [{ field: 'billwerk contract id' }] });
  });
});

describe('validate an up/downgrade deal', () => {
  it('previews against the origin contract and summarises what changes; a payment term is ignored', async () => {
    const { validation, upgradeId, contractId } = await validatedUpgrade([proYearly(), users(2)], { billwerk_payment_term_days: '30' });
    expect(validation.ok).toBe(true);
    const message = dealProps(ctx.hubspot, upgradeId).billwerk_validation_message!;
    expect(message).toContain(`Changes contract ${contractId} on `);
    // Both plan variants by name, the current one as billwerk describes it.
    expect(message).toContain('• Plan variant: "Professional monthly" → "Professional yearly"');
    expect(message).not.toContain(seededCatalog().planVariants.proMonthly.Id);
    expect(message).toContain('• Additional users: +2 (3 → 5)');
    expect(message).toMatch(/Amount charged for the change \(prorated\): -?\d+\.\d\d EUR/);
    expect(message).toContain('The payment term is ignored for up/downgrades');
    expect(dealProps(ctx.hubspot, upgradeId).billwerk_validation).toBe('SuccessfullyValidated');
  });

  it('refuses an ended contract', async () => {
    const deal = await upgradeDeal();
    ctx.billwerk.store.setContractState(deal.contractId, { EndDate: new Date(Date.now() - 86_400_000).toISOString() }, ROOT);
    addLineItems(ctx.hubspot, deal.upgradeId, [users(1)]);
    const outcome = await validateDeal(deps(), { dealId: deal.upgradeId, ...env });
    expect(outcome).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('has ended') }] });
  });

  it('refuses an origin deal without contract', async () => {
    const { id } = ctx.hubspot.seeded!.signupDeal;
    const orphan = ctx.hubspot.store.create('deals', {
      dealname: 'Up- / Downgrade deal for nothing',
      billwerk_deal_type: 'Upgrade',
      billwerk_origin_deal_id: id,
      billwerk_entity: ROOT,
    });
    addLineItems(ctx.hubspot, orphan.id, [users(1)]);
    const outcome = await validateDeal(deps(), { dealId: orphan.id, ...env });
    expect(outcome).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('origin deal has no billwerk contract') }] });
  });

  it('refuses a contract of another entity', async () => {
    const deal = await upgradeDeal();
    setDeal(ctx.hubspot, deal.upgradeId, { billwerk_entity: SECOND });
    addLineItems(ctx.hubspot, deal.upgradeId, [{ ...users(1), id: ctx.billwerk.seeded![SECOND]!.components.users.Id, entityId: SECOND }]);
    const outcome = await validateDeal(deps(), { dealId: deal.upgradeId, ...env });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ field: 'Entity', message: expect.stringContaining('The contract belongs to entity "Demo Software GmbH"') }],
    });
  });
});

describe('execute an up/downgrade deal', () => {
  it('commits the change on the contract, moves the contract to the new deal and notes it', async () => {
    const { upgradeId, originId, contractId } = await validatedUpgrade();
    setDeal(ctx.hubspot, upgradeId, closedWon);

    const outcome = await applyDeal(deps(), { dealId: upgradeId, ...env });

    expect(outcome).toMatchObject({ ok: true, value: { contractId, alreadyApplied: false } });
    const subs = ctx.billwerk.store.getContract(contractId, ROOT).ComponentSubscriptions ?? [];
    expect(subs.filter((s) => !s.EndDate).reduce((sum, s) => sum + (s.Quantity ?? 0), 0)).toBe(5);
    expect(dealProps(ctx.hubspot, upgradeId)).toMatchObject({
      billwerk_contract_id: contractId,
      billwerk_contract_synced: 'true',
      billwerk_apply_change: 'ChangeApplied',
      billwerk_owned_contract_id: contractId,
    });
    expect(dealProps(ctx.hubspot, originId).billwerk_contract_synced).toBe('false');
    // The unique owner value moved: the origin keeps its contract id for the record, not the ownership.
    expect(dealProps(ctx.hubspot, originId).billwerk_contract_id).toBe(contractId);
    expect(dealProps(ctx.hubspot, originId).billwerk_owned_contract_id).toBeUndefined();
    // …and points at the deal that now follows the contract (the origin's card links to it).
    expect(dealProps(ctx.hubspot, originId).billwerk_upgrade_deal_id).toBe(upgradeId);
    const notes = ctx.hubspot.store
      .associations('deals', upgradeId, 'notes')
      .map((n) => ctx.hubspot.store.get('notes', n)!.properties.hs_note_body);
    expect(notes).toEqual([expect.stringContaining(`Up/downgrade executed on contract ${contractId}`)]);
  });

  it('double execute → one up/downgrade order', async () => {
    const { upgradeId } = await validatedUpgrade();
    setDeal(ctx.hubspot, upgradeId, closedWon);
    const ordersBefore = ctx.billwerk.simulator.count('POST /api/v1/orders');
    const first = await applyDeal(deps(), { dealId: upgradeId, ...env });
    const second = await applyDeal(deps(), { dealId: upgradeId, ...env });
    expect(first).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expect(second).toMatchObject({ ok: true, value: { alreadyApplied: true } });
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders') - ordersBefore).toBe(1);
  });

  it('refuses when the validation is older than the last line-item change', async () => {
    const { upgradeId } = await validatedUpgrade();
    addLineItems(ctx.hubspot, upgradeId, [users(4)]);
    setDeal(ctx.hubspot, upgradeId, closedWon);
    const outcome = await applyDeal(deps(), { dealId: upgradeId, ...env });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ field: 'Line items', message: expect.stringContaining('older than the last change') }],
    });
    expect(dealProps(ctx.hubspot, upgradeId).billwerk_apply_change).toBe('ChangeFailed');
  });

  it('a hand-over interrupted after the origin let go resumes on the next click: one order, one owner', async () => {
    const { upgradeId, originId, contractId } = await validatedUpgrade();
    setDeal(ctx.hubspot, upgradeId, closedWon);
    // HubSpot fails (beyond the client's retries) right after the origin released the contract.
    const stop = ctx.hubspot.store.onChange((event) => {
      if (event.kind === 'updated' && event.id === originId && event.changes.some((c) => c.name === 'billwerk_owned_contract_id')) {
        ctx.hubspot.simulator.failNext(DEFAULT_RETRY.retries + 1, 500, { match: new RegExp(`/deals/${upgradeId}$`) });
      }
    });
    const interrupted = await applyDeal(deps(), { dealId: upgradeId, ...env });
    stop();
    expect(interrupted.ok).toBe(false);
    expect(dealProps(ctx.hubspot, upgradeId)).toMatchObject({ billwerk_apply_change: 'ChangeFailed' });
    expect(dealProps(ctx.hubspot, originId)).toMatchObject({ billwerk_contract_synced: 'false' });
    // In between no deal owns the contract: an event now is acknowledged and updates nobody.
    const between = await handleBillwerkEvent(deps(), { Event: 'ContractChanged', ContractId: contractId, EntityId: ROOT });
    expect(between).toMatchObject({ kind: 'contract', result: { status: 'no-owner' } });

    ctx.hubspot.simulator.resetCalls();
    const ordersBefore = ctx.billwerk.simulator.count('POST /api/v1/orders');
    const resumed = await applyDeal(deps(), { dealId: upgradeId, ...env });
    expect(resumed).toMatchObject({ ok: true, value: { contractId, alreadyApplied: false } });
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(ordersBefore);
    expect(ctx.hubspot.simulator.count(new RegExp(`PATCH .*/deals/${originId}$`))).toBe(0);
    const owners = ctx.hubspot.store
      .list('deals')
      .filter((d) => d.properties.billwerk_owned_contract_id === contractId)
      .map((d) => d.id);
    expect(owners).toEqual([upgradeId]);
    const after = await handleBillwerkEvent(deps(), { Event: 'ContractChanged', ContractId: contractId, EntityId: ROOT });
    expect(after).toMatchObject({ kind: 'contract', result: { dealId: upgradeId } });
  });

  it('hands billwerk updates over: after execution only the new deal follows the contract', async () => {
    const { upgradeId, originId, contractId } = await validatedUpgrade();
    setDeal(ctx.hubspot, upgradeId, closedWon);
    expect((await applyDeal(deps(), { dealId: upgradeId, ...env })).ok).toBe(true);
    const originBefore = { ...dealProps(ctx.hubspot, originId) };

    ctx.billwerk.store.setContractState(contractId, { Balance: -123.45 }, ROOT);
    const escalation = ctx.billwerk.store.escalatePayment(contractId, {}, ROOT);
    ctx.hubspot.simulator.resetCalls();
    await handleBillwerkEvent(deps(), { Event: 'PaymentEscalated', ContractId: contractId, EntityId: ROOT, ...escalation });

    expect(dealProps(ctx.hubspot, upgradeId)).toMatchObject({ billwerk_balance: '-123.45', billwerk_payment_escalated: 'true' });
    // Found by the unique owner value, not by a search.
    expect(ctx.hubspot.simulator.count(/\/search$/)).toBe(0);
    expect(ctx.hubspot.simulator.count(/objects\/deals\/batch\/read$/)).toBe(1);
    expect(dealProps(ctx.hubspot, originId).billwerk_balance).toBe(originBefore.billwerk_balance);
    expect(dealProps(ctx.hubspot, originId).billwerk_payment_escalated).toBe(originBefore.billwerk_payment_escalated);
  });
});
