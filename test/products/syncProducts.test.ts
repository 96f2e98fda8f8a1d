import { describe, expect, it } from 'vitest';
import { PRODUCT } from '../../src/core/catalog.js';
import { readProductSyncState } from '../../src/core/productSyncState.js';
import { handleCatalogEvent, syncProducts } from '../../src/core/usecases/syncProducts.js';
import { main as triggerMain } from '../../src/functions/product-sync-trigger.js';
import { main as statusMain } from '../../src/functions/product-sync-status.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import type { StoredRecord } from '../../src/simulators/hubspot/index.js';
import { itemCount, seedCatalog, useProductSync } from './support.js';

const ROOT = DEMO_ENTITIES[0]!;

function byItem(products: StoredRecord[]): Map<string, StoredRecord[]> {
  const map = new Map<string, StoredRecord[]>();
  for (const p of products) {
    const key = `${p.properties[PRODUCT.entity]}:${p.properties[PRODUCT.itemId]}`;
    map.set(key, [...(map.get(key) ?? []), p]);
  }
  return map;
}

async function sync(ctx: ReturnType<typeof useProductSync>, options: Partial<Parameters<typeof syncProducts>[1]> = {}) {
  const outcome = await syncProducts(ctx.deps(), { trigger: 'settings', ...options });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
  return outcome.value;
}

