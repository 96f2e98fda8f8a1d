/** A 10,000-item catalog pages through the client completely and in 500-item pages. */
import { describe, expect, it } from 'vitest';
import { seedLargeCatalog } from '../../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useBillwerk } from './helpers.js';

const h = useBillwerk(() => ({ seed: false }));
const root = DEMO_ENTITIES[0]!.id;

describe('large catalog', () => {
  it('lists every plan variant, component and discount of a 10k catalog in pages of 500', async () => {
    const counts = seedLargeCatalog(h.sim.store, { items: 10_000, entityId: root });
    expect(counts.planVariants + counts.components + counts.discounts).toBe(10_000);
    const api = h.client().forEntity(root);
    const [variants, components, discounts] = [await api.listPlanVariants(), await api.listComponents(), await api.listDiscounts()];
    expect([variants.length, components.length, discounts.length]).toEqual([counts.planVariants, counts.components, counts.discounts]);
    expect(new Set(variants.map((v) => v.Id)).size).toBe(counts.planVariants);
    // 6,000 variants: pages of 500 with the inclusive `from` repeating one item -> 13 requests.
    expect(h.sim.simulator.count('GET /api/v1/planVariants')).toBe(Math.ceil((counts.planVariants - 1) / 499));
    // The other entity stays empty.
    expect(await h.client().forEntity(DEMO_ENTITIES[1]!.id).listPlanVariants()).toEqual([]);
  });
});
