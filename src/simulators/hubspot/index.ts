/**
 * The simulated HubSpot portal: a `Simulator` (routes, call log, rate limit, faults) over a
 * `HubSpotStore`. Serve it with `mswHandlers(sim.simulator, SIM_HUBSPOT_BASE_URL)` in tests or
 * `serveSimulator(sim.simulator)` in the sandbox and benchmarks.
 *
 * Two limits, as on HubSpot: `simulator.rateLimit` (the burst limit, off unless set) and
 * `simulator.searchRateLimit` (the search endpoints' own limit, HubSpot's 5 per second unless switched
 * off with `undefined` or scaled). Search calls count against both.
 */
import type { BillwerkEntity } from '../../core/config.js';
import { SIM_CREDENTIALS, DEMO_ENTITIES } from '../constants.js';
import { Simulator, type LatencyProfile, type RateLimit, type Route, type SimulatorOptions } from '../framework.js';
import { hubspotRoutes } from './routes.js';
import { HUBSPOT_SEARCH_RATE_LIMIT, SearchRateLimit } from './searchLimit.js';
import { installCatalog, seedHubSpot, type HubSpotSeed } from './seed.js';
import { HubSpotStore } from './store.js';
import { userRoutes } from './users.js';

export { HUBSPOT_SEARCH_RATE_LIMIT } from './searchLimit.js';

export { HubSpotStore } from './store.js';
export type { ApiRecord, ChangeEvent, ChangeListener, ChangeSource, PropertyChange, StoredRecord } from './store.js';
export { installCatalog, seedHubSpot, type HubSpotSeed } from './seed.js';
export { SIM_USERS, type SimUser } from './users.js';
export { HubSpotWebhookEmitter, readWebhookSubscriptions, SIM_APP_ID, SIM_PORTAL_ID, WEBHOOKS_COMPONENT } from './webhooks.js';
export type { HubSpotDeliveryRecord, HubSpotWebhookEmitterOptions, HubSpotWebhookEventBody, WebhookSubscriptionSpec } from './webhooks.js';

export interface HubSpotSimOptions {
  /** Demo companies, contacts and a signup deal (see seed.ts). */
  seed?: boolean;
  /** Create the connector's property groups and properties (default: same as `seed`). */
  installCatalog?: boolean;
  /** Entities for the catalog's Entity options and the seed (default DEMO_ENTITIES). */
  entities?: BillwerkEntity[];
  now?: () => number;
  /** Accepted private app token (default SIM_CREDENTIALS.hubspotToken). */
  token?: string;
  /** `reversed` (default) answers batch calls in reverse input order, as HubSpot may reorder. */
  batchOrder?: 'input' | 'reversed';
  /** The search limit; default HubSpot's (5 per second), `false` for none. Changeable later on `simulator.searchRateLimit`. */
  searchRateLimit?: RateLimit | false;
  /** Latency per call (default none); changeable later on `simulator.latency`. */
  latency?: LatencyProfile;
  /** How latency waits (default setTimeout); a fake clock's advance keeps unit tests instant. */
  sleep?: SimulatorOptions['sleep'];
  /** How long writes take to reach search (default 0); changeable later on `store.searchLagMs`. */
  searchLagMs?: number;
}

/** The generic simulator plus HubSpot's separate search limit. */
export class HubSpotSimulator extends Simulator {
  constructor(
    routes: Route[],
    now: () => number,
    private readonly searchLimit: SearchRateLimit,
    options: SimulatorOptions = {},
  ) {
    super('hubspot', routes, now, options);
  }

  /** Search calls allowed per window (undefined: unlimited). Searches also count against `rateLimit`. */
  get searchRateLimit(): RateLimit | undefined {
    return this.searchLimit.rateLimit;
  }

  set searchRateLimit(value: RateLimit | undefined) {
    this.searchLimit.rateLimit = value;
  }
}

export interface HubSpotSim {
  simulator: HubSpotSimulator;
  store: HubSpotStore;
  /** Ids of the demo records when created with `seed: true`. */
  seeded?: HubSpotSeed;
}

export function createHubSpotSimulator(options: HubSpotSimOptions = {}): HubSpotSim {
  const now = options.now ?? Date.now;
  const entities = options.entities ?? DEMO_ENTITIES;
  const store = new HubSpotStore(now);
  if (options.installCatalog ?? options.seed ?? false) installCatalog(store, entities);
  const seeded = options.seed ? seedHubSpot(store, entities) : undefined;
  const searchLimit = new SearchRateLimit(
    options.searchRateLimit === false ? undefined : { ...(options.searchRateLimit ?? HUBSPOT_SEARCH_RATE_LIMIT) },
  );
  const simulator = new HubSpotSimulator(
    [
      ...hubspotRoutes(store, { token: options.token ?? SIM_CREDENTIALS.hubspotToken, batchOrder: options.batchOrder, searchLimit }),
      ...userRoutes(options.token ?? SIM_CREDENTIALS.hubspotToken),
    ],
    now,
    searchLimit,
    options.sleep ? { sleep: options.sleep } : {},
  );
  simulator.latency = options.latency;
  if (options.searchLagMs) store.searchLagMs = options.searchLagMs;
  return { simulator, store, seeded };
}
