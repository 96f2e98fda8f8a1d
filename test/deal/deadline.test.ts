/**
 * Apply within the function call's time budget: a billwerk commit that hangs is given up in time for
 * the use-case to write "Change failed" and a readable reason onto the deal, and the next click
 * finishes the apply without a second order, customer or contract. The budget runs on an injected
 * clock (real time plus jumps the test makes); nothing here measures time.
 */
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { APPLY_CHANGE, DEAL } from '../../src/core/catalog.js';
import { validateDeal } from '../../src/core/deal/validateDeal.js';
import { main as applyMain } from '../../src/functions/apply-deal.js';
import { overrideCallBudget } from '../../src/functions/runtime.js';
import { DEMO_ENTITIES, SIM_HUBSPOT_BASE_URL } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import { addLineItems, closedWon, dealProps, setDeal, type SoldItem } from './kit.js';

const ctx = useSimulators();
const ROOT = DEMO_ENTITIES[0]!.id;
const BUDGET = { privateMs: 20_000, reserveMs: 5_000 };
/** Working time the commit is left with after billwerk "took long" to create the order. */
const LEFT_FOR_COMMIT_MS = 300;

async function validatedClosedWonDeal(): Promise<string> {
  const { id } = ctx.hubspot.seeded!.signupDeal;
  const variants = ctx.billwerk.seeded![ROOT]!.planVariants;
  addLineItems(ctx.hubspot, id, [
    { type: 'PlanVariant', id: variants.proMonthly.Id, entityId: ROOT, name: 'Professional monthly' } satisfies SoldItem,
  ]);
  expect((await validateDeal(ctx.deps(), { dealId: id, environment: 'sandbox' })).ok).toBe(true);
  setDeal(ctx.hubspot, id, closedWon);
  return id;
}

/**
 * The call's clock: real time plus an offset. When the order id reaches the deal (the last step before
 * the commit), the clock jumps to just before the end of the working time; the moment the deal is
 * marked failed is recorded on the same clock.
 */
function budgetClock() {
  const state = { offsetMs: 0, startedAt: undefined as number | undefined, failedAt: undefined as number | undefined, jump: true };
  const now = () => {
    const at = Date.now() + state.offsetMs;
    state.startedAt ??= at; // the first read is the budget's start
    return at;
  };
  const endsAt = () => state.startedAt! + BUDGET.privateMs;
  ctx.server.use(
    http.patch(`${SIM_HUBSPOT_BASE_URL}/crm/v3/objects/deals/:id`, async ({ request }) => {
      const { properties } = (await request.clone().json()) as { properties: Record<string, string> };
      if (state.jump && properties[DEAL.orderId]) state.offsetMs += endsAt() - BUDGET.reserveMs - LEFT_FOR_COMMIT_MS - now();
      if (properties[DEAL.applyChange] === APPLY_CHANGE.failed) state.failedAt = now();
      return undefined; // on to the simulator
    }),
  );
  return { state, now, endsAt };
}

describe('apply within the time budget of the call', () => {
  it('a commit that hangs is given up in time to record "Change failed" with a readable reason; a later click completes it once', async () => {
    const id = await validatedClosedWonDeal();
    const customersBefore = ctx.billwerk.store.findCustomers({}, ROOT).length;
    const clock = budgetClock();
    overrideCallBudget({ ...BUDGET, now: clock.now });
    // billwerk keeps not answering the commit (for 30 s each time, longer than the 15 s request timeout).
    ctx.billwerk.simulator.timeoutNext(5, 30_000, /\/commit$/);

    const failed = await ctx.runFunction(applyMain, { parameters: { dealId: id } });

    expect(failed).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining('did not confirm its commit: billwerk did not answer in time to commit the order') }],
    });
    const deal = dealProps(ctx.hubspot, id);
    expect(deal[DEAL.applyChange]).toBe(APPLY_CHANGE.failed);
    expect(deal[DEAL.syncError]).toMatch(
      /^billwerk has order \w+ for this deal but did not confirm its commit: billwerk did not answer in time to commit the order \(billwerk POST \/api\/v1\/orders\/\w+\/commit timed out: no answer\)\. The contract may exist already; click Apply again to check and finish\. Nothing is ordered twice\.$/,
    );
    expect(deal[DEAL.orderId]).toBeTruthy();
    expect(clock.state.failedAt).toBeLessThan(clock.endsAt());
    // The commit was sent once (it is not idempotent) and given up, not resent.
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders/:id/commit')).toBe(1);

    // billwerk answers again; the rep clicks Apply once more, in a call with a fresh budget.
    ctx.billwerk.simulator.clearFaults();
    clock.state.jump = false;
    clock.state.startedAt = undefined;
    const retried = await ctx.runFunction(applyMain, { parameters: { dealId: id } });

    expect(retried).toMatchObject({ ok: true, value: { alreadyApplied: false } });
    const contracts = ctx.billwerk.store.list('contracts', ROOT);
    expect(contracts).toHaveLength(1);
    expect(ctx.billwerk.simulator.count('POST /api/v1/orders')).toBe(1);
    expect(ctx.billwerk.store.findCustomers({}, ROOT)).toHaveLength(customersBefore + 1);
    expect(dealProps(ctx.hubspot, id)).toMatchObject({
      [DEAL.applyChange]: APPLY_CHANGE.applied,
      [DEAL.contractId]: contracts[0]!.Id,
      [DEAL.orderId]: deal[DEAL.orderId],
    });
  });
});
