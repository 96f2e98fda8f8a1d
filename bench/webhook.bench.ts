/**
 * billwerk webhook endpoint against both simulators served over real HTTP.
 *
 * - webhook.hubspot_calls / webhook.billwerk_calls: API calls one event costs, worst of the six
 *   contract event types, each carrying a real change, delivered with the payload billwerk emits
 *   (documented fields: InvoiceId, DueDate/TriggerDays ...), the customer holding 1,000 prior invoices
 *   (warm function: OAuth token and custom field mappings already cached). HubSpot calls are counted
 *   for changes without a timeline note; `webhook.hubspot_calls_with_note` is the worst change that
 *   writes one (the exactly-once check reads the deal's notes before and after writing,
 *   src/core/events/timelineNote.ts).
 * - webhook.noop_hubspot_writes: HubSpot writes caused by replaying an event whose state is already
 *   on the deal (must be 0: no echo loops, no needless writes).
 * - The month-end burst (webhook.burst_time_ratio, lost_events, p99_answer_ms) runs the built
 *   function in fresh processes under HubSpot's real limits: bench/webhook-burst.bench.ts.
 */
import { addOwnedContractDeal } from './harness.js';
import type { BenchResult } from './types.js';
import { silentLogger } from '../src/core/log.js';
import type { WebhookEvent } from '../src/core/billwerk/schemas.js';
import { main } from '../src/functions/billwerk-webhook.js';
import { overrideServices, resetServices } from '../src/functions/runtime.js';
import { createBillwerkSimulator, type BillwerkSim } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS, simulatorEnv } from '../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../src/simulators/hubspot/index.js';
import { serveSimulator, type RunningServer } from '../src/simulators/server.js';

const ENTITY = DEMO_ENTITIES[0]!.id;
const AUTHORIZATION = `Basic ${Buffer.from(`${SIM_CREDENTIALS.billwerkWebhookUser}:${SIM_CREDENTIALS.billwerkWebhookPassword}`).toString('base64')}`;

interface Rig {
  billwerk: BillwerkSim;
  hubspot: HubSpotSim;
  servers: RunningServer[];
  env: Record<string, string>;
}

async function rig(): Promise<Rig> {
  const billwerk = createBillwerkSimulator({ seed: true });
  const hubspot = createHubSpotSimulator({ seed: true, installCatalog: true });
  const servers = [await serveSimulator(billwerk.simulator), await serveSimulator(hubspot.simulator)];
  resetServices();
  overrideServices(() => ({ logger: silentLogger }));
  return { billwerk, hubspot, servers, env: simulatorEnv({ billwerk: servers[0]!.url, hubspot: servers[1]!.url }) };
}

async function teardown(r: Rig): Promise<void> {
  resetServices();
  await Promise.all(r.servers.map((s) => s.close()));
}

/** N contracts, each owned by a deal as apply leaves it (contract id, synced, unique owner value). */
function contractsWithDeals(r: Rig, count: number): { contractId: string; dealId: string }[] {
  const seed = r.billwerk.seeded![ENTITY]!;
  return Array.from({ length: count }, (_, i) =>
    addOwnedContractDeal(r, { entityId: ENTITY, customerId: seed.customers.plain.Id, name: `Deal ${i}` }),
  );
}

/** One webhook delivery, shaped as HubSpot hands it to the endpoint function. */
async function post(r: Rig, event: WebhookEvent): Promise<number> {
  const reply = await main({
    method: 'POST',
    headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
    params: {},
    body: event,
    secrets: r.env,
  });
  if (reply.statusCode !== 200) throw new Error(`endpoint answered ${reply.statusCode} to ${event.Event}: ${reply.body}`);
  return reply.statusCode;
}

const hubspotWrites = (r: Rig) =>
  r.hubspot.simulator.calls.filter((c) => c.method !== 'GET' && !c.path.endsWith('/search') && !c.path.endsWith('/batch/read')).length;

async function callsPerEvent(): Promise<BenchResult[]> {
  const r = await rig();
  try {
    const [warm, target] = contractsWithDeals(r, 2);
    await post(r, { Event: 'ContractChanged', ContractId: warm!.contractId, EntityId: ENTITY }); // token + mappings cached
    const id = target!.contractId;
    const store = r.billwerk.store;
    for (let i = 0; i < 1000; i++) store.createInvoice(id, ENTITY); // invoice history InvoiceCreated must not page through
    await post(r, { Event: 'ContractChanged', ContractId: id, EntityId: ENTITY });
    // Each step changes billwerk, then delivers the event that names the change.
    const steps: [WebhookEvent['Event'], () => void][] = [
      ['ContractCreated', () => store.setContractState(id, { Balance: 0 }, ENTITY)],
      ['OrderSucceeded', () => store.setContractState(id, { PaymentProvider: 'PayOne' }, ENTITY)],
      ['InvoiceCreated', () => store.createInvoice(id, ENTITY)],
      [
        'PaymentEscalated',
        () => {
          store.setContractState(id, { Balance: -119 }, ENTITY);
          store.escalatePayment(id, {}, ENTITY);
        },
      ],
      ['PaymentEscalationReset', () => store.setContractState(id, { Balance: 0 }, ENTITY)],
      ['ContractChanged', () => store.setContractState(id, { EndDate: '2031-01-31T00:00:00.0000000Z' }, ENTITY)],
    ];
    let hubspotWorst = 0;
    let hubspotWithNote = 0;
    let billwerkWorst = 0;
    let lastEvent: WebhookEvent | undefined;
    for (const [name, change] of steps) {
      const before = r.billwerk.webhooks.emitted.length;
      change();
      r.billwerk.simulator.resetCalls();
      r.hubspot.simulator.resetCalls();
      // The payload billwerk sends for this change (its documented fields), else the minimal one.
      lastEvent = r.billwerk.webhooks.emitted.slice(before).find((e) => e.Event === name) ?? {
        Event: name,
        ContractId: id,
        EntityId: ENTITY,
      };
      await post(r, lastEvent);
      const wroteNote = r.hubspot.simulator.calls.some((c) => c.method === 'POST' && /objects\/notes$/.test(c.path));
      if (wroteNote) hubspotWithNote = Math.max(hubspotWithNote, r.hubspot.simulator.count());
      else hubspotWorst = Math.max(hubspotWorst, r.hubspot.simulator.count());
      billwerkWorst = Math.max(billwerkWorst, r.billwerk.simulator.count());
    }
    r.hubspot.simulator.resetCalls();
    await post(r, lastEvent!);
    const noopWrites = hubspotWrites(r);
    return [
      {
        metric: 'webhook.hubspot_calls',
        value: hubspotWorst,
        unit: 'calls per event without a timeline note (worst event type, warm function)',
        target: 3,
      },
      {
        metric: 'webhook.hubspot_calls_with_note',
        value: hubspotWithNote,
        unit: 'calls per event that writes a timeline note, exactly once (deal read, notes read before and after, note, deal update)',
        target: 6,
      },
      {
        metric: 'webhook.billwerk_calls',
        value: billwerkWorst,
        unit: 'calls per event (worst event type incl. InvoiceCreated with 1,000 prior invoices, warm token)',
        target: 2,
      },
      { metric: 'webhook.noop_hubspot_writes', value: noopWrites, unit: 'HubSpot writes for a replayed event', target: 0 },
    ];
  } finally {
    await teardown(r);
  }
}

export async function run(): Promise<BenchResult[]> {
  return callsPerEvent();
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
