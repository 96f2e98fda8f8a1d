/**
 * The exact bodies the connector sends to billwerk on the calls that move money or customer data:
 * order preview, order create, order commit, contract patch, customer create and customer patch.
 * (A new customer is created inline, as the `Customer` of the signup order; the connector never calls
 * `POST /customers`, which is pinned too so that a new call there shows up as a fixture diff.)
 * Each flow runs end to end against the simulators; the billwerk simulator's call log records every
 * body, and the bodies of those routes must equal test/fixtures/requestBodies/<flow>.json exactly
 * (no extra field, no missing one, the same amounts, dates and quantities).
 *
 * A deliberate change to a body: run `UPDATE_FIXTURES=1 npx vitest run test/integration/requestBodies.test.ts`
 * and review the fixture diff like code. Ids of the seeded simulators are stable; time is fixed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as applyMain } from '../../src/functions/apply-deal.js';
import { main as syncCustomerMain } from '../../src/functions/sync-customer.js';
import { main as validateMain } from '../../src/functions/validate-deal.js';
import type { CallRecord } from '../../src/simulators/framework.js';
import { addLineItems, closedWon, setDeal } from '../deal/kit.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/requestBodies');
const NOW = new Date('2026-03-02T09:30:00.000Z');

/** The billwerk routes whose bodies are pinned. */
const PINNED = [
  'POST /api/v1/customers',
  'PATCH /api/v1/customers/:id',
  'POST /api/v1/orders/preview',
  'POST /api/v1/orders',
  'POST /api/v1/orders/:id/commit',
  'PATCH /api/v1/contracts/:id',
];

interface PinnedCall {
  route: string;
  path: string;
  body: unknown;
}

/**
 * The pinned calls billwerk received, in order. billwerk ids start with the simulator's start time,
 * so each id is written as the seeded object it names (`<planVariants.proMonthly>`) or, for objects
 * the flow created, as `<new 1>`, `<new 2>`, … in order of appearance.
 */
function pinnedCalls(): PinnedCall[] {
  const names = seededIdNames();
  const created = new Map<string, string>();
  const name = (id: string) => names.get(id) ?? created.get(id) ?? created.set(id, `<new ${created.size + 1}>`).get(id)!;
  const calls = ctx.billwerk.simulator.calls
    .filter((call: CallRecord) => PINNED.includes(call.route))
    .map((call) => ({ route: call.route, path: call.path, body: call.body ?? null }));
  return JSON.parse(JSON.stringify(calls).replace(BILLWERK_ID, name)) as PinnedCall[];
}

const BILLWERK_ID = /\b[0-9a-f]{24}\b/g;

/** `id -> <path>` for every `Id` in the billwerk simulator's seed (plan variants, components, customers, ...). */
function seededIdNames(): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (value: unknown, at: string[]) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Id' && typeof child === 'string') names.set(child, `<${at.join('.')}>`);
      else walk(child, [...at, key]);
    }
  };
  for (const seed of Object.values(ctx.billwerk.seeded ?? {})) walk(seed, []);
  return names;
}

async function expectBodies(flow: string, calls: PinnedCall[]): Promise<void> {
  const file = path.join(FIXTURES, `${flow}.json`);
  if (process.env.UPDATE_FIXTURES === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`${path.relative(process.cwd(), file)} is missing; record it locally with UPDATE_FIXTURES=1`);
    await mkdir(FIXTURES, { recursive: true });
    await writeFile(file, `${JSON.stringify(calls, null, 2)}\n`);
  }
  const expected = JSON.parse(await readFile(file, 'utf8')) as PinnedCall[];
  expect(calls).toEqual(expected);
}

beforeEach(() => {
  // Only Date: the simulators' timers and the clients' retries keep real time.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

function soldItems() {
  const company = ctx.hubspot.seeded!.companies[0]!;
  const entity = ctx.billwerk.seeded![company.entityId]!;
  return {
    entityId: company.entityId,
    pro: { type: 'PlanVariant' as const, id: entity.planVariants.proMonthly.Id, entityId: company.entityId, name: 'Professional monthly' },
    users: {
      type: 'Component' as const,
      id: entity.components.users.Id,
      entityId: company.entityId,
      name: 'Additional users',
      quantity: 3,
    },
  };
}

describe('request bodies that move money or customer data', () => {
  it('signup deal: order preview, order create with the new customer, commit, contract patch (payment term)', async () => {
    const { id: dealId } = ctx.hubspot.seeded!.signupDeal;
    const { pro, users } = soldItems();
    addLineItems(ctx.hubspot, dealId, [pro, users]);
    setDeal(ctx.hubspot, dealId, { billwerk_payment_term_days: '21' });
    ctx.billwerk.simulator.resetCalls();

    expect(await ctx.runFunction(validateMain, { parameters: { dealId } })).toMatchObject({ ok: true });
    setDeal(ctx.hubspot, dealId, closedWon);
    expect(await ctx.runFunction(applyMain, { parameters: { dealId } })).toMatchObject({ ok: true });

    const calls = pinnedCalls();
    expect(calls.map((call) => call.route)).toEqual(expect.arrayContaining(['POST /api/v1/orders/preview', 'POST /api/v1/orders']));
    await expectBodies('signup-deal', calls);
  });

  it('"Sync now" on a company linked to a billwerk customer: customer patch', async () => {
    const company = ctx.hubspot.seeded!.companies[0]!;
    const billwerk = ctx.deps().billwerk.forEntity(company.entityId);
    const customer = await billwerk.createCustomer({
      CompanyName: 'Old name',
      FirstName: 'Old',
      LastName: 'Name',
      EmailAddress: 'old@example.com',
      Locale: 'de-DE',
      Address: { Street: 'Old street', HouseNumber: '1', PostalCode: '00000', City: 'Old city', Country: 'DE' },
    });
    ctx.hubspot.store.update('companies', company.id, {
      billwerk_customer_id: customer.Id,
      city: 'Augsburg',
      billwerk_vat_id: 'DE123456789',
    });
    ctx.billwerk.simulator.resetCalls();

    expect(await ctx.runFunction(syncCustomerMain, { parameters: { objectType: 'companies', objectId: company.id } })).toMatchObject({
      ok: true,
    });

    const calls = pinnedCalls();
    expect(calls.map((call) => call.route)).toContain('PATCH /api/v1/customers/:id');
    await expectBodies('sync-customer', calls);
  });
});
