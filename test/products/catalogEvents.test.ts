/**
 * billwerk catalog events end to end: a change in the billwerk simulator's catalog raises its event,
 * the simulator's webhook emitter POSTs it to the billwerk webhook endpoint function (served by msw
 * at its public URL, handed to `main` as HubSpot would), and the function syncs just the items the
 * event names into the HubSpot simulator's product library.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../src/core/http/retry.js';
import { markWritten, pendingChanges } from '../../src/core/products/catalogChanges.js';
import { CATALOG_EVENTS } from '../../src/core/products/syncProducts.js';
import { main } from '../../src/functions/billwerk-webhook.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { endpointHandler } from '../support/endpoint.js';
import { useSimulators } from '../support/simulators.js';
import { changedProductIds, productKeys, productOf, productWrites, runSync, sellableKeys, snapshotProducts } from './support.js';

const WEBHOOK_URL = 'https://portal.example.com/hs/serverless/billwerk/events';
const AUTH = { type: 'basic' as const, user: SIM_CREDENTIALS.billwerkWebhookUser, password: SIM_CREDENTIALS.billwerkWebhookPassword };
const [ROOT, SECOND] = DEMO_ENTITIES as [(typeof DEMO_ENTITIES)[number], (typeof DEMO_ENTITIES)[number]];
const MONTH = { Unit: 'Month', Quantity: 1 };

const ctx = useSimulators();
const demo = (entityId = ROOT.id) => ctx.billwerk.seeded![entityId]!;

/** Delivers every queued event; the endpoint's final answer per event. */
async function deliver(): Promise<{ event: string; status: number }[]> {
  return (await ctx.billwerk.webhooks.deliverAll()).map((r) => ({ event: r.event.Event, status: r.status }));
}

beforeEach(async () => {
  // The library is in step with billwerk (a full sync ran); from now on billwerk reports changes.
  await runSync(ctx);
  ctx.billwerk.webhooks.mode = 'queue';
  ctx.billwerk.webhooks.subscribe({ url: WEBHOOK_URL, events: [...CATALOG_EVENTS], auth: AUTH });
  ctx.server.use(endpointHandler(WEBHOOK_URL, main, ctx.env));
  ctx.hubspot.simulator.resetCalls();
});

