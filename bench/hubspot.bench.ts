/**
 * HubSpot client under the rolling rate limit, over real HTTP against the simulator.
 *
 * A burst of 600 calls from one process (8 callers sharing the client's pacer) under HubSpot's real
 * burst limit, 190 calls per rolling 10 s (never a scaled window), at 80 ms per call: about 30 s.
 * - hubspot_burst_time_vs_limit_minimum: wall time / the sliding-window minimum, floor((calls - 1) / limit) × window
 *   (the first `limit` calls go at once); 1.0 is the floor. Many processes on one limit:
 *   bench/webhook-burst.bench.ts.
 * - hubspot_burst_429_responses: 429s the burst provoked (the pacer should avoid them).
 * - hubspot_sim_search_10k_products_ms: one filtered search page over 10,000 products (simulator cost).
 */
import type { BenchResult } from './types.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { SIM_CREDENTIALS } from '../src/simulators/constants.js';
import { createHubSpotSimulator } from '../src/simulators/hubspot/index.js';
import { HUBSPOT_LATENCY, HUBSPOT_RATE_LIMIT } from '../src/simulators/profiles.js';
import { serveSimulator } from '../src/simulators/server.js';

const { limit: LIMIT, windowMs: WINDOW_MS } = HUBSPOT_RATE_LIMIT;
const CALLS = 600;
const CONCURRENCY = 8;

async function burst(): Promise<BenchResult[]> {
  const sim = createHubSpotSimulator({ seed: true, latency: HUBSPOT_LATENCY });
  sim.simulator.rateLimit = { limit: LIMIT, windowMs: WINDOW_MS };
  const server = await serveSimulator(sim.simulator);
  try {
    const hubspot = createHubSpotClient({ PRIVATE_APP_ACCESS_TOKEN: SIM_CREDENTIALS.hubspotToken, HUBSPOT_API_BASE_URL: server.url });
    const dealId = sim.seeded!.signupDeal.id;
    let next = 0;
    const worker = async () => {
      while (next < CALLS) {
        next++;
        await hubspot.getObject('deals', dealId, ['dealname']);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = performance.now() - started;
    const minimum = Math.floor((CALLS - 1) / LIMIT) * WINDOW_MS;
    return [
      { metric: 'hubspot_burst_time_vs_limit_minimum', value: round(elapsed / minimum, 3), unit: 'ratio', target: 1.2 },
      {
        metric: 'hubspot_burst_429_responses',
        value: sim.simulator.calls.filter((c) => c.status === 429).length,
        unit: 'count',
        target: 0,
      },
    ];
  } finally {
    await server.close();
  }
}

function searchCost(): BenchResult[] {
  const sim = createHubSpotSimulator({ installCatalog: true });
  for (let i = 0; i < 10_000; i++) {
    sim.store.create('products', { name: `Plan ${i}`, price: String(i % 500), billwerk_item_id: `pv-${i}` });
  }
  const started = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) {
    sim.store.search('products', {
      filterGroups: [[{ propertyName: 'billwerk_item_id', operator: 'IN', values: [`pv-${i}`, `pv-${i + 1}`] }]],
      sorts: [],
      limit: 200,
      offset: 0,
    });
  }
  return [
    { metric: 'hubspot_sim_search_10k_products_ms', value: round((performance.now() - started) / rounds, 2), unit: 'ms', target: 50 },
  ];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  return [...(await burst()), ...searchCost()];
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
