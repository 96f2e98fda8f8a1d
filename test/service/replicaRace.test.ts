/**
 * The deal flow's race tests (test/deal/race.test.ts) through service replicas: N replicas (each its
 * own Fastify app; every call builds its own clients, with HubSpot's and billwerk's latency) receive
 * "Apply change in billwerk" for the same deal at once as signed card calls. billwerk commits one
 * order and the records end as after a single apply, for every kind of deal; the other callers are
 * told the change is running or done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { overrideServices } from '../../src/functions/runtime.js';
import { buildServiceApp, type ServiceApp } from '../../src/service/app.js';
import { SIM_USERS } from '../../src/simulators/hubspot/index.js';
import { withServiceLatency } from '../deal/latency.js';
import { expectFinalState } from '../deal/finalState.js';
import { prepare, type ScenarioKind } from '../deal/scenarios.js';
import { useSimulators } from '../support/simulators.js';
import { serviceEnv, signedCardCall } from './support.js';

const ctx = useSimulators();
const replicas: ServiceApp[] = [];
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.app.close()));
});

const KINDS: ScenarioKind[] = ['new customer', 'existing customer', 'up/downgrade'];
type Reply = { ok: true; value: { contractId: string; alreadyApplied?: boolean } } | { ok: false; problems: { message: string }[] };

describe('concurrent applies of one deal through service replicas', () => {
  for (const kind of KINDS) {
    it.each([2, 5])(
      `${kind}: %i replicas at once commit one order`,
      async (n) => {
        const scenario = await prepare(ctx, kind);
        // Every call gets clients of its own that wait like the real services (separate processes share nothing).
        overrideServices(() => ({ ...withServiceLatency(ctx.deps()), logger: silentLogger }));
        for (let i = 0; i < n; i++) replicas.push(buildServiceApp({ env: serviceEnv(ctx), logger: silentLogger }));

        const replies = await Promise.all(
          replicas.map((replica) => signedCardCall(replica, 'apply_deal', { dealId: scenario.dealId }, { userId: SIM_USERS.rep.id })),
        );

        expect(replies.map((r) => r.status)).toEqual(replicas.map(() => 200));
        const outcomes = replies.map((r) => r.body as Reply);
        const created = outcomes.filter((o) => o.ok && !o.value.alreadyApplied);
        expect(created, 'exactly one caller created it').toHaveLength(1);
        for (const o of outcomes) {
          if (!o.ok) expect(o.problems.map((p) => p.message).join(' ')).toMatch(/Another click on Apply|by another click on Apply/);
        }
        expectFinalState(ctx, scenario);
      },
      60_000,
    );
  }
});
