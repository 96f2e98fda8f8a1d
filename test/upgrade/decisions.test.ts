import { describe, expect, it } from 'vitest';
import { toDealLineItems } from '../../src/core/mappers/toBillwerkItem.js';
import { checkContractOpen, checkUpgradeItems, checkUpgradeOrigin } from '../../src/core/deal/rules.js';
import { toUpgradeSummary } from '../../src/core/mappers/toUpgradeSummary.js';
import { upgradeDealName } from '../../src/core/deal/createUpgradeDeal.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { COMP, OTHER, PV, PV2, deal, lineItem, sku } from '../deal/fixtures.js';

const options = { environment: 'sandbox' as const, entities: DEMO_ENTITIES };
const upgrade = (props: Record<string, string | null> = {}) =>
  deal({ dealname: 'Up- / Downgrade deal for Muster', billwerk_deal_type: 'Upgrade', billwerk_origin_deal_id: '300', ...props });
const origin = (props: Record<string, string | null> = {}) => ({
  ...deal({ dealname: 'Muster', billwerk_contract_id: 'ctr-1', billwerk_contract_synced: 'true', ...props }),
  id: '300',
});

describe('up/downgrade deal name', () => {
  it('follows the guide', () => {
    expect(upgradeDealName('Muster – Signup', '300')).toBe('Up- / Downgrade deal for Muster – Signup');
    expect(upgradeDealName('', '300')).toBe('Up- / Downgrade deal for deal 300');
  });
});

describe('origin checks', () => {
  it('accepts an origin with a contract in the same entity', () => {
    expect(checkUpgradeOrigin(upgrade(), origin(), options)).toEqual([]);
  });
  it('refuses an origin without contract, a missing origin, and another entity', () => {
    expect(checkUpgradeOrigin(upgrade(), origin({ billwerk_contract_id: null }), options)[0]).toMatchObject({
      record: 'deal "Muster"',
      message: expect.stringContaining('no billwerk contract'),
    });
    expect(checkUpgradeOrigin(upgrade({ billwerk_origin_deal_id: null }), undefined, options)[0]).toMatchObject({
      field: 'Origin deal id',
    });
    expect(checkUpgradeOrigin(upgrade(), origin({ billwerk_entity: OTHER }), options)[0]).toMatchObject({
      field: 'Entity',
      message: expect.stringContaining('"Demo Software AG"'),
    });
  });
  it('refuses an ended contract, not one ending later', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(checkContractOpen({ Id: 'ctr-1', CustomerId: 'c', EndDate: '2026-02-01T00:00:00Z' }, at, 'deal "Muster"')[0]!.message).toContain(
      'has ended (2026-02-01)',
    );
    expect(checkContractOpen({ Id: 'ctr-1', CustomerId: 'c', EndDate: '2026-06-01T00:00:00Z' }, at, 'deal "Muster"')).toEqual([]);
  });
  it('allows at most one plan variant', () => {
    const { items } = toDealLineItems(
      [lineItem('1', { name: 'A', hs_sku: sku('PV', PV) }), lineItem('2', { name: 'B', hs_sku: sku('PV', PV2) })],
      [],
    );
    expect(checkUpgradeItems(upgrade(), items)).toHaveLength(1);
    expect(checkUpgradeItems(upgrade(), items.slice(0, 1))).toEqual([]);
  });
});

describe('up/downgrade summary', () => {
  it('names the current plan variant by its id when billwerk could not tell its name', () => {
    const { items } = toDealLineItems([lineItem('1', { name: 'Team', hs_sku: sku('PV', PV2) })], []);
    const summary = toUpgradeSummary({
      contract: { Id: 'ctr-1', CustomerId: 'c', PlanVariantId: PV },
      items,
      preview: { Currency: 'EUR', Total: 0 },
      changeDate: '2026-03-15T00:00:00.000Z',
      paymentTermSet: false,
    });
    expect(summary.split('\n')[1]).toBe(`• Plan variant: ${PV} → "Team"`);
  });

  it('shows the new plan variant, component deltas, the prorated amount and the ignored payment term', () => {
    const { items } = toDealLineItems(
      [lineItem('1', { name: 'Team', hs_sku: sku('PV', PV2) }), lineItem('2', { name: 'Seats', hs_sku: sku('C', COMP), quantity: '3' })],
      [],
    );
    const summary = toUpgradeSummary({
      contract: { Id: 'ctr-1', CustomerId: 'c', PlanVariantId: PV, ComponentSubscriptions: [{ ComponentId: COMP, Quantity: 2 }] },
      items,
      preview: { Currency: 'EUR', Total: 20, TotalGross: 23.8, NextTotalGrossDate: '2026-04-01T00:00:00.0000000Z' },
      changeDate: '2026-03-15T00:00:00.000Z',
      paymentTermSet: true,
      currentPlanVariantName: 'Starter',
    });
    expect(summary.split('\n')).toEqual([
      'Changes contract ctr-1 on 2026-03-15:',
      '• Plan variant: "Starter" → "Team"',
      '• Seats: +3 (2 → 5)',
      'Amount charged for the change (prorated): 23.80 EUR; next billing date: 2026-04-01.',
      'The payment term is ignored for up/downgrades; the contract keeps its term of payment.',
    ]);
  });
});
