/**
 * The simulated HubSpot portal: a `Simulator` (routes, call log, rate limit, faults) over a
 * `HubSpotStore`. Serve it with `mswHandlers(sim.simulator, SIM_HUBSPOT_BASE_URL)` in tests or
 * `serveSimulator(sim.simulator)` in the sandbox and benchmarks.
 */
import type { BillwerkEntity } from '../../core/config.js';
import { SIM_CREDENTIALS, DEMO_ENTITIES } from '../constants.js';
import { Simulator } from '../framework.js';
import { hubspotRoutes } from './routes.js';
import { installCatalog, seedHubSpot, type HubSpotSeed } from './seed.js';
import { HubSpotStore } from './store.js';

export { HubSpotStore } from './store.js';
export type { ApiRecord, ChangeEvent, ChangeListener, ChangeSource, PropertyChange, StoredRecord } from './store.js';
export { installCatalog, seedHubSpot, type HubSpotSeed } from './seed.js';

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
}

export interface HubSpotSim {
  simulator: Simulator;
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
  const simulator = new Simulator(
    'hubspot',
    hubspotRoutes(store, { token: options.token ?? SIM_CREDENTIALS.hubspotToken, batchOrder: options.batchOrder }),
    now,
  );
  return { simulator, store, seeded };
}