describe('syncProducts (one entity)', () => {
  const ctx = useProductSync();

  it('creates one product per sellable item on the first sync, in batches of 100', async () => {
    seedCatalog(ctx.billwerk.catalog(), { plans: 60, variantsPerPlan: 2, components: 5, discounts: 2 });
    const summary = await sync(ctx);
    const products = ctx.hubspot.store.list('products');
    expect(products).toHaveLength(itemCount(ctx.billwerk.catalog()));
    expect(summary).toMatchObject({ created: products.length, updated: 0, archived: 0, unchanged: 0, errors: 0, complete: true });
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/batch/create')).toBe(Math.ceil(products.length / 100));
    const pro = products.find((p) => p.properties[PRODUCT.itemId] === 'x-plan-1-v1')!;
    expect(pro.properties).toMatchObject({ name: 'Plan 1 – Yearly (EUR)', price: '21', recurringbillingfrequency: 'annually', hs_sku: `BW:PV:x-plan-1-v1:${ROOT.id}` });
  });

  it('writes nothing to products when the catalog did not change', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    ctx.hubspot.simulator.resetCalls();
    const summary = await sync(ctx);
    expect(ctx.productWrites()).toBe(0);
    expect(summary).toMatchObject({ created: 0, updated: 0, archived: 0, unchanged: itemCount(ctx.billwerk.catalog()), complete: true });
  });

  it('updates exactly the product whose price changed', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    const before = new Map(ctx.hubspot.store.list('products').map((p) => [p.id, p.updatedAt]));
    ctx.billwerk.catalog().planVariants.find((v) => v.Id === 'x-plan-0-v0')!.RecurringFee = 99;
    ctx.clock.ms += 60_000;
    ctx.hubspot.simulator.resetCalls();
    const summary = await sync(ctx);
    expect(summary).toMatchObject({ created: 0, updated: 1, archived: 0 });
    expect(ctx.productWrites()).toBe(1);
    const changed = ctx.hubspot.store.list('products').filter((p) => p.updatedAt !== before.get(p.id));
    expect(changed.map((p) => [p.properties[PRODUCT.itemId], p.properties.price])).toEqual([['x-plan-0-v0', '99']]);
  });

  it('archives a hidden item, keeps the deal line item, and brings the product back when shown again', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    const product = ctx.hubspot.store.list('products').find((p) => p.properties[PRODUCT.itemId] === 'x-comp-1')!;
    const lineItem = ctx.hubspot.store.create('line_items', { hs_product_id: product.id, quantity: '3' });

    ctx.billwerk.catalog().components.find((c) => c.Id === 'x-comp-1')!.Hidden = true;
    expect(await sync(ctx)).toMatchObject({ archived: 1, created: 0, updated: 0 });
    expect(ctx.hubspot.store.list('products').some((p) => p.properties[PRODUCT.itemId] === 'x-comp-1')).toBe(false);
    const kept = ctx.hubspot.store.get('line_items', lineItem.id)!;
    expect(kept.properties).toMatchObject({ hs_product_id: product.id, hs_sku: `BW:C:x-comp-1:${ROOT.id}`, quantity: '3' });

    ctx.billwerk.catalog().components.find((c) => c.Id === 'x-comp-1')!.Hidden = false;
    expect(await sync(ctx)).toMatchObject({ created: 1, archived: 0 });
    const restored = ctx.hubspot.store.list('products').filter((p) => p.properties[PRODUCT.itemId] === 'x-comp-1');
    expect(restored).toHaveLength(1);
    expect(restored[0]!.properties.hs_sku).toBe(`BW:C:x-comp-1:${ROOT.id}`);
  });

  it('archives the variants of a hidden plan and the products of deleted items', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    ctx.billwerk.catalog().plans[0]!.Hidden = true;
    ctx.billwerk.catalog().discounts.length = 0;
    const summary = await sync(ctx);
    expect(summary.archived).toBe(3);
    const live = ctx.hubspot.store.list('products').map((p) => p.properties[PRODUCT.itemId]);
    expect(live).not.toContain('x-plan-0-v0');
    expect(live).not.toContain('x-disc-0');
    expect(live).toContain('x-plan-1-v0');
  });

  it('resumes a run cut off by its time budget without duplicating a product', async () => {
    seedCatalog(ctx.billwerk.catalog(), { plans: 125, variantsPerPlan: 2, components: 0, discounts: 0 });
    // Each create batch takes "2 seconds" on the test clock: a 5-second budget fits two of them.
    const deps = ctx.deps();
    const slowHubSpot: typeof deps.hubspot = Object.assign(Object.create(deps.hubspot) as typeof deps.hubspot, {
      batchCreate: async (...args: Parameters<typeof deps.hubspot.batchCreate>) => {
        ctx.clock.ms += 2_000;
        return deps.hubspot.batchCreate(...args);
      },
    });
    const first = await syncProducts({ ...deps, hubspot: slowHubSpot }, { trigger: 'scheduler', timeBudgetMs: 5_000 });
    expect(first.ok && first.value).toMatchObject({ complete: false, created: 200, remaining: 50 });
    expect((await readProductSyncState(deps.hubspot)).state.lastRun).toMatchObject({ complete: false, remaining: 50 });

    const second = await sync(ctx, { timeBudgetMs: 5_000 });
    expect(second).toMatchObject({ complete: true, created: 50, unchanged: 200 });
    const products = ctx.hubspot.store.list('products');
    expect(products).toHaveLength(250);
    expect([...byItem(products).values()].every((list) => list.length === 1)).toBe(true);
  });

  it('continues after HubSpot failed mid-run, without duplicates', async () => {
    seedCatalog(ctx.billwerk.catalog(), { plans: 100, variantsPerPlan: 2, components: 0, discounts: 0 });
    // The second create batch fails (creates are not retried on 5xx: the outcome is unknown).
    let creates = 0;
    ctx.hubspot.store.onChange((e) => {
      if (e.kind === 'created' && e.objectType === 'products' && ++creates === 100) ctx.hubspot.simulator.failNext(1, 500, { match: /batch\/create/ });
    });
    const first = await sync(ctx);
    expect(first).toMatchObject({ complete: false, created: 100, errors: 1 });
    expect(first.errorMessages[0]).toMatch(/next run continues/);
    const second = await sync(ctx);
    expect(second).toMatchObject({ complete: true, created: 100, unchanged: 100 });
    expect([...byItem(ctx.hubspot.store.list('products')).values()].every((list) => list.length === 1)).toBe(true);
  });

  it('archives duplicates left by an earlier race, keeping the oldest product', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    const original = ctx.hubspot.store.list('products').find((p) => p.properties[PRODUCT.itemId] === 'x-plan-0-v0')!;
    const copy = Object.fromEntries(Object.entries(original.properties).filter(([name]) => name.startsWith('billwerk_') || name === 'name'));
    ctx.hubspot.store.create('products', copy, [], { source: 'API' });
    const summary = await sync(ctx);
    expect(summary).toMatchObject({ archived: 1, created: 0 });
    expect(ctx.hubspot.store.list('products').filter((p) => p.properties[PRODUCT.itemId] === 'x-plan-0-v0').map((p) => p.id)).toEqual([original.id]);
  });

  it('leaves products alone when billwerk cannot be read', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    ctx.billwerk.failing.add(ROOT.id);
    ctx.hubspot.simulator.resetCalls();
    const summary = await sync(ctx);
    expect(ctx.productWrites()).toBe(0);
    expect(summary).toMatchObject({ complete: false, errors: 1 });
    expect(summary.errorMessages[0]).toContain(ROOT.name);
    expect(ctx.hubspot.store.list('products')).toHaveLength(itemCount(ctx.billwerk.catalog()));
  });
});

