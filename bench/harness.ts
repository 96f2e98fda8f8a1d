/**
 * What the runner-based benchmarks share: the rig (both simulators over HTTP at HubSpot's real
 * limits and the latency profile, built bundles run by the FunctionRunner in fresh processes; see
 * docs/runner.md), the minimum time the real limits impose on a number of calls, percentiles, a
 * worker pool, and the demo signup deal made ready for validation.
 */
import { DEAL } from '../src/core/catalog.js';
import { toProductSku } from '../src/core/mappers/toProductProperties.js';
import type { BillwerkSim } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../src/simulators/constants.js';
import type { CallRecord, RateLimit } from '../src/simulators/framework.js';
import type { HubSpotSim } from '../src/simulators/hubspot/index.js';
import { HUBSPOT_RATE_LIMIT } from '../src/simulators/profiles.js';
import type { Rig } from '../src/runner/rig.js';

export { startRig, type Rig, type RigOptions } from '../src/runner/rig.js';

/**
 * A sliding window lets the first `limit` calls through at once; N calls need
 * floor((N - 1) / limit) more windows.
 */
export function slidingMinimumMs(calls: number, { limit, windowMs }: RateLimit): number {
  return Math.floor(Math.max(0, calls - 1) / limit) * windowMs;
}

/** The least time HubSpot's limits allow for these answered calls: the burst limit or the search limit, whichever binds. */
export function hubspotMinimumMs(
  calls: CallRecord[],
  searchLimit: RateLimit | undefined,
  burstLimit: RateLimit = HUBSPOT_RATE_LIMIT,
): { minimumMs: number; answered: number; searches: number; throttled: number } {
  const answered = calls.filter((c) => c.status !== 429);
  const searches = answered.filter((c) => c.path.endsWith('/search')).length;
  const minimumMs = Math.max(slidingMinimumMs(answered.length, burstLimit), searchLimit ? slidingMinimumMs(searches, searchLimit) : 0);
  return { minimumMs, answered: answered.length, searches, throttled: calls.length - answered.length };
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: number[]) => percentile(values, 50);

/** Runs `work` over a queue with `concurrency` workers; `work` may push more items (redeliveries). */
export async function drain<T>(queue: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The demo signup deal with a plan variant and a component from billwerk's demo catalog as line
 * items (products as the product sync leaves them) and a payment term: ready for validation.
 */
export function prepareSignupDeal(rig: Pick<Rig, 'billwerk' | 'hubspot'>): { dealId: string; entityId: string } {
  const entityId = DEMO_ENTITIES[0]!.id;
  const catalog = rig.billwerk.seeded![entityId]!;
  const dealId = rig.hubspot.seeded!.signupDeal.id;
  for (const [type, id, name, quantity] of [
    ['PlanVariant', catalog.planVariants.proMonthly.Id, 'Professional monthly', 1],
    ['Component', catalog.components.users.Id, 'Additional users', 3],
  ] as const) {
    const product = rig.hubspot.store.create('products', {
      name,
      price: '10',
      hs_sku: toProductSku(type, id, entityId),
      billwerk_item_type: type,
      billwerk_item_id: id,
      billwerk_entity: entityId,
    });
    rig.hubspot.store.create('line_items', { hs_product_id: product.id, quantity: String(quantity) }, [{ toType: 'deals', toId: dealId }]);
  }
  rig.hubspot.store.update('deals', dealId, { billwerk_payment_term_days: '14' });
  return { dealId, entityId };
}

type SimContract = ReturnType<BillwerkSim['store']['addContract']>;

/**
 * A billwerk contract (the demo starter plan) and the deal that owns it, as apply leaves them:
 * contract id, synced, the unique owner value, the entity; `dealProperties` adds more (e.g. its billing state).
 */
export function addOwnedContractDeal(
  sims: { billwerk: BillwerkSim; hubspot: HubSpotSim },
  spec: { entityId: string; customerId: string; name: string; dealProperties?: (contract: SimContract) => Record<string, string> },
): { contractId: string; dealId: string } {
  const plan = sims.billwerk.seeded![spec.entityId]!.planVariants.starterMonthly.Id;
  const contract = sims.billwerk.store.addContract({ CustomerId: spec.customerId, PlanVariantId: plan }, spec.entityId);
  const deal = sims.hubspot.store.create('deals', {
    dealname: spec.name,
    pipeline: 'default',
    dealstage: 'closedwon',
    [DEAL.contractId]: contract.Id,
    [DEAL.contractSynced]: 'true',
    [DEAL.ownedContractId]: contract.Id,
    [DEAL.entity]: spec.entityId,
    ...spec.dealProperties?.(contract),
  });
  return { contractId: contract.Id, dealId: deal.id };
}
