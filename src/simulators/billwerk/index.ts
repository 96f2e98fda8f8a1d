/**
 * The in-memory billwerk: `createBillwerkSimulator()` wires the store (data and rules), the REST
 * routes (OAuth, entity header, paging, errors) and the webhook emitter onto the shared Simulator
 * framework. Serve `sim.simulator` with msw (tests) or `serveSimulator` (sandbox, benchmarks).
 */
import { Simulator, type LatencyProfile, type SimulatorOptions } from '../framework.js';
import { SIM_CREDENTIALS } from '../constants.js';
import { billwerkRoutes, TokenRegistry, type OAuthClient } from './routes.js';
import { seedDemoData, type BillwerkSeed } from './seed.js';
import { BillwerkStore } from './store.js';
import { BillwerkWebhookEmitter, type WebhookEmitterOptions } from './webhooks.js';

export interface BillwerkSimulatorOptions {
  /** Demo catalog and customers in every entity (default false). */
  seed?: boolean;
  /** Access token lifetime (default 3600 s). */
  tokenLifetimeSeconds?: number;
  now?: () => number;
  /** Legal entity ids, root first (default: DEMO_ENTITIES). */
  entityIds?: string[];
  /** Accepted OAuth clients (default: the simulator credentials). */
  clients?: OAuthClient[];
  webhooks?: WebhookEmitterOptions;
  /** Latency per call (default none); changeable later on `simulator.latency`. */
  latency?: LatencyProfile;
  /** How latency waits (default setTimeout); a fake clock's advance keeps unit tests instant. */
  sleep?: SimulatorOptions['sleep'];
}

export interface BillwerkSim {
  simulator: Simulator;
  store: BillwerkStore;
  webhooks: BillwerkWebhookEmitter;
  /** Issued access tokens (count, revoke all to provoke 401s). */
  tokens: TokenRegistry;
  /** Ids of the demo data per entity id, when seeded. */
  seeded?: BillwerkSeed;
}

export function createBillwerkSimulator(options: BillwerkSimulatorOptions = {}): BillwerkSim {
  const now = options.now ?? Date.now;
  const store = new BillwerkStore({ now, entityIds: options.entityIds });
  const seeded = options.seed ? seedDemoData(store) : undefined;
  // Connected after seeding: demo data is "old", it raises no webhook events.
  const webhooks = new BillwerkWebhookEmitter(options.webhooks);
  store.onEvent((event) => webhooks.publish(event));
  const tokens = new TokenRegistry(now, options.tokenLifetimeSeconds ?? 3600);
  const clients = options.clients ?? [{ clientId: SIM_CREDENTIALS.billwerkClientId, clientSecret: SIM_CREDENTIALS.billwerkClientSecret }];
  const simulator = new Simulator('billwerk', billwerkRoutes({ store, webhooks, tokens, clients }), now, {
    notFoundBody: (method, path) => ({ Message: `No HTTP resource was found that matches the request URI '${path}' (${method}).` }),
    invalidJsonBody: { Message: 'The request is invalid: the body is not valid JSON.' },
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  simulator.latency = options.latency;
  return { simulator, store, webhooks, tokens, ...(seeded ? { seeded } : {}) };
}

export { BillwerkStore, BillwerkStoreError } from './store.js';
export type { ContractStatePatch, StoredContract, StoredInvoice, StoredOrder } from './store.js';
export { BillwerkWebhookEmitter } from './webhooks.js';
export type { DeliveryRecord, PendingDelivery, WebhookAuth, WebhookSubscription } from './webhooks.js';
export { seedDemoData, seedLargeCatalog } from './seed.js';
export type { BillwerkSeed, SeededEntity } from './seed.js';
export { TokenRegistry } from './routes.js';
