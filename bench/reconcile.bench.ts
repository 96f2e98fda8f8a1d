/**
 * The reconciliation sweep through the function runner (docs/runner.md): the BUILT `reconcile-trigger`
 * endpoint function (POST /billwerk/reconcile, token PRODUCT_SYNC_TOKEN) called like an outside
 * scheduler, each call a fresh process with the 10 s limit, again while it answers `complete: false`.
 * Both simulators over HTTP at HubSpot's real 190 requests/10 s and 5 searches/s, the latency profile
 * (80 ms HubSpot, 150 ms billwerk) and the 5 s search lag.
 *
 * Seeded straight into the simulator stores (fast, no API): N owned contracts with their deals and N
 * billwerk customers with a linked company and contact, all in sync; then a drift with every webhook
 * dropped: a quarter of the contracts billed (new invoice) and a tenth of those cancelled in billwerk,
 * a quarter of the companies edited in HubSpot after their last sync. The sweep is a first, full one:
 * every owned deal and every linked company and contact is checked.
 *
 * - reconcile.records_per_minute: records checked (deals + companies + contacts) per minute of sweep.
 * - reconcile.scheduler_calls: trigger calls the measured sweep needed.
 * - reconcile.scheduler_calls_10k: the same for 5,000 + 5,000, extrapolated from the measured calls per record.
 * - reconcile.drift_after_sweep: deals, companies and contacts that still differ from billwerk (target 0).
 *
 * BENCH_RECONCILE_RECORDS sets N (default 100, ~4 min: 400 + 400 took 13 min on 2 busy cores, at ~93
 * records per minute 5,000 + 5,000 would take ~2.7 h).
 */
import { cpus, loadavg } from 'node:os';
import { COMPANY, CONTACT } from '../src/core/catalog.js';
import { customerDiffers } from '../src/core/customer/syncCustomer.js';
import { toCustomerFromCompany, toCustomerFromContact } from '../src/core/customer/toBillwerkCustomer.js';
import { changedBillingProperties, toDealBillingProperties } from '../src/core/mappers/toDealBillingProperties.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../src/simulators/constants.js';
import { REAL_SEARCH_LAG_MS } from '../src/simulators/profiles.js';
import { addOwnedContractDeal, hubspotMinimumMs, percentile, round, startRig, type Rig } from './harness.js';
import type { BenchResult } from './types.js';

const ENTITY = DEMO_ENTITIES[0]!.id;
const RECORDS = Number(process.env.BENCH_RECONCILE_RECORDS ?? 100);
const FULL_RECORDS = 5000;
const MAX_CALLS = 2000;
/**
 * 5,000 + 5,000 (15,000 records with the contacts) at ~2 HubSpot calls each is ~30,000 calls, ~26 min at
 * 190/10 s; slices of ~6 s (5 s budget + process start) make ~260 calls. The measured run's target is scaled.
 */
const SCHEDULER_CALLS_10K_TARGET = 300;

interface Slice {
  complete: boolean;
  phase: string;
  checked: number;
  changed: number;
  failed: number;
}

interface Seeded {
  deals: { dealId: string; contractId: string }[];
  customers: { companyId: string; contactId: string; customerId: string }[];
}