describe('billwerk catalog events reach the product library through the webhook endpoint', () => {
  it('PlanVariantChanged updates exactly that product', async () => {
    const variant = demo().planVariants.proYearly;
    const before = snapshotProducts(ctx.hubspot);
    ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: 470 }, ROOT.id);

    expect(await deliver()).toEqual([{ event: 'PlanVariantChanged', status: 200 }]);
    const product = productOf(ctx.hubspot, ROOT.id, variant.Id)!;
    expect(changedProductIds(ctx.hubspot, before)).toEqual([product.id]);
    expect(product.properties.price).toBe('470');
    expect(productWrites(ctx.hubspot)).toBe(1);
  });

  it('the same event delivered again writes nothing', async () => {
    const variant = demo().planVariants.proYearly;
    ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: 470 }, ROOT.id);
    const [event] = ctx.billwerk.webhooks.pending().map((p) => p.event);
    await deliver();
    ctx.hubspot.simulator.resetCalls();

    ctx.billwerk.webhooks.publish(event!);
    expect(await deliver()).toEqual([{ event: 'PlanVariantChanged', status: 200 }]);
    expect(productWrites(ctx.hubspot)).toBe(0);
  });

  it('a new plan variant appears, a hidden one disappears and comes back, a deleted one is archived', async () => {
    const planId = demo().planVariants.starterMonthly.PlanId;
    const added = ctx.billwerk.store.upsertPlanVariant(
      { PlanId: planId, InternalName: 'Starter quarterly', RecurringFee: 55, FeePeriod: { Unit: 'Month', Quantity: 3 } },
      ROOT.id,
    );
    expect(await deliver()).toEqual([{ event: 'PlanVariantCreated', status: 200 }]);
    expect(productOf(ctx.hubspot, ROOT.id, added.Id)!.properties).toMatchObject({ price: '55', recurringbillingfrequency: 'quarterly' });

    ctx.billwerk.store.hidePlanVariant(added.Id, ROOT.id);
    expect(await deliver()).toEqual([{ event: 'PlanVariantChanged', status: 200 }]);
    expect(productOf(ctx.hubspot, ROOT.id, added.Id)).toBeUndefined();

    ctx.billwerk.store.upsertPlanVariant({ Id: added.Id, PlanId: planId, Hidden: false }, ROOT.id);
    await deliver();
    expect(productOf(ctx.hubspot, ROOT.id, added.Id)).toBeDefined();

    ctx.billwerk.store.deleteCatalogItem('planVariants', added.Id, ROOT.id);
    expect(await deliver()).toEqual([{ event: 'PlanVariantDeleted', status: 200 }]);
    expect(productOf(ctx.hubspot, ROOT.id, added.Id)).toBeUndefined();
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
  });

  it('PlanChanged renames every variant of the plan and only those; hiding the plan archives them', async () => {
    const { starterMonthly, starterYearly } = demo().planVariants;
    const before = snapshotProducts(ctx.hubspot);
    ctx.billwerk.store.upsertPlan({ Id: starterMonthly.PlanId, Name: { _c: 'Basic' } }, ROOT.id);
    expect(await deliver()).toEqual([{ event: 'PlanChanged', status: 200 }]);
    const renamed = [productOf(ctx.hubspot, ROOT.id, starterMonthly.Id)!, productOf(ctx.hubspot, ROOT.id, starterYearly.Id)!];
    expect(renamed.map((p) => p.properties.name)).toEqual([
      `Basic – Starter monthly (EUR) · ${ROOT.name}`,
      `Basic – Starter yearly (EUR) · ${ROOT.name}`,
    ]);
    expect(changedProductIds(ctx.hubspot, before)).toEqual(renamed.map((p) => p.id).sort());

    ctx.billwerk.store.hide('plans', starterMonthly.PlanId, ROOT.id);
    await deliver();
    expect(productOf(ctx.hubspot, ROOT.id, starterMonthly.Id)).toBeUndefined();
    expect(productOf(ctx.hubspot, ROOT.id, starterYearly.Id)).toBeUndefined();
    expect(productKeys(ctx.hubspot)).toEqual(sellableKeys(ctx.billwerk));
  });

  it('a component event of the second entity changes only that entity’s product', async () => {
    const users = demo(SECOND.id).components.users;
    const before = snapshotProducts(ctx.hubspot);
    ctx.billwerk.store.upsertComponent({ Id: users.Id, PricePerUnit: 7.5, FeePeriod: MONTH }, SECOND.id);
    expect(await deliver()).toEqual([{ event: 'ComponentChanged', status: 200 }]);
    const product = productOf(ctx.hubspot, SECOND.id, users.Id)!;
    expect(product.properties.price).toBe('7.5');
    expect(changedProductIds(ctx.hubspot, before)).toEqual([product.id]);
  });

  it('HubSpot failing answers 503; billwerk’s redelivery brings the product in line', async () => {
    const variant = demo().planVariants.starterYearly;
    ctx.billwerk.store.upsertPlanVariant({ Id: variant.Id, PlanId: variant.PlanId, RecurringFee: 199 }, ROOT.id);
    // Every attempt of the HubSpot client (first try + its retries) during the first delivery fails.
    ctx.hubspot.simulator.failNext(DEFAULT_RETRY.retries + 1, 503, { match: /\/products\/batch\/upsert$/ });

    expect(await deliver()).toEqual([{ event: 'PlanVariantChanged', status: 200 }]);
    expect(ctx.billwerk.webhooks.deliveries.map((d) => d.status)).toEqual([503, 200]);
    expect(productOf(ctx.hubspot, ROOT.id, variant.Id)!.properties.price).toBe('199');
  });
});

describe('which recorded catalog changes count as written', () => {
  const at = (msBeforeRead: number, readAt: number) => new Date(readAt - msBeforeRead).toISOString();
  const change = (ref: string, atIso: string) => ({ entity: 'e', kind: 'Component' as const, id: ref, at: atIso, ref });

  it('a change appended after the holder read the list stays pending, even with an older `at` than one it wrote', () => {
    const readAt = Date.parse('2026-12-01T10:00:00Z');
    const seen = change('a', at(1_000, readAt));
    const list = { items: [seen] };
    const mark = markWritten({}, list, [seen], readAt);
    // Appended after the read by a webhook call that started 3 s before it (calls append in another order than they start).
    const late = change('b', at(3_000, readAt));
    const afterAppend = { items: [seen, late] };
    expect(pendingChanges(afterAppend, mark).items.map((c) => c.ref)).toEqual(['b']);
    // The next holder writes it; nothing is left pending, and entries from before the margin need no refs.
    const nextReadAt = readAt + 60_000;
    const next = markWritten(mark, afterAppend, [late], nextReadAt);
    expect(pendingChanges(afterAppend, next).items).toEqual([]);
    expect(next.refs).toEqual([]);
  });

  it('the mark never moves back, and keeps the refs it wrote inside the margin', () => {
    const readAt = Date.parse('2026-12-01T10:00:00Z');
    const recent = change('c', at(2_000, readAt));
    const mark = markWritten({ upTo: at(-60_000, readAt) }, { items: [recent] }, [recent], readAt);
    expect(mark.upTo).toBe(at(-60_000, readAt));
    expect(pendingChanges({ items: [recent] }, mark).items).toEqual([]);
  });
});
