/**
 * The connector service under card load: the built service bundle (dist/service/main.cjs, what the
 * container runs) in its own process, against both simulators over HTTP at the latency profile
 * (HubSpot 80 ms per call, billwerk 150 ms, src/simulators/profiles.ts), with 20 concurrent callers
 * (HubSpot's limit for hubspot.fetch per app and portal) each sending signed "Request validation"
 * calls for the demo signup deal, as HubSpot's proxy sends them.
 * - service.card_call_p50_ms / service.card_call_p99_ms: time from request to the card's answer
 * - service.rss_mb: the service process's peak resident memory while under that load
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildService } from '../scripts/build-service.js';
import { signHubSpotRequest } from '../src/core/hubspotSignature.js';
import { createBillwerkSimulator } from '../src/simulators/billwerk/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS, simulatorEnv } from '../src/simulators/constants.js';
import { prepareSignupDeal } from './harness.js';
import { createHubSpotSimulator, SIM_PORTAL_ID, SIM_USERS } from '../src/simulators/hubspot/index.js';
import { BILLWERK_LATENCY, HUBSPOT_LATENCY } from '../src/simulators/profiles.js';
import { serveSimulator } from '../src/simulators/server.js';
import { freePort } from '../src/service/start.js';
import type { BenchResult } from './types.js';

const CALLERS = Number(process.env.SERVICE_BENCH_CALLERS ?? 20);
const CALLS_PER_CALLER = 8;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function run(): Promise<BenchResult[]> {
  const bundle = await buildService();
  const billwerk = createBillwerkSimulator({ seed: true });
  const hubspot = createHubSpotSimulator({ seed: true, installCatalog: true, entities: DEMO_ENTITIES });
  const { dealId } = prepareSignupDeal({ billwerk, hubspot });
  hubspot.simulator.latency = HUBSPOT_LATENCY;
  billwerk.simulator.latency = BILLWERK_LATENCY;
  const [billwerkServer, hubspotServer] = await Promise.all([serveSimulator(billwerk.simulator), serveSimulator(hubspot.simulator)]);

  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...simulatorEnv({ billwerk: billwerkServer.url, hubspot: hubspotServer.url }),
    CONNECTOR_SERVICE_URL: serviceUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    CONNECTOR_SCHEDULE: 'off',
    PATH: process.env.PATH ?? '',
  };
  const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${serviceUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 100) throw new Error('the service did not become healthy');
      await new Promise((r) => setTimeout(r, 100));
    }

    const call = async (): Promise<number> => {
      const query = new URLSearchParams({ userId: SIM_USERS.rep.id, userEmail: SIM_USERS.rep.email, portalId: String(SIM_PORTAL_ID) });
      const url = `${serviceUrl}/functions/validate_deal?${query}`;
      const body = JSON.stringify({ parameters: { dealId }, requestId: randomUUID() });
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, 'POST', url, body, new Date()),
        body,
      });
      const outcome = (await response.json()) as { ok: boolean; problems?: unknown };
      const elapsed = performance.now() - started;
      if (response.status !== 200 || !outcome.ok)
        throw new Error(`validate answered ${response.status}: ${JSON.stringify(outcome).slice(0, 300)}`);
      return elapsed;
    };
    await call(); // warm: billwerk token, mappings cache, JIT

    let peakRss = rssMb(child.pid!);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child.pid!))), 50);
    let durations: number[];
    try {
      durations = (
        await Promise.all(
          Array.from({ length: CALLERS }, async () => {
            const mine: number[] = [];
            for (let i = 0; i < CALLS_PER_CALLER; i++) mine.push(await call());
            return mine;
          }),
        )
      )
        .flat()
        .sort((a, b) => a - b);
    } finally {
      clearInterval(sampler);
    }
    peakRss = Math.max(peakRss, rssMb(child.pid!));

    return [
      { metric: 'service.card_call_p50_ms', value: Math.round(percentile(durations, 50)), unit: 'ms', target: 1000 },
      { metric: 'service.card_call_p99_ms', value: Math.round(percentile(durations, 99)), unit: 'ms', target: 3000 },
      { metric: 'service.rss_mb', value: Math.round(peakRss), unit: 'MB', target: 256 },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await Promise.all([billwerkServer.close(), hubspotServer.close()]);
  }
}
