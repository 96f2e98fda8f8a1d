/**
 * Product catalog sync on a 10,000-item billwerk catalog (two entities, 5,000 items each, built with
 * `seedLargeCatalog`), over real HTTP against both simulators: the billwerk simulator's catalog is
 * read through the real billwerk client (OAuth, entity header, take/from paging), HubSpot's product
 * library is the HubSpot simulator's.
 *
 * - product_sync.write_call_ratio: HubSpot write calls (product batches + the one run-state write) of
 *   the first sync / ceil(changed items / 100). 1.0 is the floor.
 * - product_sync.write_call_ratio_mixed: a later run after 1,234 price changes and 345 hidden plan
 *   variants in billwerk. Updates and archives go to different batch endpoints, so the floor is
 *   ceil(updates / 100) + ceil(archives / 100) batches; the ratio is write calls / that floor, and its
 *   target is the floor plus the one run-state write (the best any run can do).
 * - product_sync.resync_writes: product writes of a run over the unchanged catalog (target 0);
 *   product_sync.resync_calls / resync_billwerk_calls: what that run costs in reads.
 * Time and memory under the platform's limits (fresh process per call, 10 s, 128 MB, 190 requests per
 * real 10 s window) are measured through the function runner (bench/harness.ts, docs/runner.md), not
 * here: the scaled-window time ratio and the 256 MB comparison this module had are gone (issue 12).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createBillwerkClient } from '../src/core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../src/core/config.js';
import type { Deps } from '../src/core/deps.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { silentLogger } from '../src/core/log.js';
import { syncProducts, type ProductSyncSummary } from '../src/core/products/syncProducts.js';
import { createBillwerkSimulator, seedLargeCatalog, type BillwerkSim } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, simulatorEnv } from '../src/simulators/constants.js';
import type { CallRecord } from '../src/simulators/framework.js';
import { createHubSpotSimulator } from '../src/simulators/hubspot/index.js';
import { serveSimulator } from '../src/simulators/server.js';
import type { BenchResult } from './types.js';

const ITEMS = 10_000;
const PRICE_CHANGES = 1234;
const HIDDEN = 345;
const CHILD_FLAG = 'PRODUCT_SYNC_BENCH_CHILD';

const isWrite = (c: CallRecord) => c.status < 400 && c.method !== 'GET' && !/\/(search|batch\/read)$/.test(c.path);
const isProductWrite = (c: CallRecord) => isWrite(c) && c.path.startsWith('/crm/v3/objects/products');
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Urls {
  billwerk: string;
  hubspot: string;
}

/** Real clients against the served simulators, configured exactly as a function would be. */
function deps(urls: Urls): Deps {
  const env = simulatorEnv(urls);
  return {
    billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env)),
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env)),
    logger: silentLogger,
    now: () => new Date(),
  };
}

async function sync(urls: Urls): Promise<ProductSyncSummary> {
  const outcome = await syncProducts(deps(urls), { trigger: 'scheduler' });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
  return outcome.value;
}

/** ITEMS sellable items split over the demo entities (the second in CHF, so both currencies occur). */
function largeCatalog(): BillwerkSim {
  const billwerk = createBillwerkSimulator({ seed: false });
  const perEntity = ITEMS / DEMO_ENTITIES.length;
  DEMO_ENTITIES.forEach((entity, i) => seedLargeCatalog(billwerk.store, { items: perEntity, entityId: entity.id, currency: i === 0 ? 'EUR' : 'CHF' }));
  return billwerk;
}

interface ChildReport {
  summary: ProductSyncSummary;
  wallMs: number;
  peakRssBytes: number;
  /** RSS after loading the code, before reading the catalog: what the runtime costs without the sync. */
  startRssBytes: number;
}

/** Child mode: one full sync against the parent's simulators, sampling RSS every 5 ms. */
async function runChild(urls: Urls): Promise<void> {
  const startRssBytes = process.memoryUsage().rss;
  let peak = startRssBytes;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  const summary = await sync(urls);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const report: ChildReport = { summary, wallMs, peakRssBytes: peak, startRssBytes };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runInChild(urls: Urls): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_FLAG]: JSON.stringify(urls) }, stdio: ['ignore', 'pipe', 'inherit'],
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

