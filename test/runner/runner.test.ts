/**
 * The function runner behaves like HubSpot's runtime: a fresh process per call, the time limit
 * enforced by killing the call, peak memory measured and flagged over 128 MB, HubSpot's context
 * shapes, several calls at once on one portal-wide rate limit. Tiny fixture bundles keep it fast;
 * the last block runs real built bundles against the simulators over HTTP.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import { ensureBuilt } from '../../src/runner/build.js';
import type { AppFunction } from '../../src/runner/functions.js';
import { FunctionRunner, HUBSPOT_MEMORY_LIMIT_MB, HUBSPOT_TIME_LIMIT_MS } from '../../src/runner/runner.js';
import { createHubSpotSimulator } from '../../src/simulators/hubspot/index.js';
import { DEMO_ENTITIES, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { serveSimulator } from '../../src/simulators/server.js';
import { useRunner } from '../support/runner.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string, secretKeys: string[] = []): AppFunction => ({
  uid: name,
  name,
  source: `${FIXTURES}${name}.cjs`,
  secretKeys,
});
/** A runner over the fixture files (`.cjs`, so they are invoked by file rather than by uid). */
function fixtureRunner(options: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  const runner = new FunctionRunner({ distDir: FIXTURES, secrets: {}, ...options }, []);
  return {
    invoke: (name: string, parameters: unknown) =>
      runner.invokeBundle<any>(
        `${FIXTURES}${name}.cjs`,
        { parameters, propertiesToSend: {}, secrets: {} },
        { uid: name, secrets: { PRIVATE_APP_ACCESS_TOKEN: SIM_CREDENTIALS.hubspotToken } },
      ),
  };
}

