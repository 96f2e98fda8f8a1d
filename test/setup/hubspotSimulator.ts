/**
 * HubSpot-only variant of test/support/simulators.ts for setup and mapping tests, which never call
 * billwerk: a fresh HubSpot simulator per test behind msw, the real HubSpot client, and functions run
 * as HubSpot would (same interface subset as `useSimulators`). Functions build their HubSpot client
 * from `env`, which points at the simulator's base URL.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { hubspotConfigSchema, readConfig } from '../../src/core/config.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { silentLogger, type Logger } from '../../src/core/log.js';
import { DEMO_ENTITIES, SIM_HUBSPOT_BASE_URL, simulatorEnv } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { mswHandlers } from '../../src/simulators/msw.js';

export interface HubSpotSimContext {
  hubspot: HubSpotSim;
  env: Record<string, string>;
  deps(): { hubspot: HubSpotApi; logger: Logger; now: () => Date };
  runFunction<T = unknown>(main: (context: never) => Promise<T>, context?: { parameters?: unknown }): Promise<T>;
  hubspotWrites(): number;
}

export function useHubSpotSimulator(options: { seed?: boolean; installCatalog?: boolean } = {}): HubSpotSimContext {
  const server = setupServer();
  const env = simulatorEnv();
  const ctx = { env } as HubSpotSimContext;
  const client = () => createHubSpotClient(readConfig(hubspotConfigSchema, env), { retry: { baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {}, logger: silentLogger });

  ctx.deps = () => ({ hubspot: client(), logger: silentLogger, now: () => new Date() });
  ctx.runFunction = async (main, context = {}) => main({ parameters: context.parameters ?? {}, propertiesToSend: {}, secrets: env } as never);
  ctx.hubspotWrites = () => ctx.hubspot.simulator.calls.filter((c) => c.status < 400 && c.method !== 'GET' && !/\/(search|batch\/read)$/.test(c.path)).length;

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    ctx.hubspot = createHubSpotSimulator({ seed: options.seed ?? true, installCatalog: options.installCatalog ?? true, entities: DEMO_ENTITIES });
    server.resetHandlers(...mswHandlers(ctx.hubspot.simulator, SIM_HUBSPOT_BASE_URL));
  });
  afterAll(() => server.close());
  return ctx;
}
