/**
 * Concurrent applies of one deal, each caller with its own clients (as separate function containers),
 * HubSpot 20 ms + exponential tail (mean 40 ms) and billwerk 150 ms per call, 300 ms per order creation:
 * exactly one committed order; the other callers answer that the change is running or done, with the
 * contract id once billwerk has it. Clicks 0–100 ms apart through the function runner: race.runner.test.ts;
 * 50 trials per scenario: bench/deal.bench.ts.
 */
import { describe, expect, it } from 'vitest';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import type { Outcome } from '../../src/core/result.js';
import type { ApplyDealResult } from '../../src/core/deal/applyDeal.js';
import { useSimulators } from '../support/simulators.js';
import { withServiceLatency } from './latency.js';
import { expectFinalState } from './finalState.js';
import { env, prepare, type ScenarioKind } from './scenarios.js';

const ctx = useSimulators();
const RUNNING =
  /^Another click on Apply \(started \d\d:\d\d:\d\d UTC\) is (creating the contract|executing the up\/downgrade) in billwerk right now\. Refresh in a moment; nothing is created twice\.$/;
const FINISHING =
  /^billwerk (created contract|executed the up\/downgrade on contract) (\w+) by another click on Apply \(started \d\d:\d\d:\d\d UTC\), which is now linking the HubSpot records\. Refresh in a moment; nothing is created twice\.$/;

function expectOneWinner(results: Outcome<ApplyDealResult>[]): void {
  const created = results.filter((r) => r.ok && !r.value.alreadyApplied);
  expect(created, 'exactly one caller created it').toHaveLength(1);
  const contractId = created[0]!.ok ? created[0]!.value.contractId : '';
  for (const r of results) {
    if (r.ok) {
      expect(r.value.contractId).toBe(contractId);
      continue;
    }
    const message = r.problems.map((p) => p.message).join('\n');
    expect(message).toMatch(new RegExp(`${RUNNING.source}|${FINISHING.source}`));
    const known = FINISHING.exec(message);
    if (known) expect(known[2]).toBe(contractId);
  }
}

const KINDS: ScenarioKind[] = ['new customer', 'existing customer', 'up/downgrade'];

describe('concurrent applies of one deal', () => {
  for (const kind of KINDS) {
    it.each([2, 5, 10])(`${kind}: %i at once commit one order`, async (n) => {
      const scenario = await prepare(ctx, kind);
      const results = await Promise.all(
        Array.from({ length: n }, () => applyDeal(withServiceLatency(ctx.deps()), { dealId: scenario.dealId, ...env })),
      );
      expectOneWinner(results);
      expectFinalState(ctx, scenario);
    });
  }
});
