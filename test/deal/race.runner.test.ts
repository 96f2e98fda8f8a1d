/**
 * Issue 13's race through the function runner (fresh process per click, simulators over HTTP, HubSpot
 * 20 ms + tail mean 40 ms, billwerk order creation 300 ms): a few trials here; 50 per scenario, and the
 * figures, in bench/deal.bench.ts (apply.double_commit_trials, upgrade.double_commit_trials).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../src/runner/build.js';
import type { ScenarioKind } from './scenarios.js';
import { applyTrial, LOSER_WORDS, type TrialResult } from './trials.js';

let distDir = '';
beforeAll(async () => {
  distDir = await ensureBuilt();
}, 120_000);

function expectHappyEnd(result: TrialResult): void {
  expect(result.problems).toEqual([]);
  expect(result.committedOrders).toBe(1);
  const winners = result.replies.filter((r) => r?.ok && !r.value!.alreadyApplied);
  expect(winners).toHaveLength(1);
  for (const reply of result.replies) {
    if (reply?.ok) continue;
    expect(reply?.problems?.map((p) => p.message).join('\n')).toMatch(LOSER_WORDS);
  }
}

describe('concurrent applies through the function runner', () => {
  for (const kind of ['new customer', 'existing customer', 'up/downgrade'] as ScenarioKind[]) {
    it(`${kind}: two clicks 0–100 ms apart`, async () => {
      expectHappyEnd(await applyTrial(kind, { callers: 2, spreadMs: 100, distDir }));
    }, 60_000);
  }

  // Ten processes at once need more CPU than a shared 2-core test machine gives within the 10 s limit: bench/deal.bench.ts.
  it.each([5])(
    'new customer: %i clicks at once',
    async (callers) => {
      expectHappyEnd(await applyTrial('new customer', { callers, spreadMs: 0, distDir }));
    },
    60_000,
  );
});
