/**
 * The product sync against both simulators: the billwerk simulator's catalog (two entities, seeded
 * with the demo catalog) is read through the real billwerk client, HubSpot's product library is the
 * HubSpot simulator's. Catalog changes go through the billwerk store helpers; expectations come from
 * what billwerk holds (support.ts), never from hard-coded counts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PRODUCT } from '../../src/core/catalog.js';
import { DEFAULT_RETRY } from '../../src/core/http/retry.js';
import { readProductSyncState } from '../../src/core/products/productSyncState.js';
import { startProductSync } from '../../src/core/products/startProductSync.js';
import { overrideServices } from '../../src/functions/runtime.js';
import { main as startMain } from '../../src/functions/start-product-sync.js';
import { main as statusMain } from '../../src/functions/product-sync-status.js';
import { main as triggerMain } from '../../src/functions/product-sync-trigger.js';
import { seedLargeCatalog } from '../../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import {
  changedProductIds,
  keyOf,
  productKeys,
  productOf,
  productWrites,
  runSlice,
  runSync,
  sellableKeys,
  snapshotProducts,
  syncedProducts,
} from './support.js';

const [ROOT, SECOND] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[number], (typeof DEMO_ENTITIES)[number]];
const MONTH = { Unit: 'Month', Quantity: 1 };

describe('syncProducts against the simulators', () => {
  const ctx = useSimulators();
  const demo = () => ctx.billwerk.seeded![ROOT.id]!;

  it('first sync: one product per sellable item of every entity, written in batches of 100', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 230, entityId: ROOT.id });
    const expected = sellableKeys(ctx.billwerk);
    const summary = await runSync(ctx);
    expect(productKeys(ctx.hubspot)).toEqual(expected);
    expect(summary).toMatchObject({
      created: expected.length,
      updated: 0,
      archived: 0,
      unchanged: 0,
      errors: 0,
      synced: expected.length,
      total: expected.length,
      upToDate: true,
    });
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/batch/upsert')).toBeLessThanOrEqual(
      Math.ceil(expected.length / 100) + DEMO_ENTITIES.length * 3,
    );
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/search')).toBe(1);
    expect(productOf(ctx.hubspot, ROOT.id, demo().planVariants.legacyHidden.Id)).toBeUndefined();
  });

  it('reads more than one billwerk page per list; a resync reads products by key, never by search', async () => {
    // 600 plan variants in one entity: more than billwerk's 500 per page.
    seedLargeCatalog(ctx.billwerk.store, { items: 1000, entityId: SECOND.id });
    const expected = sellableKeys(ctx.billwerk);
    await runSync(ctx);
    expect(productKeys(ctx.hubspot)).toEqual(expected);
    expect(ctx.billwerk.simulator.calls.filter((c) => c.method === 'GET' && /\/planVariants$/i.test(c.path)).length).toBeGreaterThan(
      DEMO_ENTITIES.length,
    );

    ctx.hubspot.simulator.resetCalls();
    expect(await runSync(ctx)).toMatchObject({ created: 0, archived: 0, unchanged: expected.length });
    // One count query per run; existing products are read by their unique key.
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/search')).toBe(1);
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/batch/read')).toBeGreaterThanOrEqual(
      Math.ceil(expected.length / 100),
    );
    expect(productWrites(ctx.hubspot)).toBe(0);
  });

  it('names, prices and marks products from the plan, variant and plan group billwerk returns', async () => {
    await runSync(ctx);
    const { planVariants, components, discounts } = demo();
    const pro = productOf(ctx.hubspot, ROOT.id, planVariants.proMonthly.Id)!;
    expect(pro.properties).toMatchObject({
      name: `Professional – Professional monthly (EUR) · ${ROOT.name}`,
      price: '49',
      recurringbillingfrequency: 'monthly',
      hs_recurring_billing_period: 'P1M',
      hs_sku: `BW:PV:${planVariants.proMonthly.Id}:${ROOT.id}`,
      [PRODUCT.currency]: 'EUR',
      [PRODUCT.planId]: planVariants.proMonthly.PlanId,
    });
    expect(pro.properties.description).toContain('Setup fee 99 EUR');
    // Currency comes from the plan group: the Swiss group is CHF, for variants and components alike.
    expect(productOf(ctx.hubspot, ROOT.id, planVariants.chfMonthly.Id)!.properties).toMatchObject({
      [PRODUCT.currency]: 'CHF',
      price: '59',
    });
    expect(productOf(ctx.hubspot, ROOT.id, components.chfUsers.Id)!.properties).toMatchObject({ [PRODUCT.currency]: 'CHF', price: '6' });
    expect(productOf(ctx.hubspot, ROOT.id, components.storage.Id)!.properties[PRODUCT.priceModel]).toBe('Tiered');
    expect(productOf(ctx.hubspot, ROOT.id, discounts.launch10.Id)!.properties).toMatchObject({
      price: '0',
      [PRODUCT.priceModel]: 'Percent',
    });
  });

  it('second sync of an unchanged catalog writes nothing to products', async () => {
    await runSync(ctx);
    ctx.hubspot.simulator.resetCalls();
    const summary = await runSync(ctx);
    expect(productWrites(ctx.hubspot)).toBe(0);
    expect(summary).toMatchObject({ created: 0, updated: 0, archived: 0, unchanged: sellableKeys(ctx.billwerk).length, upToDate: true });
  });

  it('a price change in billwerk updates exactly that product', async () => {
    await runSync(ctx);
    const variant = demo().planVariants.starterMonthly;
    const before = snapshotProducts(ctx.hubspot);
    ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: 21.5 }, ROOT.id);
    ctx.hubspot.simulator.resetCalls();

    expect(await runSync(ctx)).toMatchObject({ created: 0, updated: 1, archived: 0 });
    expect(productWrites(ctx.hubspot)).toBe(1);
    const product = productOf(ctx.hubspot, ROOT.id, variant.Id)!;
    expect(changedProductIds(ctx.hubspot, before)).toEqual([product.id]);
    expect(product.properties.price).toBe('21.5');
  });

  it('hide archives the product and keeps the deal line item; show brings the product back', async () => {
    await runSync(ctx);
    const users = demo().components.users;
    const product = productOf(ctx.hubspot, ROOT.id, users.Id)!;
    const dealId = ctx.hubspot.seeded!.signupDeal.id;
    const lineItem = ctx.hubspot.store.create('line_items', { hs_product_id: product.id, quantity: '3' });
    ctx.hubspot.store.associate('line_items', lineItem.id, 'deals', dealId);

    ctx.billwerk.store.hideComponent(users.Id, ROOT.id);
    expect(await runSync(ctx)).toMatchObject({ archived: 1, created: 0, updated: 0 });
    expect(productOf(ctx.hubspot, ROOT.id, users.Id)).toBeUndefined();
    expect(ctx.hubspot.store.get('line_items', lineItem.id)!.properties).toMatchObject({
      hs_product_id: product.id,
      hs_sku: `BW:C:${users.Id}:${ROOT.id}`,
      quantity: '3',
    });
    expect(ctx.hubspot.store.associations('deals', dealId, 'line_items')).toContain(lineItem.id);

    ctx.billwerk.store.upsertComponent({ Id: users.Id, Hidden: false }, ROOT.id);
    expect(await runSync(ctx)).toMatchObject({ created: 1, archived: 0 });
    expect(productOf(ctx.hubspot, ROOT.id, users.Id)!.properties).toMatchObject({ hs_sku: `BW:C:${users.Id}:${ROOT.id}`, price: '5' });
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
  });

  it('a hidden plan or plan group archives what belongs to it; a deleted item is archived too', async () => {
    await runSync(ctx);
    const { planVariants, planGroups, discounts } = demo();
    ctx.billwerk.store.hide('plans', planVariants.starterMonthly.PlanId, ROOT.id);
    ctx.billwerk.store.hide('planGroups', planGroups.chf.Id, ROOT.id);
    ctx.billwerk.store.deleteCatalogItem('discounts', discounts.launch10.Id, ROOT.id);
    const gone = productKeys(ctx.hubspot).filter((key) => !sellableKeys(ctx.billwerk).includes(key));
    expect(gone).toEqual(
      expect.arrayContaining([
        keyOf(ROOT.id, planVariants.starterMonthly.Id),
        keyOf(ROOT.id, planVariants.starterYearly.Id),
        keyOf(ROOT.id, planVariants.chfMonthly.Id),
        keyOf(ROOT.id, demo().components.chfUsers.Id),
        keyOf(ROOT.id, discounts.launch10.Id),
      ]),
    );

    expect(await runSync(ctx)).toMatchObject({ archived: gone.length, created: 0, updated: 0 });
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
  });

  it('two entities: the same billwerk ids stay two products, each read from its own entity', async () => {
    for (const [entity, fee] of [
      [ROOT, 10],
      [SECOND, 20],
    ] as const) {
      ctx.billwerk.store.upsertPlanGroup({ Id: 'shared-group', Name: { _c: 'Shared' }, Currency: 'EUR' }, entity.id);
      ctx.billwerk.store.upsertPlan({ Id: 'shared-plan', PlanGroupId: 'shared-group', Name: { _c: 'Team' } }, entity.id);
      ctx.billwerk.store.upsertPlanVariant(
        { Id: 'shared-variant', PlanId: 'shared-plan', InternalName: 'Monthly', RecurringFee: fee, FeePeriod: MONTH },
        entity.id,
      );
    }
    await runSync(ctx);
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
    expect(productOf(ctx.hubspot, ROOT.id, 'shared-variant')!.properties).toMatchObject({
      price: '10',
      name: `Team – Monthly (EUR) · ${ROOT.name}`,
    });
    expect(productOf(ctx.hubspot, SECOND.id, 'shared-variant')!.properties).toMatchObject({
      price: '20',
      name: `Team – Monthly (EUR) · ${SECOND.name}`,
    });

    ctx.billwerk.store.hidePlanVariant('shared-variant', SECOND.id);
    expect(await runSync(ctx)).toMatchObject({ archived: 1, created: 0, updated: 0 });
    expect(productOf(ctx.hubspot, SECOND.id, 'shared-variant')).toBeUndefined();
    expect(productOf(ctx.hubspot, ROOT.id, 'shared-variant')!.properties.price).toBe('10');
  });

  it('a run cut off by its time budget resumes on the next call without duplicating a product', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 5000, entityId: ROOT.id });
    const expected = sellableKeys(ctx.billwerk);
    // Each upsert batch takes "1 second" on the test clock: a 2.5-second slice fits a page or two.
    const clock = { ms: Date.now() };
    const now = () => new Date(clock.ms);
    const hubspot = ctx.deps().hubspot;
    const slowHubSpot: typeof hubspot = Object.assign(Object.create(hubspot) as typeof hubspot, {
      batchUpsert: async (...args: Parameters<typeof hubspot.batchUpsert>) => {
        clock.ms += 1_000;
        return hubspot.batchUpsert(...args);
      },
    });
    const first = await runSlice(ctx, { trigger: 'scheduler', timeBudgetMs: 2_500 }, { hubspot: slowHubSpot, now });
    expect(first.status).toBe('running');
    expect(first.synced).toBeGreaterThan(0);
    expect(first.synced).toBeLessThan(expected.length);
    expect(first.upToDate).toBe(false);
    expect((await readProductSyncState(hubspot)).state.run).toMatchObject({ phase: 'items', created: first.created });

    const rest = await runSync(ctx, { timeBudgetMs: 2_500 }, { hubspot: slowHubSpot, now });
    expect(rest.slices).toBeGreaterThan(1);
    expect(rest).toMatchObject({ status: 'done', created: expected.length, upToDate: true });
    expect(productKeys(ctx.hubspot)).toEqual(expected);
  });

  it('continues after HubSpot failed mid-run, without duplicates', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 3000, entityId: ROOT.id });
    const expected = sellableKeys(ctx.billwerk);
    // After the first batch, HubSpot fails every upsert for a while (upserts are retried: they cannot duplicate).
    let creates = 0;
    ctx.hubspot.store.onChange((e) => {
      // Enough failures that an upsert in flight exhausts its retries (several are in flight at once).
      if (e.kind === 'created' && e.objectType === 'products' && ++creates === 100)
        ctx.hubspot.simulator.failNext(40 * (DEFAULT_RETRY.retries + 1), 500, { match: /batch\/upsert/ });
    });
    const first = await runSlice(ctx);
    expect(first).toMatchObject({ status: 'running', upToDate: false });
    expect(first.message).toMatch(/next call continues/);
    const second = await runSync(ctx);
    expect(second).toMatchObject({ status: 'done', upToDate: true, synced: expected.length });
    expect(productKeys(ctx.hubspot)).toEqual(expected);
  });

  it('HubSpot itself refuses a second product for one billwerk item (unique product key)', async () => {
    await runSync(ctx);
    const variantId = demo().planVariants.proYearly.Id;
    const original = productOf(ctx.hubspot, ROOT.id, variantId)!;
    const copy = Object.fromEntries(
      Object.entries(original.properties).filter(([name]) => name.startsWith('billwerk_') || name === 'name'),
    );
    expect(() => ctx.hubspot.store.create('products', copy, [], { source: 'API' })).toThrow();
    expect(productOf(ctx.hubspot, ROOT.id, variantId)!.id).toBe(original.id);
  });

  it('leaves products alone while billwerk’s catalog cannot be read, and catches up once it can', async () => {
    await runSync(ctx);
    const rootHidden = demo().planVariants.proMonthly.Id;
    const second = ctx.billwerk.seeded![SECOND.id]!.planVariants.starterMonthly;
    ctx.billwerk.store.hidePlanVariant(rootHidden, ROOT.id);
    ctx.billwerk.store.upsertPlanVariant({ Id: second.Id, PlanId: second.PlanId, RecurringFee: 25 }, SECOND.id);
    // Every attempt (first try + the client's retries) of both entities' plan lists fails.
    ctx.billwerk.simulator.failNext(DEMO_ENTITIES.length * (DEFAULT_RETRY.retries + 1), 503, { match: /\/api\/v1\/plans$/i });

    const summary = await runSync(ctx);
    expect(summary).toMatchObject({ upToDate: false, errors: DEMO_ENTITIES.length, archived: 0, updated: 0 });
    expect(summary.errorItems.map((e) => e.label).join(' ')).toContain(ROOT.name);
    expect(productOf(ctx.hubspot, ROOT.id, rootHidden)).toBeDefined();

    expect(await runSync(ctx)).toMatchObject({ upToDate: true, archived: 1, updated: 1 });
    expect(productOf(ctx.hubspot, ROOT.id, rootHidden)).toBeUndefined();
    expect(productOf(ctx.hubspot, SECOND.id, second.Id)!.properties.price).toBe('25');
  });

  it('names each product HubSpot rejects and still syncs the rest', async () => {
    // The second entity was configured after setup ran: HubSpot does not know it as an Entity option.
    const entityProperty = ctx.hubspot.store.property('products', PRODUCT.entity)!;
    ctx.hubspot.store.updateProperty('products', PRODUCT.entity, { options: entityProperty.options.filter((o) => o.value === ROOT.id) });
    const summary = await runSync(ctx);
    expect(summary).toMatchObject({
      created: sellableKeys(ctx.billwerk, [ROOT.id]).length,
      errors: sellableKeys(ctx.billwerk, [SECOND.id]).length,
      upToDate: false,
    });
    expect(summary.errorItems[0]!.label).toMatch(new RegExp(` · ${SECOND.name}"$`));
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk, [ROOT.id]));
    expect((await readProductSyncState(ctx.deps().hubspot)).state.run?.errors).toBe(summary.errors);
  });
});

describe('syncProducts before setup', () => {
  const ctx = useSimulators({ installCatalog: false });

  it('tells the admin to run setup first when the product properties do not exist (no generic error, no 409)', async () => {
    const outcome = await startProductSync(ctx.deps(), { trigger: 'settings' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problems[0]!.message).toMatch(/Run setup first/);
    expect(productWrites(ctx.hubspot)).toBe(0);
    expect(ctx.hubspot.simulator.calls.filter((c) => c.status >= 400)).toEqual([]);
    const status = await ctx.runFunction(statusMain);
    expect(status).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/Run setup first/) }] });
  });
});

describe('product sync functions', () => {
  const ctx = useSimulators();
  const clock = { ms: 0 };
  beforeEach(() => {
    clock.ms = Date.parse('2025-06-01T08:00:00Z');
    overrideServices(() => {
      const { billwerk, hubspot, logger } = ctx.deps();
      return { billwerk, hubspot, logger, now: () => new Date(clock.ms) };
    });
  });

  it('the settings action syncs and answers with the run and the stored state', async () => {
    const reply = await ctx.runFunction(startMain);
    expect(reply).toMatchObject({
      ok: true,
      value: { trigger: 'settings', status: 'done', upToDate: true, created: sellableKeys(ctx.billwerk).length },
    });
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
  });

  it('the scheduler endpoint refuses a caller without the token', async () => {
    const missing = await triggerMain({ method: 'POST', headers: {}, params: {}, body: {}, secrets: ctx.env });
    const wrong = await triggerMain({
      method: 'POST',
      headers: { Authorization: 'Bearer not-the-token-0000000000000' },
      body: {},
      secrets: ctx.env,
    });
    expect([missing.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(syncedProducts(ctx.hubspot)).toHaveLength(0);
    expect(ctx.billwerk.simulator.calls).toHaveLength(0);
    expect(missing.body).not.toContain(SIM_CREDENTIALS.productSyncToken);
  });

  it('the scheduler endpoint syncs with the token (header or query) and the status shows when it is stale', async () => {
    const expected = sellableKeys(ctx.billwerk).length;
    const reply = await triggerMain({
      method: 'POST',
      headers: { Authorization: `Bearer ${SIM_CREDENTIALS.productSyncToken}` },
      body: {},
      secrets: ctx.env,
    });
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'done', upToDate: true, created: expected, synced: expected, total: expected });
    const again = await triggerMain({
      method: 'POST',
      headers: {},
      params: { token: SIM_CREDENTIALS.productSyncToken },
      body: {},
      secrets: ctx.env,
    });
    expect(JSON.parse(again.body)).toMatchObject({ status: 'done', created: 0, unchanged: expected });

    const status = await ctx.runFunction(statusMain);
    expect(status).toMatchObject({
      ok: true,
      value: { stale: false, upToDate: true, trigger: 'scheduler', synced: expected, total: expected },
    });
    clock.ms += 13 * 3_600_000;
    expect(await ctx.runFunction(statusMain)).toMatchObject({ ok: true, value: { stale: true } });
  });
});
