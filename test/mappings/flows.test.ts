/**
 * Mapped custom fields flow through the connector's use-cases against both simulators:
 * company -> customer (customer sync), deal -> contract and company -> new customer (signup apply),
 * contract -> deal (billwerk webhook event).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEAL, GROUP } from '../../src/core/catalog.js';
import type { Deps } from '../../src/core/deps.js';
import { addMapping } from '../../src/core/settings/mappings.js';
import { cachedMappings, MAPPINGS_TTL_MS } from '../../src/core/settings/mappingsCache.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import { handleBillwerkEvent } from '../../src/core/events/handleBillwerkEvent.js';
import { syncCustomer } from '../../src/core/customer/syncCustomer.js';
import { validateDeal } from '../../src/core/deal/validateDeal.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { addLineItems, closedWon, dealProps, setDeal } from '../deal/kit.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const root = DEMO_ENTITIES[0]!;

beforeEach(async () => {
  for (const [type, name] of [
    ['deals', 'po_number'],
    ['companies', 'cost_center'],
  ] as const) {
    ctx.hubspot.store.createProperty(type, { name, label: name, type: 'string', fieldType: 'text', groupName: GROUP.customFields });
  }
  const deps = { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES };
  await addMapping(deps, { entityId: root.id, object: 'deal', hubspotProperty: 'po_number', billwerkField: 'PurchaseOrder' });
  await addMapping(deps, { entityId: root.id, object: 'company', hubspotProperty: 'cost_center', billwerkField: 'CostCenter' });
});

describe('company -> customer on customer sync', () => {
  it('sends the mapped field, keeps billwerk custom fields HubSpot does not map, and does not repeat itself', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    const billwerk = ctx.deps().billwerk.forEntity(company.entityId);
    const customer = await billwerk.createCustomer({ CompanyName: 'Old', CustomFields: { Segment: 'SMB' } });
    ctx.hubspot.store.update('companies', company.id, { billwerk_customer_id: customer.Id, cost_center: 'CC-7' });

    const first = await syncCustomer(ctx.deps(), { objectType: 'companies', objectId: company.id, environment: 'sandbox' });
    expect(first).toMatchObject({ ok: true, value: { status: 'synced' } });
    expect((await billwerk.getCustomer(customer.Id)).CustomFields).toEqual({ Segment: 'SMB', CostCenter: 'CC-7' });

    const patches = () => ctx.billwerk.simulator.calls.filter((c) => c.method === 'PATCH').length;
    const before = patches();
    await syncCustomer(ctx.deps(), { objectType: 'companies', objectId: company.id, environment: 'sandbox' });
    expect(patches()).toBe(before);
  });
});

/** The seeded signup deal with a plan variant and mapped values on deal and company, validated and Closed won. */
async function validatedSignupWithMappedFields(deps: Deps, poNumber: string, costCenter: string) {
  const { signupDeal } = ctx.hubspot.seeded!;
  const variant = ctx.billwerk.seeded![root.id]!.planVariants.starterMonthly;
  addLineItems(ctx.hubspot, signupDeal.id, [{ type: 'PlanVariant', id: variant.Id, entityId: root.id, name: 'Starter' }]);
  setDeal(ctx.hubspot, signupDeal.id, { po_number: poNumber });
  ctx.hubspot.store.update('companies', signupDeal.companyId, { cost_center: costCenter });
  const validated = await validateDeal(deps, { dealId: signupDeal.id, environment: 'sandbox' });
  expect(validated.ok, JSON.stringify(validated)).toBe(true);
  setDeal(ctx.hubspot, signupDeal.id, closedWon);
  return signupDeal;
}

