/**
 * A kill point at every write of both apply flows: the write fails before it reaches the service, lands
 * with its answer lost, or lands late (after the caller gave up). Each run ends, after at most two more
 * clicks, in the happy path's final state (scenarios.ts), and the words the card shows for the failed
 * click (the function's reply and the deal's billwerk sync error) are asserted.
 */
import { describe, expect, it } from 'vitest';
import { BillwerkApiError } from '../../src/core/billwerk/errors.js';
import type { BillwerkApi } from '../../src/core/billwerk/api.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import type { Deps } from '../../src/core/deps.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { useSimulators } from '../support/simulators.js';
import { dealProps } from './kit.js';
import { Faults, type FaultMode } from './latency.js';
import { expectFinalState } from './finalState.js';
import { env, prepare, type FinalStateOptions, type ScenarioKind } from './scenarios.js';

const ctx = useSimulators();

type Props = Record<string, string>;
interface KillPoint {
  name: string;
  service: 'HubSpot' | 'billwerk';
  method: string;
  when?: (...args: unknown[]) => boolean;
  kinds: ScenarioKind[];
  /** What the faulted click answers per mode ('ok': the protocol absorbs it); a mode left out is not a kill point here (reason in `skip`). */
  says: Partial<Record<FaultMode, RegExp | 'ok'>>;
  final?: Partial<Record<FaultMode, FinalStateOptions>>;
  landsApplied?: FaultMode[];
  skip?: string;
}

/** Both flows; the existing-customer signup differs from the new-customer one only in how it orders. */
const ALL: ScenarioKind[] = ['new customer', 'up/downgrade'];
const deals = (test: (p: Props) => boolean) => (type: unknown, _id: unknown, props: unknown) => type === 'deals' && test(props as Props);
const nothingChanged = (text: string) =>
  new RegExp(`^${text} \\(.*\\)\\.( The order \\w+ was withdrawn in billwerk\\.)? Nothing was changed; try again\\.$`);
const ORDERED =
  /^billwerk has order \w+ for this deal but did not confirm its commit: billwerk could not be reached to commit the order \(.*\)\. The contract may exist already; click Apply again to check and finish\. Nothing is ordered twice\.$/;
const DONE = '(billwerk created contract \\w+ for customer \\w+|billwerk executed the up/downgrade on contract \\w+) \\(order \\w+\\)';
const pending = (service: string, doing: string) =>
  new RegExp(
    `^${DONE}\\. Still to do: ${service} could not be reached to ${doing} \\(.*\\)\\. Click Apply again to finish; nothing is created twice\\.$`,
  );
const every = (says: RegExp | 'ok') => ({ before: says, after: says, late: says });

