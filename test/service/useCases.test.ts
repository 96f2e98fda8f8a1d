/**
 * ONE table of use-case cases, run through both backends: the app function's `main` as HubSpot
 * calls it (hosted mode) and the connector service through a signed `hubspot.fetch` request
 * (service mode). Each case asserts what the user sees (the outcome) and what was written.
 */
import { describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationUid } from '../../src/functions/operations.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { SIM_USERS } from '../../src/simulators/hubspot/index.js';
import { addLineItems, closedWon, dealProps, setDeal, type SoldItem } from '../deal/kit.js';
import { useSimulators, type SimulatorContext } from '../support/simulators.js';
import { useService } from './support.js';

const ctx = useSimulators();
const harness = useService(ctx);
const ROOT = DEMO_ENTITIES[0]!.id;

type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; problems: { message: string; field?: string }[] };

interface UseCase {
  name: string;
  uid: OperationUid;
  /** Prepares the records; returns the card's parameters. */
  arrange(ctx: SimulatorContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  assert(outcome: Outcome, ctx: SimulatorContext): void;
}

const signupDeal = (c: SimulatorContext) => c.hubspot.seeded!.signupDeal.id;
function sell(c: SimulatorContext): string {
  const e = c.billwerk.seeded![ROOT]!;
  const items: SoldItem[] = [
    { type: 'PlanVariant', id: e.planVariants.proMonthly.Id, entityId: ROOT, name: 'Professional monthly' },
    { type: 'Component', id: e.components.users.Id, entityId: ROOT, name: 'Additional users', quantity: 3 },
  ];
  addLineItems(c.hubspot, signupDeal(c), items);
  return signupDeal(c);
}
const contracts = (c: SimulatorContext) => c.billwerk.store.list('contracts', ROOT);

const CASES: UseCase[] = [
  {
    name: 'validate a signup deal: previewed in billwerk, "Successfully validated" on the deal',
    uid: 'validate_deal',
    arrange: (c) => ({ dealId: sell(c) }),
    assert: (outcome, c) => {
      expect(outcome.ok).toBe(true);
      expect(dealProps(c.hubspot, signupDeal(c)).billwerk_validation).toBe('SuccessfullyValidated');
      expect(contracts(c)).toHaveLength(0);
    },
  },
  {
    name: 'validate a deal without line items: a problem the rep can fix',
    uid: 'validate_deal',
    arrange: (c) => ({ dealId: signupDeal(c) }),
    assert: (outcome) => {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.problems.map((p) => p.message).join(' ')).toMatch(/line item/i);
    },
  },
  {
    name: 'a deal id that is no id is refused naming the field, before any call',
    uid: 'validate_deal',
    arrange: () => ({ dealId: '../deals/1' }),
    assert: (outcome, c) => {
      expect(outcome).toEqual({ ok: false, problems: [{ record: 'request', field: 'dealId', message: expect.stringMatching(/deal id/) }] });
      expect(c.billwerk.simulator.calls).toHaveLength(0);
    },
  },
  {
    name: 'apply a validated, closed-won signup deal: exactly one contract, its id on the deal',
    uid: 'apply_deal',
    arrange: async (c) => {
      const dealId = sell(c);
      const validated = (await OPERATIONS.validate_deal.main({ parameters: { dealId }, secrets: c.env })) as Outcome;
      expect(validated.ok).toBe(true);
      setDeal(c.hubspot, dealId, closedWon);
      return { dealId };
    },
    assert: (outcome, c) => {
      expect(outcome.ok).toBe(true);
      expect(contracts(c)).toHaveLength(1);
      expect(dealProps(c.hubspot, signupDeal(c)).billwerk_contract_id).toBe(contracts(c)[0]!.Id);
    },
  },
  {
    name: 'list the entities by name, never their keys',
    uid: 'list_entities',
    arrange: () => ({}),
    assert: (outcome) => {
      expect(outcome).toMatchObject({ ok: true, value: { entities: DEMO_ENTITIES.map(({ id, name }) => ({ id, name })) } });
      expect(JSON.stringify(outcome)).not.toContain(DEMO_ENTITIES[0]!.publicApiKey);
    },
  },
  {
    name: 'set an entity billwerk does not have: refused, the company keeps its entity',
    uid: 'set_entity',
    arrange: (c) => ({ objectType: 'companies', objectId: c.hubspot.seeded!.companies[0]!.id, entityId: 'no-such-entity' }),
    assert: (outcome, c) => {
      expect(outcome.ok).toBe(false);
      expect(c.hubspot.store.get('companies', c.hubspot.seeded!.companies[0]!.id)?.properties.billwerk_entity).toBe(DEMO_ENTITIES[0]!.id);
    },
  },
  {
    name: 'settings status: entities and setup state, no billwerk call',
    uid: 'settings_status',
    arrange: () => ({}),
    assert: (outcome, c) => {
      expect(outcome.ok).toBe(true);
      expect(c.billwerk.simulator.calls).toHaveLength(0);
    },
  },
];

const backends: [string, (uid: OperationUid, parameters: Record<string, unknown>) => Promise<Outcome>][] = [
  [
    'app function (HubSpot-hosted)',
    async (uid, parameters) => (await ctx.runFunction(OPERATIONS[uid].main as never, { parameters })) as Outcome,
  ],
  [
    'connector service (signed hubspot.fetch)',
    async (uid, parameters) => {
      const reply = await harness.call(uid, parameters, { userId: SIM_USERS.admin.id });
      expect(reply.status).toBe(200);
      return reply.body as Outcome;
    },
  ],
];

describe.each(backends)('through the %s', (_backend, run) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, useCase) => {
    const parameters = await useCase.arrange(ctx);
    ctx.billwerk.simulator.resetCalls();
    ctx.hubspot.simulator.resetCalls();
    useCase.assert(await run(useCase.uid, parameters), ctx);
  });
});
