/**
 * Product catalog sync on a 10,000-item catalog (two entities, 5,000 items each), over real HTTP
 * against the HubSpot simulator. billwerk's side is the in-memory catalog of test/products/catalog.ts
 * (the product sync only lists the catalog; billwerk calls are not what these metrics are about).
 *
 * - product_sync.write_call_ratio: HubSpot write calls (product batches + the one run-state write) of
 *   the first sync / ceil(changed items / 100). 1.0 is the floor.
 * - product_sync.write_call_ratio_mixed: the same for a later run that updates 1,234 prices and hides
 *   345 items (updates and archives fill their own batches, so partial batches show here).
 * - product_sync.resync_writes: product writes of a run over the unchanged catalog (target 0).
 * - product_sync.time_ratio: wall time of the first sync under the rate limit / the limit-imposed
 *   minimum. HubSpot allows 190 calls per 10 s; a first sync needs ~100 calls, which a 190-call burst
 *   lets through unthrottled (minimum 0, ratio meaningless). So the benchmark keeps HubSpot's rate
 *   (19 calls/s) with a 1-second window: the minimum for N calls is floor((N - 1) / 19) s, and the
 *   ratio shows what pacing, retries and our own CPU add on top.
 * - product_sync.peak_rss_mb: peak resident memory of a child process that runs the first sync
 *   (the simulator lives in the parent, so its 10,000 products do not count against the sync);
 *   product_sync.rss_growth_mb: the part of it the sync added on top of the loaded code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PRODUCT } from '../src/core/catalog.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { silentLogger } from '../src/core/log.js';
import { syncProducts, type ProductSyncSummary } from '../src/core/usecases/syncProducts.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../src/simulators/constants.js';
import type { CallRecord } from '../src/simulators/framework.js';
import { createHubSpotSimulator } from '../src/simulators/hubspot/index.js';
import { serveSimulator } from '../src/simulators/server.js';
import { CatalogBillwerk, generateLargeCatalog } from '../test/products/catalog.js';
import type { BenchResult } from './types.js';

const ITEMS = 10_000;
const RATE_LIMIT = { limit: 19, windowMs: 1000 };
const CHILD_FLAG = 'PRODUCT_SYNC_BENCH_CHILD';

const isWrite = (c: CallRecord) => c.status < 400 && c.method !== 'GET' && !/\/(search|batch\/read)$/.test(c.path);
const isProductWrite = (c: CallRecord) => isWrite(c) && c.path.startsWith('/crm/v3/objects/products');
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function deps(baseUrl: string, billwerk: CatalogBillwerk) {
  return {
    billwerk,
    hubspot: createHubSpotClient({ PRIVATE_APP_ACCESS_TOKEN: SIM_CREDENTIALS.hubspotToken, HUBSPOT_API_BASE_URL: baseUrl }),
    logger: silentLogger,
    now: () => new Date(),
  };
}

function largeCatalog(): CatalogBillwerk {
  const billwerk = new CatalogBillwerk(DEMO_ENTITIES);
  generateLargeCatalog(billwerk, ITEMS);
  return billwerk;
}

interface ChildReport {
  summary: ProductSyncSummary;
  wallMs: number;
  peakRssBytes: number;
  /** RSS after loading the code, before reading the catalog: what the runtime costs without the sync. */
  startRssBytes: number;
}