const POINTS: KillPoint[] = [
  {
    name: 'claim (lock record create)',
    service: 'HubSpot',
    method: 'createObject',
    when: (type) => type === 'companies',
    kinds: ALL,
    // One refused or unanswered create is tried again by acquireLease itself (HubSpot down for the whole click: below).
    says: { before: 'ok', after: 'ok' },
    skip: 'late: a lock record landing after its caller released would hold the deal for CLAIM_TTL_MS (see docs/deal-flow.md)',
  },
  {
    name: 'order create',
    service: 'billwerk',
    method: 'createOrder',
    kinds: [...ALL, 'existing customer'],
    says: every(nothingChanged('billwerk could not be reached to create the order')),
    // The connector never learns the id of an order whose answer was lost: it stays uncommitted (docs/deal-flow.md).
    final: { after: { strayOrders: 1 }, late: { strayOrders: 1 } },
  },
  {
    name: 'order id onto the deal',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ALL,
    when: deals((p) => Boolean(p.billwerk_order_id) && p.billwerk_apply_change === undefined),
    says: every(nothingChanged('HubSpot could not be reached to store the order id on the deal')),
  },
  { name: 'commit', service: 'billwerk', method: 'commitOrder', kinds: ALL, says: every(ORDERED) },
  {
    name: 'payment term',
    service: 'billwerk',
    method: 'updateContract',
    kinds: ['new customer'],
    says: every(pending('billwerk', 'set the payment term of 30 days')),
  },
  {
    // The seeded company of the existing customer is linked already: no write to kill there.
    name: 'company link',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ['new customer'],
    when: (type, _id, props) => type === 'companies' && 'billwerk_customer_id' in (props as Props),
    says: every(pending('HubSpot', 'link the company to the billwerk customer')),
  },
  {
    name: 'contact link',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ['new customer', 'existing customer'],
    when: (type) => type === 'contacts',
    says: every(pending('HubSpot', 'link the contact to the billwerk customer')),
  },
  {
    name: 'timeline note',
    service: 'HubSpot',
    method: 'createNote',
    kinds: ALL,
    says: every(pending('HubSpot', 'add the note to the deal timeline')),
  },
  {
    name: 'origin hand-over',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ['up/downgrade'],
    when: deals((p) => p.billwerk_contract_synced === 'false'),
    says: every(pending('HubSpot', 'hand the contract over from the origin deal \\d+')),
  },
  {
    name: 'deal write-back',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ALL,
    when: deals((p) => p.billwerk_apply_change === 'ChangeApplied'),
    says: every(
      new RegExp(
        `^${DONE}, but HubSpot could not be reached to record the contract on the deal \\(.*\\)\\. Click Apply again to finish; nothing is created twice\\.$`,
      ),
    ),
    // Late, the write-back lands after the failure was recorded: the deal is then applied without another click.
    landsApplied: ['late'],
  },
  {
    name: 'release',
    service: 'HubSpot',
    method: 'updateObject',
    kinds: ALL,
    when: (type, _id, props) => type === 'companies' && (props as Props).billwerk_lease_key === '',
    says: every('ok'),
    // A release that never reached HubSpot leaves the lock until it lapses; the deal is done, nobody waits for it.
    final: { before: { lockMayRemain: true } },
  },
];

function faultError(service: 'HubSpot' | 'billwerk', mode: FaultMode): Error {
  const answered = mode === 'before';
  if (service === 'HubSpot') {
    return answered
      ? new HubSpotApiError(503, 'HubSpot call failed (503): service unavailable', { category: 'SERVICE_UNAVAILABLE' })
      : new HubSpotApiError(0, 'HubSpot call failed: no answer (connection reset)', { category: 'NETWORK_ERROR' });
  }
  return answered
    ? new BillwerkApiError(503, 'billwerk answered 503 Service Unavailable', { method: 'POST', path: '/api/v1/…' })
    : new BillwerkApiError(0, 'billwerk did not answer (connection reset)', {
        method: 'POST',
        path: '/api/v1/…',
        networkCode: 'ECONNRESET',
      });
}

function faultyDeps(point: KillPoint, faults: Faults): Deps {
  const deps = ctx.deps();
  if (point.service === 'HubSpot') return { ...deps, hubspot: faults.wrap(deps.hubspot) };
  const billwerk: BillwerkApi = new Proxy(deps.billwerk, {
    get: (target, name, receiver) =>
      name === 'forEntity' ? (id?: string | null) => faults.wrap(target.forEntity(id)) : Reflect.get(target, name, receiver),
  });
  return { ...deps, billwerk };
}

const cases = POINTS.flatMap((point) =>
  point.kinds.flatMap((kind) =>
    (Object.entries(point.says) as [FaultMode, RegExp | 'ok'][]).map(([mode, says]) => ({ point, kind, mode, says })),
  ),
);