/** Raises `priced` prices and hides `hidden` plan variants in billwerk, spread over both entities. */
function changeCatalog(billwerk: BillwerkSim, priced: number, hidden: number): number {
  const variants = DEMO_ENTITIES.flatMap((e) => billwerk.store.list('planVariants', e.id).map((variant) => ({ variant, entityId: e.id })));
  const step = Math.floor(variants.length / (priced + hidden));
  for (let i = 0; i < priced + hidden; i++) {
    const { variant, entityId } = variants[i * step]!;
    if (i < priced) billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: (variant.RecurringFee ?? 0) + 1 }, entityId);
    else billwerk.store.hidePlanVariant(variant.Id, entityId);
  }
  return priced + hidden;
}

export async function run(): Promise<BenchResult[]> {
  const billwerk = largeCatalog();
  const hubspot = createHubSpotSimulator({ installCatalog: true, entities: DEMO_ENTITIES });
  const [billwerkServer, hubspotServer] = await Promise.all([serveSimulator(billwerk.simulator), serveSimulator(hubspot.simulator)]);
  const urls: Urls = { billwerk: billwerkServer.url, hubspot: hubspotServer.url };
  try {
    // 1. First sync, in a child process.
    const first = await runInChild(urls);
    const firstWrites = hubspot.simulator.calls.filter(isWrite).length;
    if (first.summary.created !== ITEMS || hubspot.store.count('products') !== ITEMS) {
      throw new Error(`first sync created ${first.summary.created} products, HubSpot holds ${hubspot.store.count('products')}`);
    }

    // 2. Unchanged catalog: reads only.
    hubspot.simulator.resetCalls();
    billwerk.simulator.resetCalls();
    const resync = await sync(urls);
    if (resync.unchanged !== ITEMS) throw new Error(`resync found ${resync.unchanged} of ${ITEMS} products unchanged`);
    const resyncWrites = hubspot.simulator.calls.filter(isProductWrite).length;
    const resyncCalls = hubspot.simulator.calls.length;
    const resyncBillwerkCalls = billwerk.simulator.calls.length;

    // 3. Mixed changes in billwerk: price updates and hidden variants.
    changeCatalog(billwerk, PRICE_CHANGES, HIDDEN);
    hubspot.simulator.resetCalls();
    const mixed = await sync(urls);
    if (mixed.updated !== PRICE_CHANGES || mixed.archived !== HIDDEN) throw new Error(`mixed run updated ${mixed.updated} and archived ${mixed.archived}`);
    const mixedWrites = hubspot.simulator.calls.filter(isWrite).length;
    const mixedFloor = Math.ceil(mixed.updated / 100) + Math.ceil(mixed.archived / 100);
    if (hubspot.store.count('products') !== ITEMS - HIDDEN) throw new Error(`expected ${ITEMS - HIDDEN} live products, found ${hubspot.store.count('products')}`);

    return [
      { metric: 'product_sync.write_call_ratio', value: round(firstWrites / Math.ceil(ITEMS / 100)), unit: 'ratio', target: 1.05 },
      { metric: 'product_sync.write_call_ratio_mixed', value: round(mixedWrites / mixedFloor), unit: 'ratio', target: round((mixedFloor + 1) / mixedFloor) },
      { metric: 'product_sync.resync_writes', value: resyncWrites, unit: 'count', target: 0 },
      { metric: 'product_sync.resync_calls', value: resyncCalls, unit: 'count', target: 60 },
      { metric: 'product_sync.resync_billwerk_calls', value: resyncBillwerkCalls, unit: 'count', target: 60 },
    ];
  } finally {
    await Promise.all([billwerkServer.close(), hubspotServer.close()]);
  }
}

const childUrls = process.env[CHILD_FLAG];
if (childUrls) {
  runChild(JSON.parse(childUrls) as Urls).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (results) => console.log(JSON.stringify(results, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