/** Everything in sync, as webhooks and earlier syncs would leave it. */
function seedInSync(rig: Rig): Seeded {
  const { billwerk, hubspot } = rig;
  const seeded: Seeded = { deals: [], customers: [] };
  for (let i = 0; i < RECORDS; i++) {
    const customer = billwerk.store.addCustomer(
      {
        CompanyName: `Company ${i}`,
        FirstName: 'Kim',
        LastName: `Person ${i}`,
        EmailAddress: `kim${i}@example.com`,
        Locale: 'de-DE',
        Address: { Street: 'Hauptstraße', HouseNumber: String(i), PostalCode: '10115', City: 'Berlin', Country: 'DE' },
      },
      ENTITY,
    );
    const company = hubspot.store.create('companies', {
      name: `Company ${i}`,
      billwerk_locale: 'de-DE',
      country: 'DE',
      [COMPANY.street]: 'Hauptstraße',
      [COMPANY.houseNumber]: String(i),
      zip: '10115',
      city: 'Berlin',
      [COMPANY.customerId]: customer.Id,
      [COMPANY.entity]: ENTITY,
    });
    const contact = hubspot.store.create(
      'contacts',
      {
        firstname: 'Kim',
        lastname: `Person ${i}`,
        email: `kim${i}@example.com`,
        [CONTACT.customerId]: customer.Id,
        [CONTACT.entity]: ENTITY,
      },
      [{ toType: 'companies', toId: company.id }],
    );
    seeded.customers.push({ companyId: company.id, contactId: contact.id, customerId: customer.Id });

    seeded.deals.push(
      addOwnedContractDeal(rig, {
        entityId: ENTITY,
        customerId: customer.Id,
        name: `Deal ${i}`,
        dealProperties: (contract) => toDealBillingProperties(contract, null),
      }),
    );
  }
  return seeded;
}

/** A day with every webhook dropped: billing in billwerk, edits in HubSpot. Returns the records drifted. */
function seedDrift(rig: Rig, { deals, customers }: Seeded): number {
  let drifted = 0;
  for (let i = 0; i < RECORDS; i += 4) {
    rig.billwerk.store.createInvoice(deals[i]!.contractId, ENTITY);
    if (i % 40 === 0)
      rig.billwerk.store.setContractState(deals[i]!.contractId, { EndDate: new Date(Date.now() + 30 * 86_400_000).toISOString() }, ENTITY);
    rig.hubspot.store.update('companies', customers[i]!.companyId, { name: `Company ${i} renamed`, city: 'Hamburg' });
    drifted += 2;
  }
  return drifted;
}

/** Every deal, company and contact compared with the billwerk side. */
function driftIn(rig: Rig, { deals, customers }: Seeded): number {
  const { billwerk, hubspot } = rig;
  let drift = 0;
  for (const { dealId, contractId } of deals) {
    const [newest] = billwerk.store.listInvoices({ contractId }, ENTITY);
    const wanted = toDealBillingProperties(billwerk.store.getContract(contractId, ENTITY), newest);
    if (Object.keys(changedBillingProperties(hubspot.store.get('deals', dealId)!.properties, wanted)).length > 0) drift += 1;
  }
  for (const c of customers) {
    const billwerkCustomer = billwerk.store.getCustomer(c.customerId, ENTITY);
    const company = { id: c.companyId, properties: hubspot.store.get('companies', c.companyId)!.properties };
    const contact = { id: c.contactId, properties: hubspot.store.get('contacts', c.contactId)!.properties };
    if (customerDiffers(billwerkCustomer, toCustomerFromCompany(company, { empty: 'clear' }))) drift += 1;
    if (customerDiffers(billwerkCustomer, toCustomerFromContact(contact, { empty: 'clear' }))) drift += 1;
  }
  return drift;
}