describe('syncProducts (two entities)', () => {
  const ctx = useProductSync({ entities: DEMO_ENTITIES });

  it('keeps each entity’s items apart, even with the same billwerk ids', async () => {
    const [gmbh, ag] = DEMO_ENTITIES;
    seedCatalog(ctx.billwerk.catalog(gmbh!.id), { prefix: 'x' });
    seedCatalog(ctx.billwerk.catalog(ag!.id), { prefix: 'x', plans: 1 });
    const summary = await sync(ctx);
    const products = ctx.hubspot.store.list('products');
    expect(summary.created).toBe(itemCount(ctx.billwerk.catalog(gmbh!.id)) + itemCount(ctx.billwerk.catalog(ag!.id)));
    const same = products.filter((p) => p.properties[PRODUCT.itemId] === 'x-plan-0-v0');
    expect(same.map((p) => p.properties[PRODUCT.entity]).sort()).toEqual([gmbh!.id, ag!.id].sort());
    expect(same.map((p) => p.properties.name).sort()).toEqual([`Plan 0 – Monthly 0 (EUR) · ${ag!.name}`, `Plan 0 – Monthly 0 (EUR) · ${gmbh!.name}`]);

    // Hiding the item in one entity archives only that entity's product.
    ctx.billwerk.catalog(ag!.id).planVariants[0]!.Hidden = true;
    expect(await sync(ctx)).toMatchObject({ archived: 1 });
    expect(ctx.hubspot.store.list('products').filter((p) => p.properties[PRODUCT.itemId] === 'x-plan-0-v0').map((p) => p.properties[PRODUCT.entity])).toEqual([gmbh!.id]);
  });
});

describe('syncProducts (HubSpot rejects some products)', () => {
  // The second entity was configured after setup ran: HubSpot does not know it as an Entity option.
  const ctx = useProductSync({ entities: DEMO_ENTITIES, hubspotEntities: [ROOT] });

  it('names each rejected item and still syncs the rest', async () => {
    const [gmbh, ag] = DEMO_ENTITIES;
    seedCatalog(ctx.billwerk.catalog(gmbh!.id));
    ctx.billwerk.catalog(ag!.id).discounts.push({ Id: 'ag-disc', InternalName: 'Partner', Effect: { ReductionPercent: 5 } });
    const summary = await sync(ctx);
    expect(summary).toMatchObject({ created: itemCount(ctx.billwerk.catalog(gmbh!.id)), errors: 1, complete: true });
    expect(summary.errorMessages[0]).toMatch(/^discount "Partner \(5%\) · Demo Software AG": .*billwerk_entity|was not one of the allowed options/);
    expect((await readProductSyncState(ctx.deps().hubspot)).state.lastRun?.errors).toBe(1);
  });
});

