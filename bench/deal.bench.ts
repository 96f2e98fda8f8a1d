/**
 * Calls per deal operation, over real HTTP against both simulators, with the billwerk token already
 * cached (a warm function container): the signup deal of the demo seed with a plan variant and a
 * component from billwerk's demo catalog, validated, moved to Closed won and applied.
 * - validate.hubspot_calls / validate.billwerk_calls
 * - apply.hubspot_calls / apply.billwerk_calls
 * The custom field mappings cache is NOT warmed: applies are rare, so a real apply usually loads them
 * (1 HubSpot call, 0 when the container loaded them in the last minute). What each call is for, and
 * why apply stays above its target: docs/deal-flow.md.
 *
 * Races through the function runner (test/deal/trials.ts: built bundles, a fresh process per click,
 * HubSpot 20 ms + exponential tail mean 40 ms, billwerk 150 ms and 300 ms per order create/commit),
 * DEAL_BENCH_TRIALS (default 50) trials of two clicks 0–100 ms apart per scenario, plus 5 trials each
 * of 5 and 10 clicks at once for a new customer:
 * - apply.double_commit_trials / upgrade.double_commit_trials: trials in which billwerk committed more
 *   than one order (target 0)
 * - apply.race_bad_end_trials: trials not ending in the happy path's final state (target 0)
 * - apply.rep_wait_ms: median time the winning click of a new-customer trial took, in its fresh process
 *   (cold start included, as on HubSpot; target 1,000); apply.rep_wait_warm_ms: the same apply in a warm
 *   process (clients built, billwerk token cached), the protocol's own wait
 * - apply.killed_clicks: clicks killed at the 10 s limit (CPU-starved runs); a trial with one is finished
 *   by a follow-up click after the killed click's claim lapsed, and only then judged
 */
import { createBillwerkClient } from '../src/core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../src/core/config.js';
import type { Deps } from '../src/core/deps.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { silentLogger } from '../src/core/log.js';
import { applyDeal } from '../src/core/deal/applyDeal.js';
import { validateDeal } from '../src/core/deal/validateDeal.js';
import { createBillwerkSimulator } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, simulatorEnv } from '../src/simulators/constants.js';
import { prepareSignupDeal } from './harness.js';
import type { Simulator } from '../src/simulators/framework.js';
import { createHubSpotSimulator } from '../src/simulators/hubspot/index.js';
import { serveSimulator } from '../src/simulators/server.js';
import { ensureBuilt } from '../src/runner/build.js';
import { applyTrial, warmApplyMs, type TrialResult } from '../test/deal/trials.js';
import type { ScenarioKind } from '../test/deal/scenarios.js';
import type { BenchResult } from './types.js';

/** API calls, not the OAuth token request (the token is cached in a warm container). */
const apiCalls = (sim: Simulator) => sim.calls.filter((c) => !c.path.startsWith('/oauth/')).length;

export async function run(): Promise<BenchResult[]> {
  return [...(await callCounts()), ...(await races())];
}

