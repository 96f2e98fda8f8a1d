/**
 * Two service replicas (each its own Fastify app and its own clients, sharing only HubSpot and
 * billwerk) receive "Apply change in billwerk" for the same deal at once, at the real latency profile:
 * billwerk commits one contract. The deal flow's own race tests (test/deal) cover more callers and
 * kinds; this one proves nothing in the service (a cache, a shared client) is what makes it hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { OPERATIONS } from '../../src/functions/operations.js';
import { buildServiceApp, type ServiceApp } from '../../src/service/app.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { SIM_USERS } from '../../src/simulators/hubspot/index.js';
import { BILLWERK_LATENCY, HUBSPOT_LATENCY } from '../../src/simulators/profiles.js';
import { addLineItems, closedWon, setDeal } from '../deal/kit.js';
import { useSimulators } from '../support/simulators.js';
import { serviceEnv, signedCardCall } from './support.js';

const ctx = useSimulators();
const ROOT = DEMO_ENTITIES[0]!.id;
const replicas: ServiceApp[] = [];
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.app.close()));
});

describe('two replicas, one deal', () => {
  it('two concurrent applies through two replicas commit one contract', async () => {
    const e = ctx.billwerk.seeded![ROOT]!;
    const dealId = ctx.hubspot.seeded!.signupDeal.id;
    addLineItems(ctx.hubspot, dealId, [
      { type: 'PlanVariant', id: e.planVariants.proMonthly.Id, entityId: ROOT, name: 'Professional monthly' },
      { type: 'Component', id: e.components.users.Id, entityId: ROOT, name: 'Additional users', quantity: 3 },
    ]);
    expect(await OPERATIONS.validate_deal.main({ parameters: { dealId }, secrets: ctx.env })).toMatchObject({ ok: true });
    setDeal(ctx.hubspot, dealId, closedWon);
    ctx.hubspot.simulator.latency = HUBSPOT_LATENCY;
    ctx.billwerk.simulator.latency = BILLWERK_LATENCY;

    replicas.push(buildServiceApp({ env: serviceEnv(ctx), logger: silentLogger }), buildServiceApp({ env: serviceEnv(ctx), logger: silentLogger }));
    const replies = await Promise.all(replicas.map((replica) => signedCardCall(replica, 'apply_deal', { dealId }, { userId: SIM_USERS.rep.id })));

    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(ctx.billwerk.store.list('contracts', ROOT)).toHaveLength(1);
    expect(replies.filter((r) => (r.body as { ok: boolean }).ok)).not.toHaveLength(0);
  }, 30_000);
});
