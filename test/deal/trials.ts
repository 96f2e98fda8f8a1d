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
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function depsFor(rig: Rig): Deps {
  const env = simulatorEnv(rig.urls);
  return {
    billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env)),
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env)),
    logger: silentLogger,
    now: () => new Date(),
  };
}

export async function applyTrial(kind: ScenarioKind, options: TrialOptions): Promise<TrialResult> {
  const rig = await startRig({ latency: { hubspot: HUBSPOT_TAIL_LATENCY, billwerk: BILLWERK_LATENCY }, runner: { distDir: options.distDir } });
  try {
    const sims: Sims = { hubspot: rig.hubspot, billwerk: rig.billwerk, deps: () => depsFor(rig) };
    const scenario = await prepare(sims, kind);
    const callsBefore = rig.hubspot.simulator.calls.length;
    const call = { parameters: { dealId: scenario.dealId }, propertiesToSend: {} };
    const invocations = await Promise.all(Array.from({ length: options.callers }, (_, i) =>
      sleep(i === 0 ? 0 : Math.random() * options.spreadMs).then(() => rig.invokePrivate<ApplyReply>('apply_deal', call))));
    const hubspotCalls = rig.hubspot.simulator.calls.length - callsBefore;
    const orders = rig.billwerk.store.list('orders', ROOT).slice(scenario.ordersBefore) as { Status: string }[];
    return {
      committedOrders: orders.filter((o) => o.Status === 'Completed').length,
      problems: [...invocations.flatMap((inv) => (inv.killed || inv.error ? [`invocation failed: ${inv.error ?? 'killed'}`] : [])), ...finalStateProblems(sims, scenario)],
      replies: invocations.map((inv) => inv.reply),
      invocations,
      hubspotCalls,
    };
  } finally {
    await rig.close();
  }
}

/** A reply a rep may see from a click that lost the race: running, or done with the contract id. */
export const LOSER_WORDS = /^Another click on Apply \(started \d\d:\d\d:\d\d UTC\) is (creating the contract|executing the up\/downgrade) in billwerk right now\.|^billwerk (created contract|executed the up\/downgrade on contract) \w+ by another click on Apply/;
