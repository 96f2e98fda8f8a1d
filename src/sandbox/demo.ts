/** Demo preparation and the product sync loop (the sandbox runs them; the workbench has buttons). */
import { toProductSku } from '../core/mappers/toProductProperties.js';
import { DEMO_ENTITIES } from '../simulators/constants.js';
import type { SandboxContext } from './context.js';

/**
 * Makes the simulated demo usable at once: products synced from the billwerk catalog, and the
 * seeded signup deal carrying a plan and a quantity component (what a rep would add as line items).
 */
export async function prepareDemo(context: SandboxContext): Promise<void> {
  const { billwerk, hubspot } = context;
  if (!billwerk?.seeded || !hubspot?.seeded) return;
  await runProductSync(context);
  const deal = hubspot.seeded.signupDeal;
  if ((await context.crm.get('deals', deal.id)).lineItems.length > 0) return;
  const entityId = hubspot.seeded.companies.find((c) => c.id === deal.companyId)?.entityId ?? DEMO_ENTITIES[0]!.id;
  const seeded = billwerk.seeded[entityId];
  if (!seeded) return;
  const products = await context.crm.products();
  const wanted = [
    { sku: toProductSku('PlanVariant', seeded.planVariants.proMonthly.Id, entityId), quantity: 1 },
    { sku: toProductSku('Component', seeded.components.users.Id, entityId), quantity: 5 },
  ];
  for (const item of wanted) {
    const product = products.find((p) => p.sku === item.sku);
    if (product) await context.crm.addLineItem(deal.id, product.id, item.quantity);
  }
  await syncDealAmount(context, deal.id);
  context.activity.add('sandbox', `Demo ready: products synced, signup deal ${deal.id} has line items`, 'ok');
}

/** HubSpot keeps a deal's amount at the sum of its line items (price × quantity); so does the sandbox. */
export async function syncDealAmount(context: Pick<SandboxContext, 'crm'>, dealId: string): Promise<string> {
  const { lineItems } = await context.crm.get('deals', dealId);
  const cents = lineItems.reduce((sum, item) => sum + Math.round(Number(item.price || 0) * 100) * Number(item.quantity || 0), 0);
  const amount = (cents / 100).toFixed(2);
  await context.crm.update('deals', dealId, { amount });
  return amount;
}

export interface ProductSyncResult {
  slices: number;
  last: unknown;
}

/** The settings page's "Start sync of products", repeated until a slice reports the run complete. */
export async function runProductSync(context: SandboxContext): Promise<ProductSyncResult> {
  let last: unknown;
  for (let slice = 1; slice <= 20; slice++) {
    last = await context.functions.runPrivate('start_product_sync', { parameters: {}, propertiesToSend: {} });
    context.activity.add('function', `start_product_sync (slice ${slice})`, isOk(last) ? 'ok' : 'failed', last);
    const run = (last as { ok?: boolean; value?: { run?: { complete?: boolean; remaining?: number } } }).value?.run;
    if (!isOk(last) || !run || run.complete || !run.remaining) return { slices: slice, last };
  }
  return { slices: 20, last };
}

export function isOk(outcome: unknown): boolean {
  return typeof outcome === 'object' && outcome !== null && (outcome as { ok?: unknown }).ok === true;
}
