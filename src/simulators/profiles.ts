/**
 * Latency profiles for the simulators (see `LatencyProfile` in framework.ts). The figures are the
 * conditions of the independent run in shared/docs/real-world-facts.md: HubSpot 80 ms per call (or
 * 20 ms plus an exponential tail with mean 40 ms), billwerk 150 ms per call and 300 ms for order
 * creation (creating and committing an order).
 */
import type { LatencyProfile } from './framework.js';

/** HubSpot at a flat 80 ms per call: what the benchmarks and race tests use. */
export const HUBSPOT_LATENCY: LatencyProfile = { default: { kind: 'fixed', ms: 80 } };

/** HubSpot with a tail: 20 ms plus exponentially distributed extra time (mean 40 ms). */
export const HUBSPOT_TAIL_LATENCY: LatencyProfile = { default: { kind: 'tail', fixedMs: 20, meanTailMs: 40 } };

/** billwerk at 150 ms per call, 300 ms to create or commit an order. */
export const BILLWERK_LATENCY: LatencyProfile = {
  default: { kind: 'fixed', ms: 150 },
  routes: {
    'POST /api/v1/orders': { kind: 'fixed', ms: 300 },
    'POST /api/v1/orders/:id/commit': { kind: 'fixed', ms: 300 },
  },
};

/** Both sides together, as `startSimulators({ latency })` in test/support/runner.ts takes them. */
export const REAL_LATENCY = { hubspot: HUBSPOT_LATENCY, billwerk: BILLWERK_LATENCY } as const;

/** The same profile with a seed, so a failing trial can be replayed with the seed it printed. */
export function seeded(profile: LatencyProfile, seed: number): LatencyProfile {
  return { ...profile, seed };
}

/** HubSpot's burst limit (the higher tier): 190 requests per rolling 10 s, per portal. */
export const HUBSPOT_RATE_LIMIT = { limit: 190, windowMs: 10_000 } as const;

/**
 * The search-index lag race tests and benchmarks run with: a write reaches search after 5 s (peers
 * report up to ~30 s, HubSpot/hubspot-api-nodejs#545; unit tests run without lag).
 */
export const REAL_SEARCH_LAG_MS = 5000;
