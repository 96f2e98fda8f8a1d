import { seedLargeCatalog } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES } from '../src/simulators/constants.js';
import { startRig } from '../bench/harness.js';
const N = Number(process.env.N ?? 50000);
const rig = await startRig({ runner: { onLog: (line: string) => { if (process.env.LOGS) console.log('  LOG', line.slice(0, 400)); } } });
DEMO_ENTITIES.forEach((entity, i) => seedLargeCatalog(rig.billwerk.store, { items: N / DEMO_ENTITIES.length, entityId: entity.id, currency: i === 0 ? 'EUR' : 'CHF' }));
const t0 = performance.now();
for (let i = 0; i < Number(process.env.CALLS ?? 3); i++) {
  const s = performance.now();
  const call: any = await rig.invokePrivate('start_product_sync', { parameters: {} });
  const v = call.reply?.value;
  if (call.error) console.log(call.error.slice(0,500)); console.log(i, Math.round(performance.now() - s), 'ms', 'rss', call.peakRssMb, 'cpu', call.cpuMs, 'req', call.requireMs, v?.status, v?.busy, v?.synced, v?.total, v?.retryAfterMs, call.killed, JSON.stringify(call.reply?.problems ?? '').slice(0, 200));
  if (v?.status === 'done') break;
  if (v?.busy) await new Promise((r) => setTimeout(r, 2000)); else if (v?.retryAfterMs) await new Promise((r) => setTimeout(r, v.retryAfterMs));
}
console.log('total', Math.round(performance.now() - t0), 'hubspot calls', rig.hubspot.simulator.calls.length);
await rig.close();
