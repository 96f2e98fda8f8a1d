import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import { useSimulators } from '../support/simulators.js';

const sim = useSimulators();

/** Set by the first test; the second checks the hook reset what the first wrote. */
let renamedDealId: string | undefined;

// The second test checks what the first left behind, so the two run in this order even under
// `--sequence.shuffle`, and the second fails (instead of passing vacuously) if the first did not run.
describe('the shared simulator hook', { shuffle: false, sequential: true }, () => {
  it('gives each test fresh seeded simulators behind real clients', async () => {
    const deps = sim.deps();
    const deals = await deps.hubspot.searchAll('deals', { filterGroups: [], properties: ['dealname', DEAL.dealType] });
    expect(deals.length).toBeGreaterThan(0);
    const variants = await deps.billwerk.forEntity().listPlanVariants();
    expect(variants.length).toBeGreaterThan(0);
    await deps.hubspot.updateObject('deals', deals[0]!.id, { dealname: 'Renamed in test one' });
    expect(sim.hubspotWrites()).toBe(1);
    renamedDealId = deals[0]!.id;
  });

  it('does not carry state over from the previous test', async () => {
    expect(renamedDealId, 'the first test renames a deal; run the file whole').toBeDefined();
    const deals = await sim.deps().hubspot.searchAll('deals', { filterGroups: [], properties: ['dealname'] });
    expect(deals.find((d) => d.id === renamedDealId)?.properties.dealname).toBeDefined();
    expect(deals.map((d) => d.properties.dealname)).not.toContain('Renamed in test one');
    expect(sim.hubspotWrites()).toBe(0);
  });
});
