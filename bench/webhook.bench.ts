/**
 * billwerk webhook endpoint against both simulators served over real HTTP.
 *
 * - webhook.hubspot_calls / webhook.billwerk_calls: API calls one event costs, worst of the six
 *   contract event types, each carrying a real change (warm function: OAuth token and custom field
 *   mappings already cached).
 * - webhook.noop_hubspot_writes: HubSpot writes caused by replaying an event whose state is already
 *   on the deal (must be 0: no echo loops, no needless writes).
 * - webhook.burst_time_ratio: wall time of a 1,000-event month-end burst (1,000 contracts, one new
 *   invoice each) processed by 10 concurrent endpoint invocations, divided by the minimum the HubSpot
 *   limit imposes (a sliding window: floor((calls - 1) / limit) × window). The limit is HubSpot's 190 calls per 10 s with the
 *   window scaled to 2 s so the run takes seconds (a smaller window would exaggerate the share of network
 *   latency, which the pacer must add to each slot); the simulator's `X-HubSpot-RateLimit-*` and
 *   `X-Retry-After-Ms` headers carry the scaled window and the client's pacer adapts to them. The
 *   simulator's search limit (5/s) stays on; the webhook path makes no search (the owning deal is read
 *   by its unique owner value), and a search, if one came back, would raise the minimum accordingly.
 */
import type { BenchResult } from './types.js';
import { DEAL } from '../src/core/catalog.js';
import { silentLogger } from '../src/core/log.js';
import type { WebhookEvent } from '../src/core/billwerk/schemas.js';
import { main } from '../src/functions/billwerk-webhook.js';
import { overrideServices, resetServices } from '../src/functions/runtime.js';
import { createBillwerkSimulator, type BillwerkSim } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS, simulatorEnv } from '../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../src/simulators/hubspot/index.js';
import { serveSimulator, type RunningServer } from '../src/simulators/server.js';

const ENTITY = DEMO_ENTITIES[0]!.id;
const LIMIT = 190;
const WINDOW_MS = 2000;
const BURST_EVENTS = 1000;
const CONCURRENCY = 10;
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
  return Array.from({ length: count }, (_, i) => {
    const contract = r.billwerk.store.addContract({ CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.starterMonthly.Id }, ENTITY);
    const deal = r.hubspot.store.create('deals', {
      dealname: `Deal ${i}`, pipeline: 'default', dealstage: 'closedwon',
      [DEAL.contractId]: contract.Id, [DEAL.contractSynced]: 'true', [DEAL.ownedContractId]: contract.Id, [DEAL.entity]: ENTITY,
    });
    return { contractId: contract.Id, dealId: deal.id };
  });
}