describe('function runner', () => {
  it('kills an invocation at the time limit and reports it', async () => {
    const { invoke } = fixtureRunner({ timeoutMs: 300 });
    const result = await invoke('sleeper', { ms: 5000 });
    expect(result.killed).toBe(true);
    expect(result.reply).toBeUndefined();
    expect(result.error).toMatch(/killed after 300 ms/);
    expect(result.durationMs).toBe(300);
    // Under the limit the same function answers.
    const quick = await invoke('sleeper', { ms: 10 });
    expect(quick).toMatchObject({ killed: false, reply: { calls: 1 } });
  });

  it("uses HubSpot's limits unless told otherwise: 10 s and 128 MB", () => {
    const runner = new FunctionRunner({ secrets: {} });
    expect([runner.timeoutMs, runner.memoryLimitMb]).toEqual([10_000, 128]);
    expect([HUBSPOT_TIME_LIMIT_MS, HUBSPOT_MEMORY_LIMIT_MB]).toEqual([10_000, 128]);
  });

  it('measures peak memory and flags an invocation over 128 MB', async () => {
    const { invoke } = fixtureRunner();
    const small = await invoke('memory', { mb: 1 });
    const large = await invoke('memory', { mb: 150 });
    expect(small.overMemory).toBe(false);
    expect(small.peakRssMb).toBeGreaterThan(20); // Node itself
    expect(small.peakRssMb).toBeLessThan(128);
    expect(large.reply).toEqual({ held: 150 });
    expect(large.peakRssMb).toBeGreaterThan(small.peakRssMb + 140);
    expect(large.overMemory).toBe(true);
  });

  it('gives every invocation fresh module state, in its own process', async () => {
    const { invoke } = fixtureRunner();
    const results = [await invoke('sleeper', {}), await invoke('sleeper', {})];
    expect(results.map((r) => r.reply.calls)).toEqual([1, 1]);
    expect(results[0]!.reply.pid).not.toBe(results[1]!.reply.pid);
  });

  it('runs invocations at once, not one after another', async () => {
    const { invoke } = fixtureRunner();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 4 }, () => invoke('sleeper', { ms: 1500 })));
    expect(results.every((r) => r.reply?.calls === 1)).toBe(true);
    expect(performance.now() - started).toBeLessThan(4 * 1500);
  });

  it("passes a private function HubSpot's context: parameters, propertiesToSend, its declared secrets and the token", async () => {
    // A .js copy named like a bundle so invokePrivate finds it by uid.
    const { mkdtemp, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/runner-`);
    await copyFile(`${FIXTURES}context.cjs`, `${dir}/context.js`);
    const runner = new FunctionRunner({ distDir: dir, secrets: { PRIVATE_APP_ACCESS_TOKEN: 'tok', DECLARED: 'yes', UNDECLARED: 'leak' } }, [
      fixture('context', ['DECLARED']),
    ]);
    const result = await runner.invokePrivate<any>('context', { parameters: { dealId: '1' }, propertiesToSend: { dealname: 'X' } });
    expect(result.reply.keys).toEqual(['parameters', 'propertiesToSend', 'secrets']);
    expect(result.reply.context).toMatchObject({
      parameters: { dealId: '1' },
      propertiesToSend: { dealname: 'X' },
      secrets: { DECLARED: 'yes', PRIVATE_APP_ACCESS_TOKEN: 'tok' },
    });
    expect(result.reply.context.secrets.UNDECLARED).toBeUndefined();
    expect(result.reply.env).toEqual({ token: 'tok', declared: 'yes', undeclared: null });
  });

  it('invocations in separate processes share one portal-wide rate limit', async () => {
    const hubspot = createHubSpotSimulator({ searchRateLimit: false });
    hubspot.simulator.rateLimit = { limit: 12, windowMs: 60_000 };
    const server = await serveSimulator(hubspot.simulator);
    try {
      const { invoke } = fixtureRunner({ env: { HUBSPOT_API_BASE_URL: server.url } });
      const results = await Promise.all(Array.from({ length: 3 }, () => invoke('caller', { calls: 6 })));
      const total = (status: string) => results.reduce((sum, r) => sum + (r.reply[status] ?? 0), 0);
      // Each process alone stays under 12; together they exceed it and get 429s.
      expect(total('200')).toBe(12);
      expect(total('429')).toBe(6);
    } finally {
      await server.close();
    }
  });
});

describe('real bundles through the runner, simulators over HTTP', () => {
  const rig = useRunner({ latency: false });

  it('a card-called function answers from a fresh process within the limits', async () => {
    const result = await rig.invokePrivate<{ ok: boolean }>('check_connection', {});
    expect(result.error).toBeUndefined();
    expect(result.reply?.ok).toBe(true);
    expect(result.killed).toBe(false);
    expect(result.requireMs).toBeGreaterThan(0);
    expect(rig.billwerk.simulator.count()).toBeGreaterThan(0);
  });

  it('an endpoint function gets the documented endpoint context and its reply reaches the caller', async () => {
    const entity = DEMO_ENTITIES[0]!.id;
    const seed = rig.billwerk.seeded![entity]!;
    const contract = rig.billwerk.store.addContract(
      { CustomerId: seed.customers.plain.Id, PlanVariantId: seed.planVariants.starterMonthly.Id },
      entity,
    );
    const deal = rig.hubspot.store.create('deals', {
      dealname: 'Runner deal',
      dealstage: 'closedwon',
      [DEAL.contractId]: contract.Id,
      [DEAL.contractSynced]: 'true',
      [DEAL.ownedContractId]: contract.Id,
      [DEAL.entity]: entity,
    });
    const invoice = rig.billwerk.store.createInvoice(contract.Id, entity);
    const event = {
      Event: 'InvoiceCreated',
      InvoiceId: invoice.Id,
      ContractId: contract.Id,
      CustomerId: invoice.CustomerId,
      EntityId: entity,
    };
    const basic = `Basic ${Buffer.from(`${SIM_CREDENTIALS.billwerkWebhookUser}:${SIM_CREDENTIALS.billwerkWebhookPassword}`).toString('base64')}`;

    const unauthorized = await rig.invokeEndpoint('/billwerk/events', { headers: { 'content-type': 'application/json' }, body: event });
    expect(unauthorized.reply?.statusCode).toBe(401);
    const accepted = await rig.invokeEndpoint('/hs/serverless/billwerk/events', {
      headers: { 'content-type': 'application/json', authorization: basic },
      body: JSON.stringify(event),
    });
    expect(accepted.error).toBeUndefined();
    expect(accepted.reply).toMatchObject({ statusCode: 200, headers: expect.any(Object), body: expect.any(String) });
    expect(rig.hubspot.store.get('deals', deal.id)!.properties[DEAL.lastInvoiceNumber]).toBeTruthy();
  });
});

describe('npm start runs function calls through the runner', () => {
  it('a card call reaches the built bundle in its own process', async () => {
    const { startSandbox } = await import('../../src/sandbox/sandbox.js');
    const sandbox = await startSandbox({ port: 0, functions: 'runner', prepareDemo: false });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${sandbox.urls.workbench}functions/check_connection`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ ok: true });
      }
      // In one process the second call would reuse the cached billwerk token; fresh processes cannot.
      expect(sandbox.billwerk!.simulator.count('POST /oauth/token')).toBe(2);
    } finally {
      await sandbox.close();
    }
  });
});

describe('function bundles', () => {
  it("keep V8's young generation at its initial size however much a call allocates (src/functions/processSetup.ts)", async () => {
    const distDir = await ensureBuilt();
    // Loads a bundle as HubSpot does, then allocates like a busy product sync slice: ~300 MB of short-lived objects.
    const script = `
      require(${JSON.stringify(path.join(distDir, 'product-sync-status.js'))});
      let kept = [];
      for (let i = 0; i < 3e6; i++) { const o = { a: 'x' + i, b: [i, i + 1] }; if (i % 1000 === 0) kept.push(o); }
      const young = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(JSON.stringify({ youngMb: young.space_size / 1048576, kept: kept.length }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', NODE_PATH: path.resolve('node_modules') },
    });
    const { youngMb } = JSON.parse(stdout.trim()) as { youngMb: number };
    // V8 would have grown it to 32 MB (two 16 MB semi-spaces) under this allocation rate.
    expect(youngMb).toBeLessThanOrEqual(4);
  });
});