describe('syncProducts before setup', () => {
  const ctx = useProductSync({ installCatalog: false });

  it('tells the admin to run setup when the product properties do not exist', async () => {
    seedCatalog(ctx.billwerk.catalog());
    const outcome = await syncProducts(ctx.deps(), { trigger: 'settings' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problems[0]!.message).toMatch(/Run the setup on the connector settings page/);
    expect(ctx.productWrites()).toBe(0);
  });
});

describe('handleCatalogEvent', () => {
  const ctx = useProductSync();

  it('PlanVariantChanged updates exactly that product', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    ctx.billwerk.catalog().planVariants.find((v) => v.Id === 'x-plan-1-v0')!.RecurringFee = 123.45;
    ctx.hubspot.simulator.resetCalls();
    const outcome = await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantChanged', PlanVariantId: 'x-plan-1-v0', EntityId: ROOT.id });
    expect(outcome.ok && outcome.value).toMatchObject({ status: 'synced', updated: 1, created: 0, archived: 0 });
    expect(ctx.productWrites()).toBe(1);
    expect(ctx.hubspot.store.list('products').find((p) => p.properties[PRODUCT.itemId] === 'x-plan-1-v0')!.properties.price).toBe('123.45');
  });

  it('creates a new variant and archives a deleted one', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    const variants = ctx.billwerk.catalog().planVariants;
    variants.push({ ...variants[0]!, Id: 'x-plan-0-v9', InternalName: 'Quarterly', FeePeriod: { Unit: 'Month', Quantity: 3 } });
    const created = await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantCreated', PlanVariantId: 'x-plan-0-v9' });
    expect(created.ok && created.value).toMatchObject({ created: 1 });
    variants.splice(variants.findIndex((v) => v.Id === 'x-plan-0-v9'), 1);
    const deleted = await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantDeleted', PlanVariantId: 'x-plan-0-v9' });
    expect(deleted.ok && deleted.value).toMatchObject({ archived: 1 });
    expect(ctx.hubspot.store.list('products').some((p) => p.properties[PRODUCT.itemId] === 'x-plan-0-v9')).toBe(false);
  });

  it('PlanChanged renames all of the plan’s variants; a hidden plan archives them', async () => {
    seedCatalog(ctx.billwerk.catalog());
    await sync(ctx);
    ctx.billwerk.catalog().plans[0]!.Name = { _c: 'Starter' };
    const renamed = await handleCatalogEvent(ctx.deps(), { Event: 'PlanChanged', PlanId: 'x-plan-0' });
    expect(renamed.ok && renamed.value).toMatchObject({ updated: 2 });
    expect(ctx.hubspot.store.list('products').filter((p) => p.properties.name?.startsWith('Starter – ')).length).toBe(2);
    ctx.billwerk.catalog().plans[0]!.Hidden = true;
    const hidden = await handleCatalogEvent(ctx.deps(), { Event: 'PlanChanged', PlanId: 'x-plan-0' });
    expect(hidden.ok && hidden.value).toMatchObject({ archived: 2 });
  });

  it('ignores events of entities that are not configured and non-catalog events', async () => {
    const other = await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantChanged', PlanVariantId: 'x', EntityId: 'unknown' });
    expect(other.ok && other.value.status).toBe('ignored');
    const contract = await handleCatalogEvent(ctx.deps(), { Event: 'ContractChanged', ContractId: 'c1' });
    expect(contract.ok && contract.value.status).toBe('ignored');
    expect(ctx.productWrites()).toBe(0);
  });
});

describe('product sync functions', () => {
  const ctx = useProductSync();

  it('the scheduler endpoint refuses a caller without the token', async () => {
    seedCatalog(ctx.billwerk.catalog());
    const missing = await triggerMain({ method: 'POST', headers: {}, params: {}, body: {}, secrets: ctx.env });
    const wrong = await triggerMain({ method: 'POST', headers: { Authorization: 'Bearer not-the-token-0000000000000' }, body: {}, secrets: ctx.env });
    expect([missing.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(ctx.hubspot.store.list('products')).toHaveLength(0);
    expect(missing.body).not.toContain(SIM_CREDENTIALS.productSyncToken);
  });

  it('the scheduler endpoint syncs with the token (header or query) and records the run', async () => {
    seedCatalog(ctx.billwerk.catalog());
    const reply = await triggerMain({ method: 'POST', headers: { Authorization: `Bearer ${SIM_CREDENTIALS.productSyncToken}` }, body: {}, secrets: ctx.env });
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ complete: true, created: itemCount(ctx.billwerk.catalog()) });
    const again = await triggerMain({ method: 'POST', headers: {}, params: { token: SIM_CREDENTIALS.productSyncToken }, body: {}, secrets: ctx.env });
    expect(JSON.parse(again.body)).toMatchObject({ complete: true, created: 0, unchanged: itemCount(ctx.billwerk.catalog()) });

    const status = await statusMain({ parameters: {}, secrets: ctx.env });
    expect(status.ok && status.value).toMatchObject({ stale: false, state: { lastRun: { trigger: 'scheduler', complete: true } } });
    ctx.clock.ms += 13 * 3_600_000;
    const later = await statusMain({ parameters: {}, secrets: ctx.env });
    expect(later.ok && later.value.stale).toBe(true);
  });
});
