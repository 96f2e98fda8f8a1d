/** The deal card's refresh (portals without webhooks): refresh_contract against both simulators. */
import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import type { Outcome } from '../../src/core/result.js';
import type { RefreshResult } from '../../src/core/events/refreshContractState.js';
import { main } from '../../src/functions/refresh-contract.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';

const ENTITY = DEMO_ENTITIES[1]!.id;
const ctx = useSimulators();

function dealWithContract(extra: Record<string, string> = {}) {
  const seed = ctx.billwerk.seeded![ENTITY]!;
  const contract = ctx.billwerk.store.addContract(
    { CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.proMonthly.Id },
    ENTITY,
  );
  const deal = ctx.hubspot.store.create('deals', {
    dealname: 'Globex signup',
    pipeline: 'default',
    dealstage: 'closedwon',
    [DEAL.contractId]: contract.Id,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: contract.Id,
    [DEAL.entity]: ENTITY,
    ...extra,
  });
  return { contractId: contract.Id, dealId: deal.id };
}

const refresh = (dealId: string) => ctx.runFunction(main, { parameters: { dealId } }) as Promise<Outcome<RefreshResult>>;
const deal = (id: string) => ctx.hubspot.store.get('deals', id)!.properties;

describe('refresh_contract', () => {
  it('writes the current billing state once, then finds nothing to write', async () => {
    const s = dealWithContract();
    ctx.billwerk.store.createInvoice(s.contractId, ENTITY);
    const first = await refresh(s.dealId);
    expect(first.ok && first.value.status).toBe('updated');
    const contract = ctx.billwerk.store.getContract(s.contractId, ENTITY);
    expect(Number(deal(s.dealId)[DEAL.balance])).toBe(contract.Balance);
    expect(deal(s.dealId)[DEAL.lifecycleStatus]).toBe(contract.LifecycleStatus);
    expect(deal(s.dealId)[DEAL.billingSyncedAt]).toBeTruthy();

    const writes = ctx.hubspotWrites();
    const second = await refresh(s.dealId);
    expect(second.ok && second.value.status).toBe('unchanged');
    expect(second.ok && second.value.status === 'unchanged' && second.value.checkedAt).toBeTruthy();
    expect(ctx.hubspotWrites()).toBe(writes);
  });

  it('does not touch a deal that handed its contract to an up/downgrade deal', async () => {
    const s = dealWithContract({ [DEAL.contractSynced]: 'false' });
    const outcome = await refresh(s.dealId);
    expect(outcome).toEqual({ ok: true, value: { status: 'not-synced', dealId: s.dealId, contractId: s.contractId } });
    expect(ctx.billwerk.simulator.count(/contracts/)).toBe(0);
  });

  it('names the missing contract on a deal without one', async () => {
    const dealId = ctx.hubspot.store.create('deals', { dealname: 'Empty', pipeline: 'default', dealstage: 'appointmentscheduled' }).id;
    const outcome = await refresh(dealId);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problems[0]).toMatchObject({ record: 'deal "Empty"', field: 'billwerk contract id' });
  });

  it('reports a billwerk outage in plain words, records it on the deal, and clears it on the next success', async () => {
    const s = dealWithContract();
    ctx.billwerk.simulator.failNext(1000, 502, { match: /\/contracts\// });
    const failed = await refresh(s.dealId);
    expect(failed.ok && failed.value.status).toBe('failed');
    expect(failed.ok && failed.value.status === 'failed' && failed.value.message).toContain('HTTP 502');
    expect(deal(s.dealId)[DEAL.syncError]).toContain('HTTP 502');

    ctx.billwerk.simulator.clearFaults();
    const retried = await refresh(s.dealId);
    expect(retried.ok && retried.value.status).toBe('updated');
    expect(deal(s.dealId)[DEAL.syncError] ?? '').toBe('');
  });

  it('rejects a parameter that is no deal id', async () => {
    const outcome = await refresh('abc');
    expect(!outcome.ok && outcome.problems[0]).toMatchObject({ field: 'dealId' });
    expect(ctx.hubspot.simulator.count()).toBe(0);
  });
});
