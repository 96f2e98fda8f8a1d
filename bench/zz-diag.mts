import { seedLargeCatalog } from '/work/wt/products/src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '/work/wt/products/src/simulators/constants.js';
import { startRig } from '/work/wt/products/src/runner/rig.js';
const items = Number(process.argv[2] ?? 10000);
async function main() {
const rig = await startRig();
DEMO_ENTITIES.forEach((e, i) => seedLargeCatalog(rig.billwerk.store, { items: items / 2, entityId: e.id, currency: i ? 'CHF' : 'EUR' }));
const t0 = performance.now();
for (let round = 0; round < 2; round++) {
  for (let i = 0; i < 30; i++) {
    const hs0 = rig.hubspot.simulator.calls.length, bw0 = rig.billwerk.simulator.calls.length;
    const c = await rig.invokePrivate<any>('start_product_sync', { parameters: {} });
    const hs = rig.hubspot.simulator.calls.slice(hs0);
    const byRoute: Record<string, number> = {};
    for (const x of hs) byRoute[`${x.route} ${x.status}`] = (byRoute[`${x.route} ${x.status}`] ?? 0) + 1;
    console.log(JSON.stringify({ round, i, ms: Math.round(c.durationMs), rss: c.peakRssMb, req: c.requireMs, killed: c.killed, st: c.reply?.value?.status, busy: c.reply?.value?.busy, synced: c.reply?.value?.synced, msg: c.reply?.value?.message, err: c.reply?.ok === false ? c.reply : c.error, bw: rig.billwerk.simulator.calls.length - bw0, byRoute, t: Math.round(performance.now() - t0) }));
    if (c.reply?.value?.status === 'done') break;
  }
}
await rig.close();
process.exit(0);
}
main();
