/**
 * Calls per deal operation, over real HTTP against both simulators, with the billwerk token already
 * cached (a warm function container): the signup deal of the demo seed with a plan variant and a
 * component from billwerk's demo catalog, validated, moved to Closed won and applied.
 * - validate.hubspot_calls / validate.billwerk_calls
 * - apply.hubspot_calls / apply.billwerk_calls
 * The custom field mappings cache is NOT warmed: applies are rare, so a real apply usually loads them
 * (1 HubSpot call, 0 when the container loaded them in the last minute). What each call is for, and
 * why apply stays above its target: docs/deal-flow.md.
 */
import { createBillwerkClient } from '../src/core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig } from '../src/core/config.js';
import type { Deps } from '../src/core/deps.js';
import { createHubSpotClient } from '../src/core/hubspot/client.js';
import { silentLogger } from '../src/core/log.js';
import { toProductSku } from '../src/core/mappers/toProductProperties.js';
import { applyDeal } from '../src/core/deal/applyDeal.js';
import { validateDeal } from '../src/core/deal/validateDeal.js';
import { createBillwerkSimulator } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, simulatorEnv } from '../src/simulators/constants.js';
import type { Simulator } from '../src/simulators/framework.js';
import { createHubSpotSimulator } from '../src/simulators/hubspot/index.js';
import { serveSimulator } from '../src/simulators/server.js';
import type { BenchResult } from './types.js';

/** API calls, not the OAuth token request (the token is cached in a warm container). */
const apiCalls = (sim: Simulator) => sim.calls.filter((c) => !c.path.startsWith('/oauth/')).length;

export async function run(): Promise<BenchResult[]> {
  const billwerk = createBillwerkSimulator({ seed: true });
  const hubspot = createHubSpotSimulator({ seed: true, installCatalog: true, entities: DEMO_ENTITIES });
  const [billwerkServer, hubspotServer] = await Promise.all([serveSimulator(billwerk.simulator), serveSimulator(hubspot.simulator)]);
  try {
    const env = simulatorEnv({ billwerk: billwerkServer.url, hubspot: hubspotServer.url });
    const deps: Deps = {
      billwerk: createBillwerkClient(readConfig(billwerkConfigSchema, env)),
      hubspot: createHubSpotClient(readConfig(hubspotConfigSchema, env)),
      logger: silentLogger,
      now: () => new Date(),
    };
    const root = DEMO_ENTITIES[0]!.id;
    const catalog = billwerk.seeded![root]!;
    const dealId = hubspot.seeded!.signupDeal.id;
    for (const [type, id, name, quantity] of [
      ['PlanVariant', catalog.planVariants.proMonthly.Id, 'Professional monthly', 1],
      ['Component', catalog.components.users.Id, 'Additional users', 3],
    ] as const) {
      const product = hubspot.store.create('products', {
        name, price: '10', hs_sku: toProductSku(type, id, root), billwerk_item_type: type, billwerk_item_id: id, billwerk_entity: root,
      });
      hubspot.store.create('line_items', { hs_product_id: product.id, quantity: String(quantity) }, [{ toType: 'deals', toId: dealId }]);
    }
    hubspot.store.update('deals', dealId, { billwerk_payment_term_days: '14' });

    await deps.billwerk.forEntity(root).listPlanGroups(); // warm: fetch and cache the token
    const reset = () => { billwerk.simulator.resetCalls(); hubspot.simulator.resetCalls(); };

    reset();
    const validated = await validateDeal(deps, { dealId, environment: 'sandbox' });
    if (!validated.ok) throw new Error(`validation failed: ${JSON.stringify(validated.problems)}`);
    const validate = { hubspot: apiCalls(hubspot.simulator), billwerk: apiCalls(billwerk.simulator) };

    hubspot.store.update('deals', dealId, { dealstage: 'closedwon' });
    reset();
    const applied = await applyDeal(deps, { dealId, environment: 'sandbox' });
    if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied.problems)}`);
    const apply = { hubspot: apiCalls(hubspot.simulator), billwerk: apiCalls(billwerk.simulator) };

    return [
      { metric: 'validate.hubspot_calls', value: validate.hubspot, unit: 'calls', target: 5 },
      { metric: 'validate.billwerk_calls', value: validate.billwerk, unit: 'calls', target: 2 },
      { metric: 'apply.hubspot_calls', value: apply.hubspot, unit: 'calls', target: 8 },
      { metric: 'apply.billwerk_calls', value: apply.billwerk, unit: 'calls', target: 4 },
    ];
  } finally {
    await Promise.all([billwerkServer.close(), hubspotServer.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (results) => console.log(JSON.stringify(results, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