/** One webhook delivery, shaped as HubSpot hands it to the endpoint function. */
async function post(r: Rig, event: WebhookEvent): Promise<number> {
  const reply = await main({ method: 'POST', headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' }, params: {}, body: event, secrets: r.env });
  if (reply.statusCode !== 200) throw new Error(`endpoint answered ${reply.statusCode} to ${event.Event}: ${reply.body}`);
  return reply.statusCode;
}

const hubspotWrites = (r: Rig) => r.hubspot.simulator.calls.filter((c) => c.method !== 'GET' && !c.path.endsWith('/search') && !c.path.endsWith('/batch/read')).length;

async function callsPerEvent(): Promise<BenchResult[]> {
  const r = await rig();
  try {
    const [warm, target] = contractsWithDeals(r, 2);
    await post(r, { Event: 'ContractChanged', ContractId: warm!.contractId, EntityId: ENTITY }); // token + mappings cached
    const id = target!.contractId;
    const store = r.billwerk.store;
    // Each step changes billwerk, then delivers the event that names the change.
    const steps: [WebhookEvent['Event'], () => void][] = [
      ['ContractCreated', () => store.setContractState(id, { Balance: 0 }, ENTITY)],
      ['OrderSucceeded', () => store.setContractState(id, { PaymentProvider: 'PayOne' }, ENTITY)],
      ['InvoiceCreated', () => store.createInvoice(id, ENTITY)],
      ['PaymentEscalated', () => { store.setContractState(id, { Balance: -119 }, ENTITY); store.escalatePayment(id, {}, ENTITY); }],
      ['PaymentEscalationReset', () => store.setContractState(id, { Balance: 0 }, ENTITY)],
      ['ContractChanged', () => store.setContractState(id, { EndDate: '2031-01-31T00:00:00.0000000Z' }, ENTITY)],
    ];
    let hubspotWorst = 0;
    let billwerkWorst = 0;
    let lastEvent: WebhookEvent | undefined;
    for (const [name, change] of steps) {
      change();
      r.billwerk.simulator.resetCalls();
      r.hubspot.simulator.resetCalls();
      lastEvent = { Event: name, ContractId: id, EntityId: ENTITY };
      await post(r, lastEvent);
      hubspotWorst = Math.max(hubspotWorst, r.hubspot.simulator.count());
      billwerkWorst = Math.max(billwerkWorst, r.billwerk.simulator.count());
    }
    r.hubspot.simulator.resetCalls();
    await post(r, lastEvent!);
    const noopWrites = hubspotWrites(r);
    return [
      { metric: 'webhook.hubspot_calls', value: hubspotWorst, unit: 'calls per event (worst event type, warm function)', target: 3 },
      { metric: 'webhook.billwerk_calls', value: billwerkWorst, unit: 'calls per event (worst event type, warm token)', target: 2 },
      { metric: 'webhook.noop_hubspot_writes', value: noopWrites, unit: 'HubSpot writes for a replayed event', target: 0 },
    ];
  } finally {
    await teardown(r);
  }
}

async function burst(): Promise<BenchResult[]> {
  const r = await rig();
  try {
    const pairs = contractsWithDeals(r, BURST_EVENTS);
    // A warm function: billwerk token and custom field mappings cached.
    await post(r, { Event: 'ContractChanged', ContractId: pairs[0]!.contractId, EntityId: ENTITY });
    // Month-end billing run: one new invoice per contract.
    const events: WebhookEvent[] = pairs.map((p) => {
      const invoice = r.billwerk.store.createInvoice(p.contractId, ENTITY);
      return { Event: 'InvoiceCreated', InvoiceId: invoice.Id, ContractId: p.contractId, CustomerId: invoice.CustomerId, EntityId: ENTITY };
    });
    r.hubspot.simulator.resetCalls();
    r.hubspot.simulator.rateLimit = { limit: LIMIT, windowMs: WINDOW_MS };

    let next = 0;
    const worker = async () => {
      while (next < events.length) await post(r, events[next++]!);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = performance.now() - started;

    const answered = r.hubspot.simulator.calls.filter((c) => c.status !== 429).length;
    const throttled = r.hubspot.simulator.calls.length - answered;
    // The search limit (on by default, HubSpot's 5/s, not scaled) would bound the burst too if any
    // search were left in the path: the minimum is the larger of the two limits' minimums.
    const searches = r.hubspot.simulator.calls.filter((c) => c.status !== 429 && c.path.endsWith('/search')).length;
    const searchLimit = r.hubspot.simulator.searchRateLimit;
    // A sliding window lets the first `limit` calls through at once: N calls need floor((N - 1) / limit) windows.
    const slidingMinimum = (calls: number, limit: number, windowMs: number) => Math.floor(Math.max(0, calls - 1) / limit) * windowMs;
    const searchMinimum = searchLimit ? slidingMinimum(searches, searchLimit.limit, searchLimit.windowMs) : 0;
    const minimum = Math.max(slidingMinimum(answered, LIMIT, WINDOW_MS), searchMinimum);
    const updated = pairs.filter((p) => r.hubspot.store.get('deals', p.dealId)!.properties[DEAL.lastInvoiceNumber]).length;
    if (updated !== BURST_EVENTS) throw new Error(`only ${updated} of ${BURST_EVENTS} deals got their invoice`);
    return [
      {
        metric: 'webhook.burst_time_ratio', value: round(elapsed / minimum, 3),
        unit: `wall time / max(floor((HubSpot calls - 1) / limit) × window, the same for searches); ${BURST_EVENTS} events, ${answered} HubSpot calls, ${searches} searches, ${throttled} 429s, ${LIMIT} req per ${WINDOW_MS} ms (HubSpot's 10 s window scaled down), search limit ${searchLimit ? `${searchLimit.limit} per ${searchLimit.windowMs} ms (on)` : 'off'}, ${CONCURRENCY} concurrent invocations, ${Math.round(elapsed)} ms`,
        target: 1.2,
      },
    ];
  } finally {
    await teardown(r);
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  return [...(await callsPerEvent()), ...(await burst())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((results) => console.log(JSON.stringify(results, null, 2)));
}