/** Child mode: one full sync against the parent's simulator, sampling RSS every 5 ms. */
async function runChild(baseUrl: string): Promise<void> {
  const startRssBytes = process.memoryUsage().rss;
  let peak = startRssBytes;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const billwerk = largeCatalog();
  const started = performance.now();
  const outcome = await syncProducts(deps(baseUrl, billwerk), { trigger: 'scheduler' });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
  const report: ChildReport = { summary: outcome.value, wallMs, peakRssBytes: peak, startRssBytes };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runInChild(baseUrl: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_FLAG]: baseUrl }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`product sync child exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as ChildReport);
    });
  });
}

/** Changes `count` prices and hides `hidden` items, spread over the catalog. */
function changeCatalog(billwerk: CatalogBillwerk, priced: number, hidden: number): number {
  const variants = billwerk.entities.flatMap((e) => billwerk.catalog(e.id).planVariants);
  const step = Math.floor(variants.length / (priced + hidden));
  for (let i = 0; i < priced + hidden; i++) {
    const variant = variants[i * step]!;
    if (i < priced) variant.RecurringFee = (variant.RecurringFee ?? 0) + 1;
    else variant.Hidden = true;
  }
  return priced + hidden;
}

export async function run(): Promise<BenchResult[]> {
  const sim = createHubSpotSimulator({ installCatalog: true, entities: DEMO_ENTITIES });
  const server = await serveSimulator(sim.simulator);
  try {
    // 1. First sync, in a child process, under the rate limit.
    sim.simulator.rateLimit = RATE_LIMIT;
    const first = await runInChild(server.url);
    const firstCalls = sim.simulator.calls.filter((c) => c.status !== 429);
    const rejected = sim.simulator.calls.length - firstCalls.length;
    const minimumMs = Math.floor((firstCalls.length - 1) / RATE_LIMIT.limit) * RATE_LIMIT.windowMs;
    const firstWrites = sim.simulator.calls.filter(isWrite).length;
    if (first.summary.created !== ITEMS || sim.store.count('products') !== ITEMS) {
      throw new Error(`first sync created ${first.summary.created} products, HubSpot holds ${sim.store.count('products')}`);
    }

    // 2. Unchanged catalog: reads only.
    sim.simulator.rateLimit = undefined;
    const billwerk = largeCatalog();
    sim.simulator.resetCalls();
    const resync = await syncProducts(deps(server.url, billwerk), { trigger: 'scheduler' });
    if (!resync.ok || resync.value.unchanged !== ITEMS) throw new Error('resync did not find every product unchanged');
    const resyncWrites = sim.simulator.calls.filter(isProductWrite).length;
    const resyncCalls = sim.simulator.calls.length;

    // 3. Mixed changes: price updates and hidden items.
    const changed = changeCatalog(billwerk, 1234, 345);
    sim.simulator.resetCalls();
    const mixed = await syncProducts(deps(server.url, billwerk), { trigger: 'scheduler' });
    if (!mixed.ok || mixed.value.updated + mixed.value.archived !== changed) throw new Error('mixed run did not write every change');
    const mixedWrites = sim.simulator.calls.filter(isWrite).length;
    const live = sim.store.list('products').filter((p) => p.properties[PRODUCT.itemId]).length;
    if (live !== ITEMS - 345) throw new Error(`expected ${ITEMS - 345} live products, found ${live}`);

    return [
      { metric: 'product_sync.write_call_ratio', value: round(firstWrites / Math.ceil(ITEMS / 100)), unit: 'ratio', target: 1.05 },
      { metric: 'product_sync.write_call_ratio_mixed', value: round(mixedWrites / Math.ceil(changed / 100)), unit: 'ratio', target: 1.05 },
      { metric: 'product_sync.resync_writes', value: resyncWrites, unit: 'count', target: 0 },
      { metric: 'product_sync.resync_calls', value: resyncCalls, unit: 'count', target: 60 },
      { metric: 'product_sync.time_ratio', value: round(first.wallMs / minimumMs), unit: 'ratio', target: 1.2 },
      { metric: 'product_sync.rate_limited_responses', value: rejected, unit: 'count', target: 0 },
      { metric: 'product_sync.peak_rss_mb', value: round(first.peakRssBytes / 1024 / 1024, 1), unit: 'MB', target: 256 },
      { metric: 'product_sync.rss_growth_mb', value: round((first.peakRssBytes - first.startRssBytes) / 1024 / 1024, 1), unit: 'MB', target: 128 },
    ];
  } finally {
    await server.close();
  }
}

const childUrl = process.env[CHILD_FLAG];
if (childUrl) {
  runChild(childUrl).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((results) => console.log(JSON.stringify(results, null, 2)));
}
