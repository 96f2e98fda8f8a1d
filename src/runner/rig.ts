/**
 * Both simulators served over HTTP (so every invocation process shares one portal: one rate limit,
 * one search limit, one search index) plus a FunctionRunner pointed at them: what race tests,
 * benchmarks and `npm start` run functions on. Defaults are the real world: HubSpot's 190 requests
 * per 10 s and 5 searches per second, the latency profile (80 ms HubSpot, 150 ms billwerk, 300 ms
 * order creation) and a 5 s search-index lag. See docs/runner.md.
 */
import { createBillwerkSimulator, type BillwerkSim } from '../simulators/billwerk/index.js';
import { DEMO_ENTITIES, simulatorEnv } from '../simulators/constants.js';
import type { LatencyProfile, RateLimit } from '../simulators/framework.js';
import { createHubSpotSimulator, type HubSpotSim } from '../simulators/hubspot/index.js';
import { HUBSPOT_RATE_LIMIT, REAL_LATENCY, REAL_SEARCH_LAG_MS } from '../simulators/profiles.js';
import { serveSimulator, type RunningServer } from '../simulators/server.js';
import { ensureBuilt } from './build.js';
import { FunctionRunner, type EndpointCall, type Invocation, type PrivateCall, type RunnerOptions } from './runner.js';
import type { HubSpotEndpointReply } from '../functions/endpoint.js';

export interface RigOptions {
  /** Demo data in both simulators and the connector's HubSpot properties (default true). */
  seed?: boolean;
  /** Latency per side; default the real profile (src/simulators/profiles.ts), `false` for none. */
  latency?: { hubspot?: LatencyProfile; billwerk?: LatencyProfile } | false;
  /** HubSpot's search index lag in ms (default REAL_SEARCH_LAG_MS, 5 s; 0 for none). */
  searchLagMs?: number;
  /** HubSpot's burst limit (default 190 per 10 s), `false` for none. */
  rateLimit?: RateLimit | false;
  /** Runner options: time limit, memory limit, log lines, a bundle directory (default: a cached build of the current sources). */
  runner?: Partial<Omit<RunnerOptions, 'secrets' | 'env'>>;
}

export interface Rig {
  billwerk: BillwerkSim;
  hubspot: HubSpotSim;
  urls: { billwerk: string; hubspot: string };
  /** The secrets functions can receive (the simulators' credentials and URLs). */
  secrets: Record<string, string>;
  runner: FunctionRunner;
  invokePrivate<R = unknown>(uid: string, call?: PrivateCall): Promise<Invocation<R>>;
  invokeEndpoint(path: string, call?: EndpointCall): Promise<Invocation<HubSpotEndpointReply>>;
  close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const seed = options.seed ?? true;
  const latency = options.latency === false ? {} : (options.latency ?? REAL_LATENCY);
  const distDir = options.runner?.distDir ?? (await ensureBuilt());
  const billwerk = createBillwerkSimulator({ seed, latency: latency.billwerk });
  const hubspot = createHubSpotSimulator({
    seed,
    installCatalog: seed,
    entities: DEMO_ENTITIES,
    latency: latency.hubspot,
    searchLagMs: options.searchLagMs ?? REAL_SEARCH_LAG_MS,
  });
  if (options.rateLimit !== false) hubspot.simulator.rateLimit = { ...(options.rateLimit ?? HUBSPOT_RATE_LIMIT) };
  const servers: RunningServer[] = [await serveSimulator(billwerk.simulator), await serveSimulator(hubspot.simulator)];
  const urls = { billwerk: servers[0]!.url, hubspot: servers[1]!.url };
  const { HUBSPOT_API_BASE_URL, ...secrets } = simulatorEnv(urls);
  const runner = new FunctionRunner({ ...options.runner, distDir, secrets, env: { HUBSPOT_API_BASE_URL: HUBSPOT_API_BASE_URL! } });
  return {
    billwerk,
    hubspot,
    urls,
    secrets,
    runner,
    invokePrivate: (uid, call) => runner.invokePrivate(uid, call),
    invokeEndpoint: (path, call) => runner.invokeEndpoint(path, call),
    close: async () => {
      await billwerk.webhooks.idle();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
