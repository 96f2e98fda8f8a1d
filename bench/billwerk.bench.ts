/**
 * billwerk client token handling over real HTTP against the simulator (serveSimulator).
 * - billwerk.token_requests_per_100_calls: OAuth token requests while 100 API calls run concurrently
 *   from a cold client; the single-flight token cache should make it exactly 1.
 */
import { createBillwerkClient } from '../src/core/billwerk/client.js';
import { billwerkConfigSchema, readConfig } from '../src/core/config.js';
import { createBillwerkSimulator } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, simulatorEnv } from '../src/simulators/constants.js';
import { serveSimulator } from '../src/simulators/server.js';
import type { BenchResult } from './types.js';

const CALLS = 100;

export async function run(): Promise<BenchResult[]> {
  const sim = createBillwerkSimulator({ seed: true });
  const server = await serveSimulator(sim.simulator);
  try {
    const config = readConfig(billwerkConfigSchema, simulatorEnv({ billwerk: server.url, hubspot: 'http://127.0.0.1:1' }));
    const api = createBillwerkClient(config).forEntity(DEMO_ENTITIES[0]!.id);
    // Distinct customers: identical GETs in flight would share one request and hide the token race.
    const ids = Array.from({ length: CALLS }, (_, i) => sim.store.addCustomer({ CompanyName: `Bench customer ${i}` }).Id);
    const replies = await Promise.all(ids.map((id) => api.getCustomer(id)));
    if (replies.some((c, i) => c.Id !== ids[i]) || sim.simulator.count('GET /api/v1/customers/:id') !== CALLS)
      throw new Error('not every call reached billwerk');
    return [
      { metric: 'billwerk.token_requests_per_100_calls', value: sim.simulator.count('POST /oauth/token'), unit: 'requests', target: 1 },
    ];
  } finally {
    await server.close();
  }
}
