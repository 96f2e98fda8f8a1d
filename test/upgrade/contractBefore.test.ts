/** The up/downgrade deal carries the contract as it is before the change, for the rep picking changes. */
import { describe, expect, it } from 'vitest';
import { toContractSnapshot } from '../../src/core/mappers/toContractSnapshot.js';

describe('contract before the up/downgrade', () => {
  it('names the plan variant and the components still running, with quantities', () => {
    const contract = {
      Id: 'ctr-1',
      CustomerId: 'cus-1',
      PlanVariantId: 'pv-1',
      ComponentSubscriptions: [
        { ComponentId: 'c-users', Quantity: 5 },
        { ComponentId: 'c-old', Quantity: 1, EndDate: '2026-01-01T00:00:00Z' },
        { ComponentId: 'c-storage', Quantity: 2 },
      ],
    };
    const variant = { Id: 'pv-1', PlanId: 'p-1', InternalName: 'Monthly' };
    const plan = { Id: 'p-1', Name: { _c: 'Pro' } };
    const components = [
      { Id: 'c-users', Name: { _c: 'Users' } },
      { Id: 'c-storage', Name: 'Storage (GB)' },
      { Id: 'c-old', Name: 'Old' },
    ];
    expect(toContractSnapshot(contract as never, variant as never, plan as never, components as never)).toBe(
      'Plan variant: Pro – Monthly.\nComponents: Users × 5, Storage (GB) × 2.',
    );
  });

  it('says "none" without components and falls back to the ids billwerk gave', () => {
    expect(toContractSnapshot({ Id: 'c', CustomerId: 'x', PlanVariantId: 'pv-9' } as never, undefined, undefined, [])).toBe(
      'Plan variant: pv-9.\nComponents: none.',
    );
  });
});