describe('kill points of the apply protocol', () => {
  it.each(cases.map((c) => [`${c.kind}: ${c.point.name}, ${c.mode}`, c] as const))('%s', async (_name, { point, kind, mode, says }) => {
    const scenario = await prepare(ctx, kind, kind === 'new customer' ? { paymentTermDays: '30' } : {});
    const faults = new Faults({ method: point.method, when: point.when, mode, error: (m) => faultError(point.service, m) });

    const first = await applyDeal(faultyDeps(point, faults), { dealId: scenario.dealId, ...env });
    expect(faults.hit, 'the kill point was reached').toBe(true);
    await faults.settle();

    if (says === 'ok') {
      expect(first).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    } else {
      expect(first.ok).toBe(false);
      const message = first.ok ? '' : first.problems.map((p) => p.message).join('\n');
      expect(message).toMatch(says);
      if (point.landsApplied?.includes(mode)) {
        expect(dealProps(ctx.hubspot, scenario.dealId)).toMatchObject({ billwerk_apply_change: 'ChangeApplied' });
      } else {
        // The card shows the same words under "Last apply in billwerk failed".
        expect(dealProps(ctx.hubspot, scenario.dealId)).toMatchObject({
          billwerk_apply_change: 'ChangeFailed',
          billwerk_sync_error: message,
        });
        const second = await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
        expect(second).toMatchObject({ ok: true, value: { alreadyApplied: false } });
      }
    }
    const again = await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
    expect(again).toMatchObject({ ok: true, value: { alreadyApplied: true } });
    expectFinalState(ctx, scenario, point.final?.[mode]);
  });

  it('HubSpot down for the whole click at the claim: nothing changed, the next click applies', async () => {
    const scenario = await prepare(ctx, 'new customer');
    ctx.hubspot.simulator.failNext(20, 503, { match: /\/crm\/v3\/objects\/companies$/ });
    const first = await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
    ctx.hubspot.simulator.clearFaults();
    expect(first).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(nothingChanged('HubSpot could not be reached to start the apply')) }],
    });
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(0);
    expect(await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env })).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    expectFinalState(ctx, scenario);
  });

  it('a commit answered late, during the next click, still commits once', async () => {
    const scenario = await prepare(ctx, 'existing customer');
    // The first click's commit reaches billwerk only while the second click is running.
    let releaseLate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseLate = resolve;
    });
    const deps = ctx.deps();
    const late: Promise<unknown>[] = [];
    const billwerk: BillwerkApi = new Proxy(deps.billwerk, {
      get: (target, name, receiver) =>
        name !== 'forEntity'
          ? Reflect.get(target, name, receiver)
          : (id?: string | null) => {
              const api = target.forEntity(id);
              return new Proxy(api, {
                get: (t, n, r) =>
                  n !== 'commitOrder'
                    ? Reflect.get(t, n, r)
                    : async (orderId: string) => {
                        late.push(gate.then(() => t.commitOrder(orderId)).catch((error: unknown) => error));
                        throw faultError('billwerk', 'late');
                      },
              });
            },
    });
    const first = await applyDeal({ ...deps, billwerk }, { dealId: scenario.dealId, ...env });
    expect(first).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(ORDERED) }] });
    const second = applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
    releaseLate();
    const [secondResult, lateResult] = await Promise.all([second, late[0]]);
    // One of the two commits won; billwerk refused the other (the order was no longer open).
    expect(secondResult.ok || (await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env })).ok).toBe(true);
    expect(lateResult instanceof Error || (lateResult as { Id?: string }).Id).toBeTruthy();
    await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
    expectFinalState(ctx, scenario);
  });

  it('covers every write of both flows', () => {
    const hubspotWrites = new Set(POINTS.filter((p) => p.service === 'HubSpot').map((p) => p.name));
    expect([...hubspotWrites].sort()).toEqual([
      'claim (lock record create)',
      'company link',
      'contact link',
      'deal write-back',
      'order id onto the deal',
      'origin hand-over',
      'release',
      'timeline note',
    ]);
    expect(
      POINTS.filter((p) => p.service === 'billwerk')
        .map((p) => p.method)
        .sort(),
    ).toEqual(['commitOrder', 'createOrder', 'updateContract']);
  });
});
