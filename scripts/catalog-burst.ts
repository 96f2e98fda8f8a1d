/**
 * Reproduces a bulk catalog change the way an admin would see it: the sandbox (functions through the
 * runner, HubSpot's 190 requests/10 s), N new billwerk items raising their catalog webhooks (the
 * simulator delivers 10 at a time, with retries), then the settings page's status against what
 * HubSpot holds. `N=300 npx tsx scripts/catalog-burst.ts` (docs/products.md "Known gap").
 */
import { startSandbox } from '../src/sandbox/sandbox.js';
import { seedLargeCatalog } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../src/simulators/constants.js';
import { productKeys, sellableKeys } from '../test/products/support.js';

const items = Number(process.env.N ?? 300);
const sandbox = await startSandbox({ port: 0, env: {}, prepareDemo: true, functions: 'runner' });
try {
  sandbox.hubspot!.simulator.rateLimit = { limit: 190, windowMs: 10_000 };
  seedLargeCatalog(sandbox.billwerk!.store, { items, entityId: DEMO_ENTITIES[0]!.id, currency: 'EUR' });
  await sandbox.billwerk!.webhooks.idle();
  const { deliveries } = sandbox.billwerk!.webhooks;
  const events = new Set(deliveries.map((d) => JSON.stringify(d.event)));
  const delivered = new Set(deliveries.filter((d) => d.ok).map((d) => JSON.stringify(d.event)));
  const wanted = sellableKeys(sandbox.billwerk!);
  const held = new Set(productKeys(sandbox.hubspot!));
  const status = await fetch(sandbox.urls.functions.replace('<uid>', 'product_sync_status'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const report = ((await status.json()) as { value?: { upToDate: boolean; pendingChanges: number } }).value;
  console.log(
    JSON.stringify(
      {
        events: events.size,
        delivered: delivered.size,
        attempts: deliveries.length,
        sellableItems: wanted.length,
        missingInHubSpot: wanted.filter((k) => !held.has(k)).length,
        statusUpToDate: report?.upToDate,
        statusPendingChanges: report?.pendingChanges,
      },
      null,
      2,
    ),
  );
} finally {
  await sandbox.close();
}
