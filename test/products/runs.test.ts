/**
 * The product sync under real-world conditions: concurrent triggers, search lag, a call killed at
 * any HubSpot call, catalog events while a run holds the lease, and a status that never says
 * "up to date" while the library differs from billwerk. Expectations come from billwerk's store.
 */
import { describe, expect, it } from 'vitest';
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { runWithDeadline } from '../../src/core/http/deadline.js';
import { RateLimitWaitError } from '../../src/core/hubspot/limiter.js';
import { parseCatalogChanges, PRODUCT_SYNC_CHANGES_PROPERTY, recordCatalogChange } from '../../src/core/products/catalogChanges.js';
import { handleCatalogEvent } from '../../src/core/products/catalogEvents.js';
import { PRODUCT_SYNC_LEASE_KEY, withProductSyncLease } from '../../src/core/products/productSyncLease.js';
import { productSyncStatus, startProductSync } from '../../src/core/products/startProductSync.js';
import { seedLargeCatalog } from '../../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { aroundCalls } from '../support/aroundCalls.js';
import { useSimulators } from '../support/simulators.js';
import { productKeys, productOf, runSlice, runSync, sellableKeys, syncedProducts } from './support.js';

const [ROOT] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[number]];

/** Exactly one live product per sellable item, and no other connector product. */
function expectOneProductPerItem(ctx: ReturnType<typeof useSimulators>) {
  const keys = productKeys(ctx.hubspot);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toEqual(sellableKeys(ctx.billwerk));
}

class Killed extends Error {}

/** A HubSpot client whose `n`-th call (counted across methods) dies like a killed container. */
function killedAt(hubspot: HubSpotApi, n: number): HubSpotApi {
  let calls = 0;
  return aroundCalls(hubspot, (method, _args, call) =>
    ++calls === n ? Promise.reject(new Killed(`killed at call ${n} (${method})`)) : call(),
  );
}