describe('signup apply and billwerk events', () => {
  it('sends the deal and company fields with the new contract, and writes contract changes back to the deal', async () => {
    const signupDeal = await validatedSignupWithMappedFields(ctx.deps(), 'PO-77', 'CC-1');
    const applied = await applyDeal(ctx.deps(), { dealId: signupDeal.id, environment: 'sandbox' });
    if (!applied.ok) throw new Error(JSON.stringify(applied.problems));

    const contract = ctx.billwerk.store.getContract(applied.value.contractId, root.id);
    expect(contract.CustomFields).toMatchObject({ PurchaseOrder: 'PO-77' });
    expect(ctx.billwerk.store.getCustomer(applied.value.customerId, root.id).CustomFields).toMatchObject({ CostCenter: 'CC-1' });

    // Deal edits after the contract exists are not sent to billwerk (guide, "Finalizing configuration").
    setDeal(ctx.hubspot, signupDeal.id, { po_number: 'PO-late' });
    await applyDeal(ctx.deps(), { dealId: signupDeal.id, environment: 'sandbox' });
    expect(ctx.billwerk.store.getContract(applied.value.contractId, root.id).CustomFields).toMatchObject({ PurchaseOrder: 'PO-77' });

    // billwerk is the source after creation: its change reaches the deal through the webhook flow.
    ctx.billwerk.store.updateContract(applied.value.contractId, { CustomFields: { PurchaseOrder: 'PO-99' } }, root.id);
    // The handler loads the mappings itself.
    const handled = await handleBillwerkEvent(ctx.deps(), { Event: 'ContractDataChanged', ContractId: applied.value.contractId });
    expect(handled).toMatchObject({ kind: 'contract', result: { status: 'updated' } });
    expect(dealProps(ctx.hubspot, signupDeal.id)).toMatchObject({ po_number: 'PO-99', [DEAL.contractId]: applied.value.contractId });
  });
});

describe('mappings in a warm container', () => {
  it('apply reads the mapped deal and company properties within its usual reads (no read of its own)', async () => {
    const deps = ctx.deps();
    const signupDeal = await validatedSignupWithMappedFields(deps, 'PO-5', 'CC-5');
    ctx.hubspot.simulator.resetCalls();

    const applied = await applyDeal(deps, { dealId: signupDeal.id, environment: 'sandbox' });

    if (!applied.ok) throw new Error(JSON.stringify(applied.problems));
    expect(ctx.billwerk.store.getContract(applied.value.contractId, root.id).CustomFields).toMatchObject({ PurchaseOrder: 'PO-5' });
    expect(ctx.billwerk.store.getCustomer(applied.value.customerId, root.id).CustomFields).toMatchObject({ CostCenter: 'CC-5' });
    const reads = (pattern: RegExp) => ctx.hubspot.simulator.count(pattern);
    expect(reads(/^GET \/crm\/v3\/objects\/deals\/\d+$/)).toBe(2); // the read and the race check
    expect(reads(/^GET \/crm\/v3\/objects\/companies\/\d+$/)).toBe(0);
    expect(reads(/^GET \/crm\/v3\/properties\/deals\/billwerk_custom_field_mappings$/)).toBe(1);
  });

  it('loads the mappings once per client and picks up a new mapping once the cached copy is a minute old', async () => {
    const hubspot = ctx.deps().hubspot;
    const t0 = new Date('2026-03-01T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const mappingLoads = () => ctx.hubspot.simulator.count(/^GET \/crm\/v3\/properties\/deals\/billwerk_custom_field_mappings$/);
    const first = await cachedMappings(hubspot, t0);
    ctx.hubspot.store.createProperty('deals', {
      name: 'cost_code',
      label: 'cost_code',
      type: 'string',
      fieldType: 'text',
      groupName: GROUP.customFields,
    });
    await addMapping(
      { hubspot: ctx.deps().hubspot, entities: DEMO_ENTITIES },
      { entityId: root.id, object: 'deal', hubspotProperty: 'cost_code', billwerkField: 'CostCode' },
    );
    const loadsBefore = mappingLoads();

    expect(await cachedMappings(hubspot, at(MAPPINGS_TTL_MS - 1))).toEqual(first);
    expect(mappingLoads()).toBe(loadsBefore);
    const fresh = await cachedMappings(hubspot, at(MAPPINGS_TTL_MS));
    expect(fresh.map((m) => m.hubspotProperty)).toContain('cost_code');
    expect(first.map((m) => m.hubspotProperty)).not.toContain('cost_code');
    // Another client (another portal, or a cold container) has its own copy.
    expect((await cachedMappings(ctx.deps().hubspot, t0)).map((m) => m.hubspotProperty)).toContain('cost_code');
  });
});
