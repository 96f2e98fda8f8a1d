/**
 * Test support for the product sync: the HubSpot simulator behind msw with the real HubSpot client,
 * and the in-memory billwerk catalog of catalog.ts.
 */
import { setupServer } from 'msw/node';
import type { RequestHandler } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { hubspotConfigSchema, readConfig, type BillwerkEntity } from '../../src/core/config.js';
import type { Deps } from '../../src/core/deps.js';
import { createHubSpotClient } from '../../src/core/hubspot/client.js';
import { silentLogger } from '../../src/core/log.js';
import { overrideServices, resetServices } from '../../src/functions/runtime.js';
import { DEMO_ENTITIES, SIM_HUBSPOT_BASE_URL, simulatorEnv } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { mswHandlers } from '../../src/simulators/msw.js';
import { CatalogBillwerk } from './catalog.js';

export { CatalogBillwerk, generateLargeCatalog, itemCount, seedCatalog, type EntityCatalog } from './catalog.js';

export interface ProductSyncContext {
  hubspot: HubSpotSim;
  billwerk: CatalogBillwerk;
  env: Record<string, string>;
  /** Test clock: `now()` of the deps; advance with `clock.ms += n`. */
  clock: { ms: number };
  deps(overrides?: Partial<Deps>): Deps;
  /** HubSpot product writes (batch create/update/archive and single writes to products). */
  productWrites(): number;
}

const noWait = async () => {};

export function useProductSync(options: { entities?: BillwerkEntity[]; installCatalog?: boolean; hubspotEntities?: BillwerkEntity[] } = {}): ProductSyncContext {
  const entities = options.entities ?? DEMO_ENTITIES.slice(0, 1);
  const server = setupServer();
  const env = simulatorEnv();
  const ctx = { env, clock: { ms: Date.parse('2025-06-01T08:00:00Z') } } as ProductSyncContext;

  ctx.deps = (overrides = {}) => ({
    billwerk: ctx.billwerk,
    hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env), { retry: { baseDelayMs: 1, maxDelayMs: 5 }, sleep: noWait }),
    logger: silentLogger,
    now: () => new Date(ctx.clock.ms),
    ...overrides,
  });
  ctx.productWrites = () =>
    ctx.hubspot.simulator.calls.filter((c) => c.status < 400 && c.method !== 'GET' && /^\/crm\/v3\/objects\/products(\/batch\/(create|update|archive)|\/\d+)?$/.test(c.path)).length;

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    ctx.billwerk = new CatalogBillwerk(entities);
    ctx.hubspot = createHubSpotSimulator({ installCatalog: options.installCatalog ?? true, entities: options.hubspotEntities ?? entities, batchOrder: 'reversed' });
    server.resetHandlers(...(mswHandlers(ctx.hubspot.simulator, SIM_HUBSPOT_BASE_URL) as RequestHandler[]));
    overrideServices(() => {
      const deps = ctx.deps();
      return { billwerk: deps.billwerk, hubspot: deps.hubspot, logger: silentLogger, now: deps.now };
    });
  });
  afterEach(() => resetServices());
  afterAll(() => server.close());
  return ctx;
}
