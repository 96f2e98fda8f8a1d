/**
 * Product sync through the function runner (docs/runner.md): the built `start_product_sync` in a
 * fresh process per call with the 10 s limit, both simulators over HTTP with HubSpot's real
 * 190 requests/10 s and 5 searches/s, 80 ms HubSpot and 150 ms billwerk latency. The settings page's
 * loop is played: call again while the report says `running` (or `busy`).
 *
 * - calls_to_complete_10k / _50k: function calls of a first sync of 10,000 / 50,000 items (two entities).
 * - resync_10k_calls / resync_writes: a sync of the unchanged 10,000-item catalog; its product writes.
 * - time_ratio_50k: wall time of the 50k first sync over the minimum HubSpot's limits allow for the
 *   calls it made (bench/harness.ts hubspotMinimumMs: floor((N − 1) / 190) × 10 s).
 * - function_peak_rss_mb: the largest invocation's peak RSS across every scenario.
 * - duplicates: products beyond one per item after five concurrent triggers and after repeated calls
 *   with a 5 s search lag (2,000 items, to bound the run time), and after both first syncs.
 */
import { seedLargeCatalog } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../src/simulators/constants.js';
import { PRODUCT } from '../src/core/catalog.js';
import { hubspotMinimumMs, startRig, type Rig } from './harness.js';
import { SEARCH_RATE_LIMIT } from '../src/core/hubspot/limiter.js';
import type { BenchResult } from './types.js';

interface Report {
  status: 'never' | 'running' | 'done';
  busy: boolean;
  synced: number;
  total?: number;
  created: number;
  unchanged: number;
  retryAfterMs?: number;
  startedAt?: string;
}

/** HubSpot's burst window (190 requests per 10 s). */
const RATE_LIMIT_WINDOW_MS = 10_000;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
let peakRssMb = 0;

async function slice(rig: Rig): Promise<Report> {
  const call = await rig.invokePrivate<{ ok: boolean; value?: Report; problems?: unknown }>('start_product_sync', { parameters: {} });
  peakRssMb = Math.max(peakRssMb, call.peakRssMb);
  if (call.killed) return { status: 'running', busy: false, synced: 0, created: 0, unchanged: 0 };
  if (!call.reply?.ok || !call.reply.value)
    throw new Error(`start_product_sync failed: ${JSON.stringify(call.reply ?? call.error).slice(0, 300)}`);
  return call.reply.value;
}

async function syncToEnd(rig: Rig, maxCalls = 40): Promise<{ calls: number; last: Report; wallMs: number }> {
  const started = performance.now();
  for (let calls = 1; calls <= maxCalls; calls++) {
    const last = await slice(rig);
    if (last.status === 'done' && !last.busy) return { calls, last, wallMs: performance.now() - started };
    // As the settings page does: wait while another call holds the run, or while HubSpot's window is full.
    const waitMs = last.busy ? 2_000 : Math.min(last.retryAfterMs ?? 0, 10_000);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  throw new Error(`product sync not done after ${maxCalls} calls`);
}

function seed(rig: Rig, items: number): void {
  DEMO_ENTITIES.forEach((entity, i) =>
    seedLargeCatalog(rig.billwerk.store, { items: items / DEMO_ENTITIES.length, entityId: entity.id, currency: i === 0 ? 'EUR' : 'CHF' }),
  );
}

function duplicatesIn(rig: Rig): number {
  const keys = rig.hubspot.store
    .list('products')
    .map((p) => `${p.properties[PRODUCT.entity]}:${p.properties[PRODUCT.itemId]}`)
    .filter((k) => !k.startsWith('undefined'));
  return keys.length - new Set(keys).size;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let duplicates = 0;

  // 10k: first sync, then the unchanged resync.
  {
    const rig = await startRig();
    try {
      seed(rig, 10_000);
      const first = await syncToEnd(rig);
      // A resync comes hours later (every 12 h), not inside the first sync's rate-limit window.
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_WINDOW_MS));
      rig.hubspot.simulator.resetCalls();
      const resync = await syncToEnd(rig);
      if (resync.last.startedAt === first.last.startedAt) throw new Error('the resync never started a run of its own');
      const writes = rig.hubspot.simulator.calls.filter(
        (c) => c.status < 400 && /\/objects\/products\/batch\/(upsert|update|archive|create)$/.test(c.path),
      ).length;
      duplicates += duplicatesIn(rig);
      results.push(
        { metric: 'product_sync.calls_to_complete_10k', value: first.calls, unit: 'calls', target: 2 },
        { metric: 'product_sync.resync_10k_calls', value: resync.calls, unit: 'calls', target: 1 },
        { metric: 'product_sync.resync_writes', value: writes, unit: 'count', target: 0 },
      );
    } finally {
      await rig.close();
    }
  }

  // 50k first sync: calls and wall time against the rate-limit minimum.
  {
    const rig = await startRig();
    try {
      seed(rig, 50_000);
      rig.hubspot.simulator.resetCalls();
      const first = await syncToEnd(rig);
      const { minimumMs } = hubspotMinimumMs(rig.hubspot.simulator.calls, { ...SEARCH_RATE_LIMIT });
      duplicates += duplicatesIn(rig);
      results.push(
        { metric: 'product_sync.calls_to_complete_50k', value: first.calls, unit: 'calls', target: 8 },
        { metric: 'product_sync.time_ratio_50k', value: round(first.wallMs / Math.max(1, minimumMs)), unit: 'ratio', target: 1.5 },
      );
    } finally {
      await rig.close();
    }
  }

  // Concurrency and search lag: five triggers at once, then repeated calls with a 5 s lag.
  {
    const rig = await startRig({ searchLagMs: 5_000 });
    try {
      seed(rig, 2_000);
      await Promise.all(Array.from({ length: 5 }, () => slice(rig)));
      await syncToEnd(rig);
      for (let i = 0; i < 3; i++) await syncToEnd(rig);
      duplicates += duplicatesIn(rig);
    } finally {
      await rig.close();
    }
  }

  results.push(
    { metric: 'product_sync.function_peak_rss_mb', value: round(peakRssMb, 1), unit: 'MB', target: 100 },
    { metric: 'product_sync.duplicates', value: duplicates, unit: 'count', target: 0 },
  );
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
