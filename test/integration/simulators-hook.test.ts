import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import { useSimulators } from '../support/simulators.js';

const sim = useSimulators();

describe('the shared simulator hook', () => {
  it('gives each test fresh seeded simulators behind real clients', async () => {
    const deps = sim.deps();
    const deals = await deps.hubspot.searchAll('deals', { filterGroups: [], properties: ['dealname', DEAL.dealType] });
    expect(deals.length).toBeGreaterThan(0);
    const variants = await deps.billwerk.forEntity().listPlanVariants();
    expect(variants.length).toBeGreaterThan(0);
    await deps.hubspot.updateObject('deals', deals[0]!.id, { dealname: 'Renamed in test one' });
    expect(sim.hubspotWrites()).toBe(1);
  });

  it('does not carry state over from the previous test', async () => {
    const deals = await sim.deps().hubspot.searchAll('deals', { filterGroups: [], properties: ['dealname'] });
    expect(deals.map((d) => d.properties.dealname)).not.toContain('Renamed in test one');
    expect(sim.hubspotWrites()).toBe(0);
  });
});
