/** A fresh billwerk simulator per test behind msw, and clients against it with observable waits. */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createBillwerkClient, type BillwerkClientOptions } from '../../src/core/billwerk/client.js';
import { billwerkConfigSchema, readConfig, type BillwerkConfig } from '../../src/core/config.js';
import { createBillwerkSimulator, type BillwerkSim, type BillwerkSimulatorOptions } from '../../src/simulators/billwerk/index.js';
import { SIM_BILLWERK_BASE_URL, simulatorEnv } from '../../src/simulators/constants.js';
import { mswHandlers } from '../../src/simulators/msw.js';

export const TOKEN_ROUTE = 'POST /oauth/token';

export interface BillwerkHarness {
  sim: BillwerkSim;
  server: ReturnType<typeof setupServer>;
  config: BillwerkConfig;
  /** Retry waits the client asked for (the fake sleep records instead of waiting). */
  waits: number[];
  clock: { now: number };
  client(options?: BillwerkClientOptions, config?: Partial<BillwerkConfig>): ReturnType<typeof createBillwerkClient>;
  tokenRequests(): number;
}

/** `simOptions` is evaluated per test; the simulator and the client share a fake clock. */
export function useBillwerk(simOptions: () => BillwerkSimulatorOptions = () => ({ seed: true })): BillwerkHarness {
  const server = setupServer();
  const h = { server, waits: [] as number[], clock: { now: Date.parse('2026-11-29T10:00:00Z') } } as BillwerkHarness;
  h.config = readConfig(billwerkConfigSchema, simulatorEnv());
  h.client = (options = {}, config = {}) =>
    createBillwerkClient(
      { ...h.config, ...config },
      {
        retry: { baseDelayMs: 1, maxDelayMs: 5, random: () => 0.5 },
        // Waiting is simulated: record the wait and move the shared clock, as real time would have moved.
        sleep: async (ms) => {
          h.waits.push(ms);
          h.clock.now += ms;
        },
        now: () => h.clock.now,
        ...options,
      },
    );
  h.tokenRequests = () => h.sim.simulator.count(TOKEN_ROUTE);

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    h.waits.length = 0;
    h.clock.now = Date.parse('2026-11-29T10:00:00Z');
    h.sim = createBillwerkSimulator({ now: () => h.clock.now, ...simOptions() });
    server.resetHandlers(...mswHandlers(h.sim.simulator, SIM_BILLWERK_BASE_URL));
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return h;
}
