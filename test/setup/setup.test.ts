import { describe, expect, it } from 'vitest';
import { DEAL, GROUP, PROPERTY_GROUPS, propertyCatalog } from '../../src/core/catalog.js';
import { handleBillwerkEvent } from '../../src/core/events/handleBillwerkEvent.js';
import { runSetup, SETUP_OBJECT_TYPES } from '../../src/core/settings/setup.js';
import { main as runSetupFunction } from '../../src/functions/run-setup.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { formatReport } from '../../scripts/setup.js';
import { useSimulators } from '../support/simulators.js';

describe('setup on a fresh portal', () => {
  const ctx = useSimulators({ seed: false, installCatalog: false });

  it('creates every group and property, then a second run writes nothing', async () => {
    const deps = ctx.deps();
    const first = await runSetup(deps, DEMO_ENTITIES);
    if (!first.ok) throw new Error('setup failed');
    expect(first.value.created).toHaveLength(PROPERTY_GROUPS.length + propertyCatalog(DEMO_ENTITIES).length);
    expect(first.value.conflicts).toEqual([]);
    for (const type of ['deals', 'companies'] as const)
      expect(ctx.hubspot.store.group(type, GROUP.customFields)?.label).toBe('Billwerk custom fields sync');
    for (const def of propertyCatalog(DEMO_ENTITIES)) {
      const stored = ctx.hubspot.store.property(def.objectType, def.name);
      expect(stored, `${def.objectType}.${def.name}`).toMatchObject({
        type: def.type,
        label: def.label,
        groupName: def.groupName,
        hasUniqueValue: def.hasUniqueValue ?? false,
      });
      expect(stored!.options.map((o) => o.value)).toEqual((def.options ?? []).map((o) => o.value));
    }

    const writesBefore = ctx.hubspotWrites();
    const second = await runSetup(deps, DEMO_ENTITIES);
    expect(ctx.hubspotWrites() - writesBefore).toBe(0);
    expect(second).toMatchObject({ ok: true, value: { created: [], updated: [], conflicts: [] } });
    if (second.ok) expect(second.value.unchanged).toHaveLength(first.value.created.length);
  });

  it('reports a property that exists with another type and leaves it as it is', async () => {
    ctx.hubspot.store.createGroup('deals', { name: GROUP.billwerk, label: 'billwerk' });
    ctx.hubspot.store.createProperty('deals', {
      name: DEAL.balance,
      label: 'Our balance',
      type: 'string',
      fieldType: 'text',
      groupName: GROUP.billwerk,
    });
    ctx.hubspot.store.create('deals', { dealname: 'Kept', [DEAL.balance]: 'about 12 EUR' });

    const outcome = await runSetup(ctx.deps(), DEMO_ENTITIES);
    if (!outcome.ok) throw new Error('setup failed');
    expect(outcome.value.conflicts).toEqual([{ item: `deals.${DEAL.balance}`, message: expect.stringContaining('type "string"') }]);
    expect(ctx.hubspot.store.property('deals', DEAL.balance)).toMatchObject({ type: 'string', label: 'Our balance' });
    expect(ctx.hubspot.store.list('deals').find((d) => d.properties.dealname === 'Kept')?.properties[DEAL.balance]).toBe('about 12 EUR');
    expect(ctx.hubspot.simulator.count(`PATCH /crm/v3/properties/:objectType/:propertyName`)).toBe(0);
    expect(formatReport(outcome.value)).toContain(`deals.${DEAL.balance}: exists with type "string"`);
  });
});

