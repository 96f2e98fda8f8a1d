/**
 * Race trials through the function runner (built bundles, a fresh process per click, both simulators
 * over HTTP with one portal-wide rate limit): `callers` clicks on "Apply change in billwerk" for one
 * deal, the first at once and the others within `spreadMs`. HubSpot answers in 20 ms + an exponential
 * tail (mean 40 ms), billwerk in 150 ms and 300 ms to create or commit an order. Each trial gets fresh
 * simulators (so the rate limit of one trial does not slow the next). Used by test/deal/race.runner.test.ts
 * (a few trials) and bench/deal.bench.ts (50 per scenario).
 */
import { createBillwerkClient } from '../../src/core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../../src/core/config.js';
import type { Deps } from '../../src/core/deps.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { applyDeal } from '../../src/core/deal/applyDeal.js';
import { CLAIM_TTL_MS } from '../../src/core/deal/applyProtocol.js';
import { silentLogger } from '../../src/core/log.js';
import { startRig, type Rig } from '../../src/runner/rig.js';
import type { Invocation } from '../../src/runner/runner.js';
import { simulatorEnv } from '../../src/simulators/constants.js';
import { BILLWERK_LATENCY, HUBSPOT_TAIL_LATENCY } from '../../src/simulators/profiles.js';
import { finalStateProblems, prepare, ROOT, type ScenarioKind, type Sims } from './scenarios.js';

export interface TrialOptions {
  callers: number;
  /** The other callers start at a random moment within this many ms after the first. */
  spreadMs: number;
  /** The bundles (ensureBuilt()), so trials do not check the build each time. */
  distDir: string;
}

export interface ApplyReply {
  ok: boolean;
  value?: { contractId: string; customerId: string; alreadyApplied: boolean };
  problems?: { message: string }[];
}

export interface TrialResult {
  /** Orders billwerk committed for the deal in this trial (must be 1). */
  committedOrders: number;
  /** Why the final state is not the happy path's (empty when it is). */
  problems: string[];
  replies: (ApplyReply | undefined)[];
  invocations: Invocation<ApplyReply>[];
  /** HubSpot API calls all the clicks together made (the lock record included). */
  hubspotCalls: number;
  /** Clicks killed at the 10 s limit (on a CPU-starved machine: ten processes on shared cores). */
  killed: number;
  /** Problems before the follow-up click that a rep would make after a killed click's claim lapsed. */
  problemsBeforeFollowUp: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function depsFor(rig: Rig, laterMs = 0): Deps {
  const env = simulatorEnv(rig.urls);
  return {
    billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env)),
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env)),
    logger: silentLogger,
    now: () => new Date(Date.now() + laterMs),
  };
}

export async function applyTrial(kind: ScenarioKind, options: TrialOptions): Promise<TrialResult> {
  const rig = await startRig({
    latency: { hubspot: HUBSPOT_TAIL_LATENCY, billwerk: BILLWERK_LATENCY },
    runner: { distDir: options.distDir },
  });
  try {
    const sims: Sims = { hubspot: rig.hubspot, billwerk: rig.billwerk, deps: () => depsFor(rig) };
    const scenario = await prepare(sims, kind);
    const callsBefore = rig.hubspot.simulator.calls.length;
    const call = { parameters: { dealId: scenario.dealId }, propertiesToSend: {} };
    const invocations = await Promise.all(
      Array.from({ length: options.callers }, (_, i) =>
        sleep(i === 0 ? 0 : Math.random() * options.spreadMs).then(() => rig.invokePrivate<ApplyReply>('apply_deal', call)),
      ),
    );
    const hubspotCalls = rig.hubspot.simulator.calls.length - callsBefore;
    const failedInvocations = invocations.flatMap((inv) =>
      inv.killed || inv.error ? [`invocation failed: ${inv.error ?? 'killed'}`] : [],
    );
    const killed = invocations.filter((inv) => inv.killed).length;
    const problemsBeforeFollowUp = [...failedInvocations, ...finalStateProblems(sims, scenario)];
    // A killed click cannot release its claim: the rep clicks again once it lapsed (the clock moved on).
    if (killed > 0 && problemsBeforeFollowUp.length > 0)
      await applyDeal(depsFor(rig, CLAIM_TTL_MS + 1_000), { dealId: scenario.dealId, environment: 'sandbox' });
    const orders = rig.billwerk.store.list('orders', ROOT).slice(scenario.ordersBefore) as { Status: string }[];
    return {
      committedOrders: orders.filter((o) => o.Status === 'Completed').length,
      problems: [
        ...invocations.flatMap((inv) => (inv.error && !inv.killed ? [`invocation failed: ${inv.error}`] : [])),
        ...finalStateProblems(sims, scenario),
      ],
      replies: invocations.map((inv) => inv.reply),
      invocations,
      hubspotCalls,
      killed,
      problemsBeforeFollowUp,
    };
  } finally {
    await rig.close();
  }
}

/** A reply a rep may see from a click that lost the race: running, or done with the contract id. */
export const LOSER_WORDS =
  /^Another click on Apply \(started \d\d:\d\d:\d\d UTC\) is (creating the contract|executing the up\/downgrade) in billwerk right now\.|^billwerk (created contract|executed the up\/downgrade on contract) \w+ by another click on Apply/;

/** One uncontended apply in a warm process (clients already built, billwerk token cached), same latency: the protocol's own wait. */
export async function warmApplyMs(kind: ScenarioKind, distDir: string): Promise<number> {
  const rig = await startRig({ latency: { hubspot: HUBSPOT_TAIL_LATENCY, billwerk: BILLWERK_LATENCY }, runner: { distDir } });
  try {
    const deps = depsFor(rig);
    const scenario = await prepare({ hubspot: rig.hubspot, billwerk: rig.billwerk, deps: () => deps }, kind);
    const started = Date.now();
    const outcome = await applyDeal(deps, { dealId: scenario.dealId, environment: 'sandbox' });
    if (!outcome.ok) throw new Error(`warm apply failed: ${JSON.stringify(outcome.problems)}`);
    return Date.now() - started;
  } finally {
    await rig.close();
  }
}
