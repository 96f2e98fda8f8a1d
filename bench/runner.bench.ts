/**
 * What a rep and the platform see of the built functions, measured through the function runner
 * (src/runner: built bundle, fresh process per call, 10 s limit; docs/runner.md) at the latency
 * profile (80 ms HubSpot, 150 ms billwerk, 300 ms order create/commit) and HubSpot's real limits.
 *
 * - runner.cold_start_ms: median time to `require` the largest bundle in a fresh process (7 runs).
 * - runner.bundle_kb_max: size of the largest bundle `npm run build` writes.
 * - validate.rep_wait_ms: one "Request validation" on the demo signup deal (new customer): the
 *   invocation's time from handing over the context to the reply, cold start included (HubSpot's own
 *   container start is not). apply.rep_wait_ms is bench/deal.bench.ts's (median over its trials); the
 *   apply here only feeds runner.peak_rss_mb.
 * - runner.peak_rss_mb: the largest peak RSS of those invocations (HubSpot stops at 128 MB).
 */
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { BenchResult } from './types.js';
import { median, prepareSignupDeal, round, startRig } from './harness.js';

const COLD_STARTS = 7;

export async function run(): Promise<BenchResult[]> {
  const rig = await startRig();
  try {
    const dist = rig.runner.distDir;
    const bundles = readdirSync(dist)
      .filter((f) => f.endsWith('.js'))
      .map((f) => ({ file: path.join(dist, f), bytes: statSync(path.join(dist, f)).size }));
    const largest = bundles.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const requireTimes: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const cold = await rig.runner.requireOnly(largest.file);
      if (cold.requireMs === undefined) throw new Error(`requiring ${largest.file} failed: ${cold.error}`);
      requireTimes.push(cold.requireMs);
    }

    const { dealId } = prepareSignupDeal(rig);
    const validate = await rig.invokePrivate<{ ok: boolean; problems?: unknown }>('validate_deal', { parameters: { dealId } });
    if (!validate.reply?.ok) throw new Error(`validation failed: ${validate.error ?? JSON.stringify(validate.reply)}`);
    rig.hubspot.store.update('deals', dealId, { dealstage: 'closedwon' });
    const apply = await rig.invokePrivate<{ ok: boolean }>('apply_deal', { parameters: { dealId } });
    if (!apply.reply?.ok) throw new Error(`apply failed: ${apply.error ?? JSON.stringify(apply.reply)}`);

    return [
      {
        metric: 'runner.cold_start_ms',
        value: round(median(requireTimes), 1),
        unit: 'ms',
        target: 150,
        note: `median require() of ${path.basename(largest.file)} over ${COLD_STARTS} fresh processes (${requireTimes.map((t) => Math.round(t)).join(', ')} ms)`,
      },
      {
        metric: 'runner.bundle_kb_max',
        value: Math.round(largest.bytes / 1024),
        unit: 'KB',
        target: 300,
        note: `largest bundle: ${path.basename(largest.file)}`,
      },
      {
        metric: 'validate.rep_wait_ms',
        value: validate.durationMs,
        unit: 'ms',
        target: 500,
        note: `one validate_deal through the runner at 80/150/300 ms latency, cold start ${Math.round(validate.requireMs ?? 0)} ms included, ${validate.cpuMs} ms CPU, load average ${loadavg()[0]!.toFixed(1)}`,
      },
      {
        metric: 'runner.peak_rss_mb',
        value: Math.max(validate.peakRssMb, apply.peakRssMb),
        unit: 'MB',
        target: 128,
        note: 'largest peak RSS of the validate and apply invocations (Node itself included)',
      },
    ];
  } finally {
    await rig.close();
  }
}
