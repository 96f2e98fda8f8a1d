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
    const customerId = sim.seeded![DEMO_ENTITIES[0]!.id]!.customers.plain.Id;
    const replies = await Promise.all(Array.from({ length: CALLS }, () => api.getCustomer(customerId)));
    if (replies.some((c) => c.Id !== customerId)) throw new Error('a call returned the wrong customer');
    return [{ metric: 'billwerk.token_requests_per_100_calls', value: sim.simulator.count('POST /oauth/token'), unit: 'requests', target: 1 }];
  } finally {
    await server.close();
  }
}
