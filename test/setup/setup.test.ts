import { describe, expect, it } from 'vitest';
import { DEAL, GROUP, PROPERTY_GROUPS, propertyCatalog } from '../../src/core/catalog.js';
import { runSetup, SETUP_OBJECT_TYPES } from '../../src/core/usecases/setup.js';
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
    for (const type of ['deals', 'companies'] as const) expect(ctx.hubspot.store.group(type, GROUP.customFields)?.label).toBe('Billwerk custom fields sync');
    for (const def of propertyCatalog(DEMO_ENTITIES)) {
      const stored = ctx.hubspot.store.property(def.objectType, def.name);
      expect(stored, `${def.objectType}.${def.name}`).toMatchObject({ type: def.type, label: def.label, groupName: def.groupName });
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
    ctx.hubspot.store.createProperty('deals', { name: DEAL.balance, label: 'Our balance', type: 'string', fieldType: 'text', groupName: GROUP.billwerk });
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

describe('setup on a set-up portal', () => {
  const ctx = useSimulators({ seed: true, installCatalog: true });

  it('adds a new entity to every Entity property and keeps the option of a removed one', async () => {
    const [root, second] = DEMO_ENTITIES as [typeof DEMO_ENTITIES[0], typeof DEMO_ENTITIES[0]];
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