describe('product sync runs', () => {
  const ctx = useSimulators();

  it('a trigger that finds HubSpot\'s rate-limit window full for longer than it has left says when to call again, not "something went wrong"', async () => {
    const deps = ctx.deps();
    let calls = 0;
    // The first call (the properties read) passes; the next would wait past the call's budget.
    const saturated = aroundCalls(deps.hubspot, (_method, _args, call) =>
      ++calls > 1 ? Promise.reject(new RateLimitWaitError(4_200)) : call(),
    );
    const outcome = await startProductSync({ ...deps, hubspot: saturated }, { trigger: 'settings' });
    // Room again in 4.2 s; a fresh call needs ~0.6 s before its first batch, so it may come that much sooner.
    expect(outcome).toMatchObject({ ok: true, value: { status: 'never', retryAfterMs: 3_600 } });
    expect(outcome.ok && outcome.value.message).toMatch(/rate limit .* again in 5 s/);
    expect(productKeys(ctx.hubspot)).toEqual([]);
  });

  it("a slice that uses up HubSpot's rate-limit window still saves its progress and lets go of the run; the next calls finish it", async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 3_000, entityId: ROOT.id });
    // A small window, so the product batches use it up within one slice (a behaviour test, not a measurement).
    ctx.hubspot.simulator.rateLimit = { limit: 40, windowMs: 3_000 };
    const slice = () => runWithDeadline(2_500, () => runSlice(ctx), { reserveMs: 500 });
    // Reps' cards used a quarter of the window just before (so the slice meets a full window however slow this machine is).
    const cards = ctx.deps().hubspot;
    await Promise.all(Array.from({ length: 10 }, () => cards.listProperties('deals')));

    const first = await slice();
    expect(first).toMatchObject({ status: 'running', busy: false });
    expect(first.retryAfterMs).toBeGreaterThan(0);
    // The progress was saved although the batches had used the window up: it is what HubSpot holds, never more.
    expect(first.synced).toBeGreaterThan(0);
    expect(first.synced).toBeLessThanOrEqual(productKeys(ctx.hubspot).length);
    // The lease was released too: the next call works on the run instead of finding it busy.
    const second = await slice();
    expect(second.busy).toBe(false);
    expect(second.synced).toBeGreaterThanOrEqual(first.synced);

    let last = second;
    for (let calls = 0; last.status !== 'done' && calls < 20; calls++) {
      await new Promise((resolve) => setTimeout(resolve, last.retryAfterMs ?? 0));
      last = await slice();
    }
    expect(last).toMatchObject({ status: 'done', upToDate: true });
    expectOneProductPerItem(ctx);
    // Paced, with the reserve kept for saving and the lease: HubSpot never had to refuse a call.
    expect(ctx.hubspot.simulator.calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it('keeps every recorded change when 20 webhook calls append at once (each with its own client, as separate containers)', async () => {
    const changes = Array.from({ length: 20 }, (_, i) => ({
      entity: ROOT.id,
      kind: 'Component' as const,
      id: `component-${i}`,
      at: new Date(Date.now() - i).toISOString(),
      ref: `ref-${i}`,
    }));
    await Promise.all(changes.map((change) => recordCatalogChange(ctx.deps().hubspot, change, {})));
    const recorded = parseCatalogChanges(await ctx.deps().hubspot.getProperty('products', PRODUCT_SYNC_CHANGES_PROPERTY));
    expect(recorded.items.map((c) => c.ref).sort()).toEqual(changes.map((c) => c.ref).sort());
  });

  it('five concurrent triggers make one run: no duplicate, no generic error', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 400, entityId: ROOT.id });
    const triggers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => startProductSync(ctx.deps(), { trigger: i % 2 ? 'scheduler' : 'settings' })),
    );
    expect(triggers.every((t) => t.ok)).toBe(true);
    const reports = triggers.flatMap((t) => (t.ok ? [t.value] : []));
    expect(reports.filter((r) => !r.busy).length).toBeGreaterThanOrEqual(1);
    // Those that did not write say another call is running, with that run's figures so far.
    for (const r of reports.filter((x) => x.busy)) expect(r.upToDate).toBe(false);
    await runSync(ctx);
    expectOneProductPerItem(ctx);
  });

  it('with a 5 s search lag, repeated calls from the settings page create no duplicate', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 300, entityId: ROOT.id });
    ctx.hubspot.store.searchLagMs = 5_000;
    // Small slices: the count query of each new run sees a lagging index.
    for (let i = 0; i < 4; i++) await runSync(ctx);
    expectOneProductPerItem(ctx);
  });

  it('a call killed at any HubSpot call leaves a run the next calls finish with exactly one product per item', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 60, entityId: ROOT.id });
    const hubspot = ctx.deps().hubspot;
    // A first sync, then a change, so kills land in both a first sync and a resync (reads, writes, archives, saves).
    // Every call of a slice: properties, lease, state, count, reads, upserts, archives, saves, release.
    const victims = [...Array(14).keys()].map((i) => i + 1);
    for (const n of victims) {
      await runSlice(ctx, {}, { hubspot: killedAt(hubspot, n) }).catch((error: unknown) => {
        if (!(error instanceof Killed)) throw error;
      });
      // The killed call's lease lapses (the test clock jumps past it).
      await expireLease(ctx);
      await runSync(ctx);
      expectOneProductPerItem(ctx);
      const variant = ctx.billwerk.store.list('planVariants', ROOT.id)[n % 5]!;
      if (n % 3 === 0) ctx.billwerk.store.hidePlanVariant(variant.Id, ROOT.id);
      else ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: n + 1000 }, ROOT.id);
    }
  }, 90_000);

  it('the status never says up to date while items are missing, changed or waiting', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 700, entityId: ROOT.id });
    const first = await runSlice(ctx, { timeBudgetMs: 1 });
    expect(first.upToDate).toBe(false);
    const done = await runSync(ctx);
    expect(done.upToDate).toBe(true);
    expect((await productSyncStatus(ctx.deps())).ok && (await productSyncStatus(ctx.deps()))).toMatchObject({
      value: { upToDate: true, synced: sellableKeys(ctx.billwerk).length },
    });

    // A catalog event while another call holds the lease is recorded, answered, and shown as waiting.
    const variant = ctx.billwerk.store.list('planVariants', ROOT.id)[0]!;
    ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: 4242 }, ROOT.id);
    const hubspot = ctx.deps().hubspot;
    const during = await withProductSyncLease(hubspot, new Date(), async () => {
      const event = await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantChanged', PlanVariantId: variant.Id, EntityId: ROOT.id });
      const status = await productSyncStatus(ctx.deps());
      return { event, status };
    });
    expect(during.held && during.value.event).toMatchObject({ ok: true, value: { status: 'recorded' } });
    expect(during.held && during.value.status).toMatchObject({ ok: true, value: { upToDate: false, pendingChanges: 1 } });
    expect(productOf(ctx.hubspot, ROOT.id, variant.Id)!.properties.price).not.toBe('4242');

    // The next holder (here: the next sync call) writes it; then the library is up to date again.
    const after = await runSync(ctx);
    expect(productOf(ctx.hubspot, ROOT.id, variant.Id)!.properties.price).toBe('4242');
    expect(after).toMatchObject({ upToDate: true, pendingChanges: 0 });
  });

  it('a burst of catalog events during a run is answered at once and written in batches by the run', async () => {
    seedLargeCatalog(ctx.billwerk.store, { items: 200, entityId: ROOT.id });
    await runSync(ctx);
    const variants = ctx.billwerk.store
      .list('planVariants', ROOT.id)
      .filter((v) => productOf(ctx.hubspot, ROOT.id, v.Id))
      .slice(0, 40);
    const hubspot = ctx.deps().hubspot;
    const answers = await withProductSyncLease(hubspot, new Date(), async () => {
      const out = [];
      for (const [i, v] of variants.entries()) {
        ctx.billwerk.store.upsertPlanVariant({ Id: v.Id, PlanId: v.PlanId, RecurringFee: 900 + i }, ROOT.id);
        out.push(await handleCatalogEvent(ctx.deps(), { Event: 'PlanVariantChanged', PlanVariantId: v.Id, EntityId: ROOT.id }));
      }
      return out;
    });
    expect(answers.held && answers.value.every((a) => a.ok && a.value.status === 'recorded')).toBe(true);
    ctx.hubspot.simulator.resetCalls();
    await runSync(ctx);
    expect(variants.map((v) => productOf(ctx.hubspot, ROOT.id, v.Id)!.properties.price)).toEqual(variants.map((_, i) => String(900 + i)));
    // 40 changed items: a handful of batch calls, not one call per event.
    expect(ctx.hubspot.simulator.count('POST /crm/v3/objects/:objectType/batch/upsert')).toBeLessThanOrEqual(3);
    expect(syncedProducts(ctx.hubspot)).toHaveLength(sellableKeys(ctx.billwerk).length);
  });
});

/** Makes a lease left by a killed call expire (its record says so), as time would. */
async function expireLease(ctx: ReturnType<typeof useSimulators>): Promise<void> {
  const { LEASE, LEASE_OBJECT } = await import('../../src/core/catalog.js');
  const held = ctx.hubspot.store.findByUniqueValue(LEASE_OBJECT, LEASE.key, PRODUCT_SYNC_LEASE_KEY);
  if (held) ctx.hubspot.store.update(LEASE_OBJECT, held.id, { [LEASE.expiresAt]: new Date(0).toISOString() });
}
