/**
 * The shared test hook: fresh seeded billwerk and HubSpot simulators for every test, served through
 * msw at their public base URLs (unhandled requests fail the test), real clients against them, and
 * a way to run a function's `main` exactly as HubSpot would call it.
 */
import { setupServer } from 'msw/node';
import type { RequestHandler } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createBillwerkClient } from '../../src/core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../../src/core/config.js';
import type { Deps } from '../../src/core/deps.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { silentLogger, type Logger } from '../../src/core/log.js';
import { overrideServices, resetServices } from '../../src/functions/runtime.js';
import { createBillwerkSimulator, type BillwerkSim } from '../../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_BILLWERK_BASE_URL, SIM_HUBSPOT_BASE_URL, simulatorEnv } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { mswHandlers } from '../../src/simulators/msw.js';

export interface SimulatorOptions {
  /** Demo catalog, customers and CRM records (default true). */
  seed?: boolean;
  /** The connector's HubSpot properties exist, as after setup (default true). */
  installCatalog?: boolean;
}

export interface SimulatorContext {
  billwerk: BillwerkSim;
  hubspot: HubSpotSim;
  /** The environment functions see (secrets of the simulators). */
  env: Record<string, string>;
  /** msw server, e.g. to add a handler for an endpoint function's public URL. */
  server: ReturnType<typeof setupServer>;
  /** Real clients against the simulators, with near-zero retry waits. */
  deps(overrides?: Partial<Deps>): Deps;
  /** Calls a function's `main` the way HubSpot does for a card. */
  runFunction<T = unknown>(
    main: (context: never) => Promise<T>,
    context?: { parameters?: unknown; propertiesToSend?: Record<string, string | null> },
  ): Promise<T>;
  /** Number of HubSpot calls that wrote (POST/PATCH/PUT/DELETE, excluding search and batch read). */
  hubspotWrites(): number;
  /** Fresh simulators now, as before every test (for several trials within one test). */
  reset(): void;
}

/** Fast retries: tests check behaviour, not waiting. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };
const noWait = async () => {};

export function useSimulators(options: SimulatorOptions = {}): SimulatorContext {
  const seed = options.seed ?? true;
  const server = setupServer();
  const env = simulatorEnv();
  const ctx = { env, server } as SimulatorContext;

  const buildDeps = (logger: Logger = silentLogger): Deps => ({
    billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env), { retry: FAST_RETRY, sleep: noWait, logger }),
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env), { retry: FAST_RETRY, sleep: noWait, logger }),
    logger,
    now: () => new Date(),
  });

  ctx.deps = (overrides = {}) => ({ ...buildDeps(), ...overrides });
  ctx.runFunction = async (main, context = {}) =>
    main({ parameters: context.parameters ?? {}, propertiesToSend: context.propertiesToSend ?? {}, secrets: env } as never);
  ctx.hubspotWrites = () =>
    ctx.hubspot.simulator.calls.filter((c) => c.status < 400 && c.method !== 'GET' && !/\/(search|batch\/read)$/.test(c.path)).length;

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  ctx.reset = () => {
    ctx.billwerk = createBillwerkSimulator({ seed });
    ctx.hubspot = createHubSpotSimulator({ seed, installCatalog: options.installCatalog ?? true, entities: DEMO_ENTITIES });
    server.resetHandlers(
      ...(mswHandlers(ctx.billwerk.simulator, SIM_BILLWERK_BASE_URL) as RequestHandler[]),
      ...(mswHandlers(ctx.hubspot.simulator, SIM_HUBSPOT_BASE_URL) as RequestHandler[]),
    );
    // Functions build their clients from the environment; point them at fresh clients per test
    // (a cached billwerk token from an earlier simulator would be unknown to this one).
    overrideServices(() => {
      const { billwerk, hubspot } = buildDeps();
      return { billwerk, hubspot, logger: silentLogger };
    });
  };
  beforeEach(() => ctx.reset());
  afterEach(() => resetServices());
  afterAll(() => server.close());
  return ctx;
}