export async function run(): Promise<BenchResult[]> {
  const rig = await startRig(); // real latency, limits and search lag
  try {
    const seeded = seedInSync(rig);
    const drifted = seedDrift(rig, seeded);
    // What was written before the sweep is searchable once the index caught up.
    await new Promise((resolve) => setTimeout(resolve, REAL_SEARCH_LAG_MS + 500));
    rig.hubspot.simulator.resetCalls();
    rig.billwerk.simulator.resetCalls();

    const statuses = new Map<string, number>();
    const durations: number[] = [];
    let calls = 0;
    let checked = 0;
    let changed = 0;
    let failed = 0;
    let killed = 0;
    let peakRssMb = 0;
    const started = performance.now();
    for (;;) {
      if (++calls > MAX_CALLS) throw new Error(`the sweep did not complete in ${MAX_CALLS} scheduler calls`);
      const invocation = await rig.invokeEndpoint('/billwerk/reconcile', {
        method: 'POST',
        headers: { authorization: `Bearer ${SIM_CREDENTIALS.productSyncToken}` },
        body: {},
      });
      durations.push(invocation.durationMs);
      peakRssMb = Math.max(peakRssMb, invocation.peakRssMb);
      const status = invocation.reply ? String(invocation.reply.statusCode) : invocation.killed ? 'killed' : 'crashed';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (invocation.killed) killed += 1;
      if (calls % 25 === 0)
        console.error(`  reconcile: ${calls} calls, ${checked} checked, ${Math.round((performance.now() - started) / 1000)} s`);
      // A scheduler calls again after a 503 or no answer (the next call continues from the stored cursor).
      if (status !== '200') {
        if (status !== '503' && status !== 'killed')
          throw new Error(`reconcile trigger answered ${status}: ${JSON.stringify(invocation.reply ?? invocation.error).slice(0, 300)}`);
        continue;
      }
      const reply = invocation.reply!;
      const slice = (typeof reply.body === 'string' ? JSON.parse(reply.body) : reply.body) as Slice;
      checked += slice.checked;
      changed += slice.changed;
      failed += slice.failed;
      if (slice.complete) break;
    }
    const elapsedMs = performance.now() - started;
    const drift = driftIn(rig, seeded);
    const load = loadavg()[1]!.toFixed(1);

    const { minimumMs, answered, searches, throttled } = hubspotMinimumMs(
      rig.hubspot.simulator.calls,
      rig.hubspot.simulator.searchRateLimit,
    );
    const recordsInSweep = RECORDS * 3; // deals + companies + contacts
    const callsPer10k = Math.ceil((calls / (RECORDS * 2)) * FULL_RECORDS * 2);
    const answers = [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
    const conditions = `${RECORDS} owned contracts + ${RECORDS} linked companies with a contact each (BENCH_RECONCILE_RECORDS), through the runner, 190 req/10 s, 5 searches/s, 80/150 ms latency, ${REAL_SEARCH_LAG_MS / 1000} s search lag`;
    return [
      {
        metric: 'reconcile.records_per_minute',
        value: Math.round(checked / (elapsedMs / 60_000)),
        unit: 'records/min',
        // HubSpot's 190 requests/10 s ≈ 1,140 calls/min for the whole portal; a customer costs ~3 calls, an in-sync deal ~0.
        target: 400,
        note: `${conditions}: ${checked} records checked (of ${recordsInSweep}), ${changed} changed, ${failed} failed, ${Math.round(elapsedMs / 1000)} s wall; ${answered} answered HubSpot calls (${round(answered / recordsInSweep, 2)} per record), ${searches} searches, ${throttled} 429s, the limits' minimum ${Math.round(minimumMs / 1000)} s; ${rig.billwerk.simulator.calls.length} billwerk calls; load average ${load} on ${cpus().length} cores`,
      },
      {
        metric: 'reconcile.scheduler_calls',
        value: calls,
        unit: 'calls',
        target: Math.ceil((SCHEDULER_CALLS_10K_TARGET * RECORDS) / FULL_RECORDS),
        note: `trigger calls until complete for ${RECORDS} + ${RECORDS}; answers: ${answers}; median ${Math.round(percentile(durations, 50))} ms, max ${Math.round(Math.max(...durations))} ms per call, ${killed} killed at 10 s, peak RSS ${peakRssMb} MB`,
      },
      {
        metric: 'reconcile.scheduler_calls_10k',
        value: callsPer10k,
        unit: 'calls (extrap.)',
        target: SCHEDULER_CALLS_10K_TARGET,
        note: `5,000 owned contracts + 5,000 linked companies, extrapolated from the measured ${round(calls / (RECORDS * 2), 3)} calls per contract or company (not run at that size)`,
      },
      {
        metric: 'reconcile.drift_after_sweep',
        value: drift,
        unit: 'records',
        target: 0,
        note: `deals, companies and contacts that still differ from billwerk after the sweep, of ${recordsInSweep} compared (${drifted} drifted before it)`,
      },
    ];
  } finally {
    await rig.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void run().then((results) => console.log(JSON.stringify(results, null, 2)));
}