describe('setup after an upgrade that added the unique owner property', () => {
  const ctx = useSimulators({ seed: true, installCatalog: false });
  const ENTITY = DEMO_ENTITIES[0]!.id;

  /** The portal as the previous version set it up: every property but the owner property. */
  function previousVersionPortal() {
    for (const g of PROPERTY_GROUPS) ctx.hubspot.store.createGroup(g.objectType, { name: g.name, label: g.label });
    for (const def of propertyCatalog(DEMO_ENTITIES).filter((p) => p.name !== DEAL.ownedContractId))
      ctx.hubspot.store.createProperty(def.objectType, def);
  }
  const legacyDeal = (name: string, contractId: string, synced = 'true') =>
    ctx.hubspot.store.create('deals', {
      dealname: name,
      [DEAL.contractId]: contractId,
      [DEAL.contractSynced]: synced,
      [DEAL.entity]: ENTITY,
    }).id;
  const ownerOf = (contractId: string) =>
    ctx.hubspot.store
      .list('deals')
      .filter((d) => d.properties[DEAL.ownedContractId] === contractId)
      .map((d) => d.id);

  it("creates the owner property and gives each contract's owning deal its owner value, so webhooks reach deals applied before", async () => {
    previousVersionPortal();
    const seed = ctx.billwerk.seeded![ENTITY]!;
    const contract = ctx.billwerk.store.addContract(
      { CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.starterMonthly.Id },
      ENTITY,
    );
    const single = legacyDeal('Single', contract.Id);
    const olderTwin = legacyDeal('Older twin', 'ctr-twin');
    const newerTwin = legacyDeal('Newer twin', 'ctr-twin');
    const unsynced = legacyDeal('Handed over', 'ctr-old', 'false');

    const outcome = await runSetup(ctx.deps(), DEMO_ENTITIES);
    if (!outcome.ok) throw new Error('setup failed');
    expect(outcome.value.created).toContain(`deals.${DEAL.ownedContractId}`);
    expect(ctx.hubspot.store.property('deals', DEAL.ownedContractId)?.hasUniqueValue).toBe(true);
    expect(ownerOf(contract.Id)).toEqual([single]);
    expect(ownerOf('ctr-twin')).toEqual([newerTwin]); // the newest, as the search-based lookup chose
    expect(ownerOf('ctr-old')).toEqual([]);
    expect(ctx.hubspot.store.get('deals', unsynced)!.properties[DEAL.ownedContractId]).toBeUndefined();
    expect(outcome.value.notes.join('\n')).toContain(`Deal(s) ${olderTwin} also have billwerk contract ctr-twin`);

    ctx.billwerk.store.setContractState(contract.Id, { Balance: -77 }, ENTITY);
    ctx.hubspot.simulator.resetCalls();
    const event = await handleBillwerkEvent(ctx.deps(), { Event: 'ContractChanged', ContractId: contract.Id, EntityId: ENTITY });
    expect(event).toMatchObject({ kind: 'contract', result: { status: 'updated', dealId: single } });
    expect(ctx.hubspot.store.get('deals', single)!.properties[DEAL.balance]).toBe('-77');
    expect(ctx.hubspot.simulator.count(/\/search$/)).toBe(0);

    const writes = ctx.hubspotWrites();
    await runSetup(ctx.deps(), DEMO_ENTITIES);
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('reports an existing owner property without unique values and leaves deals alone', async () => {
    previousVersionPortal();
    ctx.hubspot.store.createProperty('deals', {
      name: DEAL.ownedContractId,
      label: 'Made by hand',
      type: 'string',
      fieldType: 'text',
      groupName: GROUP.billwerk,
    });
    const deal = legacyDeal('Single', 'ctr-1');
    const outcome = await runSetup(ctx.deps(), DEMO_ENTITIES);
    if (!outcome.ok) throw new Error('setup failed');
    expect(outcome.value.conflicts).toEqual([{ item: `deals.${DEAL.ownedContractId}`, message: expect.stringContaining('unique values') }]);
    expect(ctx.hubspot.store.get('deals', deal)!.properties[DEAL.ownedContractId]).toBeUndefined();
    expect(ctx.hubspot.store.property('deals', DEAL.ownedContractId)).toMatchObject({ label: 'Made by hand', hasUniqueValue: false });
  });
});

describe('setup on a set-up portal', () => {
  const ctx = useSimulators({ seed: true, installCatalog: true });

  it('adds a new entity to every Entity property and keeps the option of a removed one', async () => {
    const [root, second] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[0], (typeof DEMO_ENTITIES)[0]];
    const added = { id: '64a000000000000000000003', name: 'Demo Software Ltd' };
    // The second entity left the configuration; deals of it still exist.
    const outcome = await runSetup(ctx.deps(), [root, added]);
    if (!outcome.ok) throw new Error('setup failed');
    expect(outcome.value.updated.sort()).toEqual(SETUP_OBJECT_TYPES.map((t) => `${t}.${DEAL.entity} (options)`).sort());
    for (const type of SETUP_OBJECT_TYPES) {
      expect(ctx.hubspot.store.property(type, DEAL.entity)!.options.map((o) => o.value)).toEqual([root.id, added.id, second.id]);
    }
    expect(outcome.value.notes.join('\n')).toContain(second.name);

    const writes = ctx.hubspotWrites();
    await runSetup(ctx.deps(), [root, added]);
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('repairs a label an admin changed, without touching anything else', async () => {
    ctx.hubspot.store.updateProperty('deals', DEAL.validation, { label: 'Renamed' });
    const writes = ctx.hubspotWrites();
    const outcome = await runSetup(ctx.deps(), DEMO_ENTITIES);
    expect(outcome).toMatchObject({ ok: true, value: { created: [], updated: [`deals.${DEAL.validation} (label)`] } });
    expect(ctx.hubspotWrites() - writes).toBe(1);
    expect(ctx.hubspot.store.property('deals', DEAL.validation)?.label).toBe('billwerk validation');
  });

  it('runs from the settings page function and says what it did', async () => {
    const reply = await ctx.runFunction(runSetupFunction);
    expect(reply).toMatchObject({ ok: true, value: { created: [], updated: [], conflicts: [] } });
  });
});