async function races(): Promise<BenchResult[]> {
  const trials = Number(process.env.DEAL_BENCH_TRIALS ?? 50);
  const distDir = await ensureBuilt();
  const results = new Map<string, TrialResult[]>();
  const record = (name: string, result: TrialResult) => {
    results.set(name, [...(results.get(name) ?? []), result]);
    if (result.problems.length) console.error(`deal race ${name}: ${result.problems.join('; ')}`);
  };
  for (const kind of ['new customer', 'existing customer', 'up/downgrade'] as ScenarioKind[]) {
    for (let i = 0; i < trials; i++) record(kind, await applyTrial(kind, { callers: 2, spreadMs: 100, distDir }));
  }
  for (const callers of [5, 10]) {
    for (let i = 0; i < Math.max(1, Math.round(trials / 10)); i++)
      record(`${callers} at once`, await applyTrial('new customer', { callers, spreadMs: 0, distDir }));
  }
  const all = [...results.values()].flat();
  const signups = [
    ...(results.get('new customer') ?? []),
    ...(results.get('existing customer') ?? []),
    ...(results.get('5 at once') ?? []),
    ...(results.get('10 at once') ?? []),
  ];
  const doubled = (list: TrialResult[]) => list.filter((t) => t.committedOrders > 1).length;
  const winnerWaits = (results.get('new customer') ?? []).flatMap((t) =>
    t.invocations.filter((inv) => inv.reply?.ok && !inv.reply.value?.alreadyApplied).map((inv) => inv.durationMs),
  );
  const killed = all.reduce((n, t) => n + t.killed, 0);
  const followedUp = all.filter((t) => t.problemsBeforeFollowUp.length > 0 && t.killed > 0).length;
  console.error(
    `deal races: ${all.length} trials, ${killed} click(s) killed at 10 s in ${followedUp} trial(s) (finished by one more click after the claim lapsed), ${all.filter((t) => t.problems.length).length} not ending in the happy path's state`,
  );
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push(await warmApplyMs('new customer', distDir));
  return [
    { metric: 'apply.double_commit_trials', value: doubled(signups), unit: `trials of ${signups.length}`, target: 0 },
    { metric: 'upgrade.double_commit_trials', value: doubled(results.get('up/downgrade') ?? []), unit: `trials of ${trials}`, target: 0 },
    { metric: 'apply.race_bad_end_trials', value: all.filter((t) => t.problems.length).length, unit: `trials of ${all.length}`, target: 0 },
    { metric: 'apply.rep_wait_ms', value: median(winnerWaits), unit: 'ms (median, fresh process)', target: 1000 },
    { metric: 'apply.rep_wait_warm_ms', value: median(warm), unit: 'ms (median, warm process)', target: 1000 },
    { metric: 'apply.killed_clicks', value: killed, unit: `clicks of ${all.reduce((n, t) => n + t.invocations.length, 0)}`, target: 0 },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN;
}

async function callCounts(): Promise<BenchResult[]> {
  const billwerk = createBillwerkSimulator({ seed: true });
  const hubspot = createHubSpotSimulator({ seed: true, installCatalog: true, entities: DEMO_ENTITIES });
  const [billwerkServer, hubspotServer] = await Promise.all([serveSimulator(billwerk.simulator), serveSimulator(hubspot.simulator)]);
  try {
    const env = simulatorEnv({ billwerk: billwerkServer.url, hubspot: hubspotServer.url });
    const deps: Deps = {
      billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env)),
      hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env)),
      logger: silentLogger,
      now: () => new Date(),
    };
    const { dealId, entityId: root } = prepareSignupDeal({ billwerk, hubspot });

    await deps.billwerk.forEntity(root).listPlanGroups(); // warm: fetch and cache the token
    const reset = () => {
      billwerk.simulator.resetCalls();
      hubspot.simulator.resetCalls();
    };

    reset();
    const validated = await validateDeal(deps, { dealId, environment: 'sandbox' });
    if (!validated.ok) throw new Error(`validation failed: ${JSON.stringify(validated.problems)}`);
    const validate = { hubspot: apiCalls(hubspot.simulator), billwerk: apiCalls(billwerk.simulator) };

    hubspot.store.update('deals', dealId, { dealstage: 'closedwon' });
    reset();
    const applied = await applyDeal(deps, { dealId, environment: 'sandbox' });
    if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied.problems)}`);
    const apply = { hubspot: apiCalls(hubspot.simulator), billwerk: apiCalls(billwerk.simulator) };

    return [
      { metric: 'validate.hubspot_calls', value: validate.hubspot, unit: 'calls', target: 5 },
      { metric: 'validate.billwerk_calls', value: validate.billwerk, unit: 'calls', target: 2 },
      // No target of its own (issue 13: correctness first): the target is the call budget docs/deal-flow.md
      // lists call by call, so a call added without documenting it fails here.
      { metric: 'apply.hubspot_calls', value: apply.hubspot, unit: 'calls', target: 14 },
      { metric: 'apply.billwerk_calls', value: apply.billwerk, unit: 'calls', target: 5 },
    ];
  } finally {
    await Promise.all([billwerkServer.close(), hubspotServer.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (results) => console.log(JSON.stringify(results, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
