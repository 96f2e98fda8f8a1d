/**
 * A HubSpot simulator served through msw plus a client pointed at it. Retries sleep on a fake
 * clock (waits are recorded, not slept), so fault tests run in milliseconds.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHubSpotClient, type HubSpotClientOptions } from '../../src/core/hubspot/client.js';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import type { Logger } from '../../src/core/log.js';
import { SIM_CREDENTIALS, SIM_HUBSPOT_BASE_URL } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim, type HubSpotSimOptions } from '../../src/simulators/hubspot/index.js';
import { mswHandlers } from '../../src/simulators/msw.js';

export interface Harness {
  sim: HubSpotSim;
  hubspot: HubSpotApi;
  /** Every wait the client asked for (retry backoff, Retry-After). */
  sleeps: number[];
  logs: { level: string; message: string; context?: Record<string, unknown> }[];
  client(options?: HubSpotClientOptions & { token?: string }): HubSpotApi;
}

/** Starts msw for the file; `reset()` in beforeEach gives each test a fresh portal. */
export function useHubSpot(simOptions: HubSpotSimOptions = {}) {
  let current: HubSpotSim = createHubSpotSimulator(simOptions);
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  return {
    /** A fresh simulator and client; call in beforeEach. */
    reset(options: HubSpotSimOptions = simOptions): Harness {
      current = createHubSpotSimulator(options);
      server.resetHandlers(...mswHandlers(current.simulator, SIM_HUBSPOT_BASE_URL));
      const sleeps: number[] = [];
      const logs: Harness['logs'] = [];
      const logger: Logger = {
        info: (message, context) => logs.push({ level: 'info', message, context }),
        warn: (message, context) => logs.push({ level: 'warn', message, context }),
        error: (message, context) => logs.push({ level: 'error', message, context }),
      };
      const client = (opts: HubSpotClientOptions & { token?: string } = {}) =>
        createHubSpotClient(
          { PRIVATE_APP_ACCESS_TOKEN: opts.token ?? SIM_CREDENTIALS.hubspotToken, HUBSPOT_API_BASE_URL: SIM_HUBSPOT_BASE_URL },
          { logger, sleep: async (ms) => void sleeps.push(ms), ...opts },
        );
      return { sim: current, hubspot: client(), sleeps, logs, client };
    },
  };
}

/**
 * A clock that only moves when someone sleeps. Each sleep also yields to the event loop, so answers
 * in flight (msw) arrive while a pacer waits; waiting therefore never takes real time.
 */
export function fakeClock() {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

/** The most timestamps (sorted) inside any window of `windowMs`. */
export function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
