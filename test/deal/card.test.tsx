/**
 * What the deal card shows at the kill points of an apply: the real apply_deal reply and the deal as the
 * simulator holds it afterwards, rendered with createRenderer (the card itself: src/app/cards/DealCard.tsx).
 */
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealCard } from '../../src/app/cards/DealCard.js';
import { DEAL_PROPERTIES } from '../../src/app/cards/shared/properties.js';
import { callFunction } from '../../src/app/cards/shared/serverless.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import type { Outcome } from '../../src/core/result.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { replyWith } from '../customer/cardKit.js';
import { useSimulators } from '../support/simulators.js';
import { Faults } from './latency.js';
import { env, prepare } from './scenarios.js';

vi.mock('../../src/app/cards/shared/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/cards/shared/serverless.js')>()),
  callFunction: vi.fn(),
}));

const ctx = useSimulators();

/** The card over the deal as HubSpot holds it; Apply answers with `reply`, then the card reads the deal again. */
function renderDealCard(dealId: string, reply: Outcome<unknown>) {
  replyWith(callFunction, {
    list_entities: () => ({
      ok: true,
      value: { entities: DEMO_ENTITIES.map((e) => ({ id: e.id, name: e.name })), environment: 'sandbox' },
    }),
    refresh_contract: () => ({ ok: true, value: { status: 'unchanged', properties: {}, checkedAt: new Date().toISOString() } }),
    apply_deal: () => reply as never,
  });
  const renderer = createRenderer('crm.record.sidebar');
  const read = () =>
    Object.fromEntries(
      Object.values(DEAL_PROPERTIES).map((name) => [name, ctx.hubspot.store.get('deals', dealId)!.properties[name] ?? null]),
    );
  let properties = read();
  renderer.mocks.useCrmProperties.willCall(() => ({
    properties,
    error: null,
    isLoading: false,
    isRefetching: false,
    refetch: async () => {
      properties = read();
    },
  }));
  const context = {
    ...renderer.mocks.context,
    crm: { objectId: Number(dealId), objectTypeId: '0-3' },
    portal: { id: 4711, timezone: 'UTC' },
  };
  renderer.render(<DealCard context={context} actions={{ refreshObjectProperties: vi.fn() }} />);
  return renderer;
}

/** `feedback: false`: the reply repeats what the deal shows already, so no click feedback appears. */
async function clickApply(dealId: string, reply: Outcome<unknown>, options: { feedback?: boolean } = {}) {
  const renderer = renderDealCard(dealId, reply);
  await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false));
  renderer.findByTestId(Button, 'apply').trigger('onClick');
  if (options.feedback === false) {
    const call = vi.mocked(callFunction);
    const index = call.mock.calls.findIndex(([name]) => name === 'apply_deal');
    await call.mock.results[index]!.value;
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'apply').text).toBe('Apply change in billwerk'));
    return renderer;
  }
  await renderer.waitFor(() => expect(renderer.maybeFind(Alert, { testId: 'deal-feedback' })).not.toBeNull());
  return renderer;
}

describe('the deal card at the kill points of an apply', () => {
  it('contact link failed after the contract was created: the card says so, keeps Apply, and the next click finishes', async () => {
    const scenario = await prepare(ctx, 'new customer');
    const deps = ctx.deps();
    const faults = new Faults({
      method: 'updateObject',
      when: (type) => type === 'contacts',
      mode: 'before',
      error: () => new HubSpotApiError(503, 'HubSpot updateObject contacts failed (503): service unavailable'),
    });
    const reply = await applyDeal({ ...deps, hubspot: faults.wrap(deps.hubspot) }, { dealId: scenario.dealId, ...env });

    const renderer = await clickApply(scenario.dealId, reply, { feedback: false });
    // Said once: the deal's sync error, titled by the state; the click feedback does not repeat it.
    const syncError = renderer.findByTestId(Alert, 'deal-sync-error');
    expect(syncError.props.title).toBe('Contract created — finishing on the next click');
    expect(syncError.text).toMatch(
      /^billwerk created contract \w+ for customer \w+ \(order \w+\)\. Still to do: HubSpot could not be reached to link the contact to the billwerk customer.*Click Apply again to finish; nothing is created twice\.$/,
    );
    expect(renderer.maybeFind(Alert, { testId: 'deal-feedback' })).toBeNull();
    expect(renderer.findByTestId(Text, 'deal-contract').text).toBe('None yet');
    expect(renderer.findByTestId(Button, 'apply').props.disabled).toBe(false);

    const finished = await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });
    expect(finished).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    const after = renderDealCard(scenario.dealId, finished);
    await renderer.waitFor(() =>
      expect(after.findByTestId(Text, 'applied-note').text).toBe(
        'Applied in billwerk. To change this contract, create an up/downgrade deal below.',
      ),
    );
    expect(after.findByTestId(Text, 'deal-contract').text).toBe(finished.ok ? finished.value.contractId : '');
    expect(after.maybeFind(Alert, { testId: 'deal-sync-error' })).toBeNull();
  });

  it('a second click while the first runs: "running" in plain words, nothing failed on the deal', async () => {
    const scenario = await prepare(ctx, 'existing customer');
    let releaseCommit: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseCommit = resolve;
    });
    const slow = ctx.deps();
    const billwerk = new Proxy(slow.billwerk, {
      get: (t, n, r) =>
        n !== 'forEntity'
          ? Reflect.get(t, n, r)
          : (id?: string | null) =>
              new Proxy(t.forEntity(id), {
                get: (a, m, ar) =>
                  m !== 'createOrder'
                    ? Reflect.get(a, m, ar)
                    : async (input: never) => {
                        await gate;
                        return a.createOrder(input);
                      },
              }),
    });
    const first = applyDeal({ ...slow, billwerk }, { dealId: scenario.dealId, ...env });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await applyDeal(ctx.deps(), { dealId: scenario.dealId, ...env });

    const renderer = await clickApply(scenario.dealId, second);
    expect(renderer.findByTestId(Alert, 'deal-feedback').text).toMatch(
      /: Another click on Apply \(started \d\d:\d\d:\d\d UTC\) is creating the contract in billwerk right now\. Refresh in a moment; nothing is created twice\.$/,
    );
    expect(renderer.maybeFind(Alert, { testId: 'deal-sync-error' })).toBeNull();
    releaseCommit();
    expect(await first).toMatchObject({ ok: true, value: { alreadyApplied: false } });
  });
});
