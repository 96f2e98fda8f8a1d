/**
 * Product sync test helpers over the shared simulator hook (test/support/simulators.ts): what the
 * billwerk simulator says belongs in the product library, what the HubSpot simulator holds, and the
 * product writes HubSpot saw. The expectations are read from billwerk's store, never hard-coded.
 */
import { PRODUCT } from '../../src/core/catalog.js';
import { startProductSync, type ProductSyncReport, type StartOptions } from '../../src/core/products/startProductSync.js';
import type { Deps } from '../../src/core/deps.js';
import type { BillwerkSim } from '../../src/simulators/billwerk/index.js';
import type { HubSpotSim, StoredRecord } from '../../src/simulators/hubspot/index.js';
import type { SimulatorContext } from '../support/simulators.js';

export const keyOf = (entityId: string, itemId: string) => `${entityId}:${itemId}`;

/**
 * `entity:itemId` of every item billwerk sells: not hidden itself, nor through its plan or plan
 * group (the guide: hidden items disappear from the HubSpot library).
 */
export function sellableKeys(billwerk: BillwerkSim, entityIds: readonly string[] = billwerk.store.entityIds): string[] {
  const { store } = billwerk;
  const keys: string[] = [];
  for (const entityId of entityIds) {
    const groups = new Map(store.list('planGroups', entityId).map((g) => [g.Id, g]));
    const plans = new Map(store.list('plans', entityId).map((p) => [p.Id, p]));
    for (const variant of store.list('planVariants', entityId)) {
      const plan = plans.get(variant.PlanId);
      const group = groups.get(variant.PlanGroupId ?? plan?.PlanGroupId ?? '');
      if (!variant.Hidden && !plan?.Hidden && !group?.Hidden) keys.push(keyOf(entityId, variant.Id));
    }
    for (const component of store.list('components', entityId)) {
      if (!component.Hidden && !groups.get(component.PlanGroupId ?? '')?.Hidden) keys.push(keyOf(entityId, component.Id));
    }
    for (const discount of store.list('discounts', entityId)) if (!discount.Hidden) keys.push(keyOf(entityId, discount.Id));
  }
  return keys.sort();
}

/** The connector's products in HubSpot's library (not archived). */
export function syncedProducts(hubspot: HubSpotSim): StoredRecord[] {
  return hubspot.store.list('products').filter((p) => p.properties[PRODUCT.itemId]);
}

export function productKeys(hubspot: HubSpotSim): string[] {
  return syncedProducts(hubspot)
    .map((p) => keyOf(p.properties[PRODUCT.entity] ?? '', p.properties[PRODUCT.itemId] ?? ''))
    .sort();
}

/** The live product of one billwerk item (undefined when there is none; throws on duplicates). */
export function productOf(hubspot: HubSpotSim, entityId: string, itemId: string): StoredRecord | undefined {
  const found = syncedProducts(hubspot).filter((p) => p.properties[PRODUCT.entity] === entityId && p.properties[PRODUCT.itemId] === itemId);
  if (found.length > 1) throw new Error(`${found.length} products for ${keyOf(entityId, itemId)}`);
  return found[0];
}

/** Successful HubSpot writes to products (batch create/update/archive and single-record writes). */
export function productWrites(hubspot: HubSpotSim): number {
  return hubspot.simulator.calls.filter(
    (c) =>
      c.status < 400 && c.method !== 'GET' && /^\/crm\/v3\/objects\/products(\/batch\/(create|update|archive|upsert)|\/\d+)?$/.test(c.path),
  ).length;
}

/** Properties of every product by id, to see afterwards which products a run touched. */
export function snapshotProducts(hubspot: HubSpotSim): Map<string, string> {
  return new Map(hubspot.store.list('products').map((p) => [p.id, JSON.stringify(p.properties)]));
}

/** Ids of products whose properties differ from the snapshot, or that are new or gone. */
export function changedProductIds(hubspot: HubSpotSim, before: Map<string, string>): string[] {
  const now = snapshotProducts(hubspot);
  const ids = new Set([...before.keys(), ...now.keys()]);
  return [...ids].filter((id) => before.get(id) !== now.get(id)).sort();
}

/** One slice (one function call's worth) of the product sync. */
export async function runSlice(
  ctx: SimulatorContext,
  options: Partial<StartOptions> = {},
  deps: Partial<Deps> = {},
): Promise<ProductSyncReport> {
  const outcome = await startProductSync(ctx.deps(deps), { trigger: 'settings', ...options });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
  return outcome.value;
}

/** Slices until the run is done (as the settings page calls again); the last report and the slice count. */
export async function runSync(
  ctx: SimulatorContext,
  options: Partial<StartOptions> = {},
  deps: Partial<Deps> = {},
): Promise<ProductSyncReport & { slices: number }> {
  for (let slices = 1; slices <= 200; slices++) {
    const report = await runSlice(ctx, options, deps);
    if (report.status === 'done') return { ...report, slices };
  }
  throw new Error('the product sync did not finish in 200 slices');
}
