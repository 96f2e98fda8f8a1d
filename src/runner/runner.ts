/**
 * A function runner that behaves like HubSpot's: every invocation `require`s a BUILT bundle in a
 * fresh Node process (fresh module state: no token cache, pacer or mappings cache survives between
 * calls), gets only the secrets its hsmeta declares plus PRIVATE_APP_ACCESS_TOKEN (in process.env and
 * in `context.secrets`), is killed at the time limit (HubSpot: 10 s), and has its peak memory (RSS)
 * measured and flagged over the platform's 128 MB. Any number of invocations run at once, each in its
 * own process, drawing on whatever simulators they are pointed at (serve those over HTTP:
 * one simulator = one portal-wide rate limit). Usage: docs/runner.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { HubSpotEndpointReply } from '../functions/endpoint.js';
import { DIST_DIR, readAppFunctions, REPO_ROOT, type AppFunction } from './functions.js';

/** HubSpot: "Each function has a maximum of 10 seconds of execution time". */
export const HUBSPOT_TIME_LIMIT_MS = 10_000;
/** HubSpot: 128 MB of memory per invocation. */
export const HUBSPOT_MEMORY_LIMIT_MB = 128;
const CHILD = fileURLToPath(new URL('./child.cjs', import.meta.url));
/** How often the runner samples a running invocation's peak RSS (also what a killed one reports). */
const RSS_SAMPLE_MS = 20;

export interface RunnerOptions {
  /** Directory with the built `<name>.js` bundles (default src/app/functions/dist; tests use `ensureBuilt()`). */
  distDir?: string;
  /** Every secret value available; each function receives the ones its hsmeta `secretKeys` name. */
  secrets: Record<string, string>;
  /**
   * Plain environment every invocation gets besides its secrets, e.g. `HUBSPOT_API_BASE_URL` pointing
   * the HubSpot client at the simulator (on HubSpot that is the public API's default URL).
   */
  env?: Record<string, string>;
  /** Kill an invocation after this long (default HUBSPOT_TIME_LIMIT_MS). */
  timeoutMs?: number;
  /** Flag invocations whose peak RSS is above this (default HUBSPOT_MEMORY_LIMIT_MB). */
  memoryLimitMb?: number;
  /** The portal id endpoint functions see as `context.accountId` (default 123). */
  accountId?: number;
  /** Every line a function writes to stdout/stderr (default: dropped). */
  onLog?: (line: string, uid: string, stream: 'stdout' | 'stderr') => void;
}

export interface Invocation<R = unknown> {
  /** What main returned, JSON round-tripped as HubSpot does; undefined when it threw or was killed. */
  reply: R | undefined;
  /** The error main threw (stack), or why the invocation produced no reply. */
  error?: string;
  /** From handing over the context to the reply (or the kill), in ms: the function's execution time. */
  durationMs: number;
  /** How long `require` of the bundle took inside the invocation (cold start), when it got that far. */
  requireMs?: number;
  /** CPU time the invocation's process used (Node's start included): on a busy machine `durationMs` also holds the wait for a core. */
  cpuMs?: number;
  /** Peak resident memory of the invocation's process, in MB (Node's own ~40–50 MB included, as on HubSpot). */
  peakRssMb: number;
  /** Peak RSS above the memory limit (HubSpot would have stopped it). */
  overMemory: boolean;
  /** Killed at the time limit. */
  killed: boolean;
}

export interface PrivateCall {
  parameters?: unknown;
  propertiesToSend?: Record<string, string | null>;
  event?: unknown;
}

export interface EndpointCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as HubSpot passes it: parsed when JSON (an object here is taken as already-parsed JSON), else text. */
  body?: unknown;
  query?: Record<string, string | string[]>;
}

export class FunctionRunner {
  readonly functions: AppFunction[];
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  /** Where the bundles are read from. */
  readonly distDir: string;

  constructor(
    private readonly options: RunnerOptions,
    functions: AppFunction[] = readAppFunctions(),
  ) {
    this.functions = functions;
    this.distDir = options.distDir ?? DIST_DIR;
    this.timeoutMs = options.timeoutMs ?? HUBSPOT_TIME_LIMIT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? HUBSPOT_MEMORY_LIMIT_MB;
  }

  /** A card's `hubspot.serverless(uid, { parameters, propertiesToSend })`. */
  invokePrivate<R = unknown>(uid: string, call: PrivateCall = {}): Promise<Invocation<R>> {
    const fn = this.functions.find((f) => f.uid === uid && !f.endpoint);
    if (!fn) throw new Error(`No private app function with uid "${uid}" in src/app/functions`);
    const secrets = this.secretsFor(fn);
    // What @hubspot/ui-extensions-dev-server's buildContext passes (docs/platform.md "Private functions").
    const context = {
      propertiesToSend: call.propertiesToSend ?? {},
      parameters: call.parameters ?? {},
      ...(call.event === undefined ? {} : { event: call.event }),
      secrets,
    };
    return this.invokeBundle<R>(this.bundleOf(fn), context, { uid, secrets });
  }

  /** A request to `https://<domain>/hs/serverless/<path>`, in HubSpot's documented endpoint context. */
  invokeEndpoint(urlPath: string, call: EndpointCall = {}): Promise<Invocation<HubSpotEndpointReply>> {
    const wanted = urlPath.replace(/^\/?(hs\/serverless\/)?/, '').replace(/\/+$/, '');
    const fn = this.functions.find((f) => f.endpoint?.path === wanted);
    if (!fn) throw new Error(`No endpoint function at /hs/serverless/${wanted} in src/app/functions`);
    const method = (call.method ?? fn.endpoint!.methods[0] ?? 'POST').toUpperCase();
    const secrets = this.secretsFor(fn);
    const headers = call.headers ?? {};
    // docs/platform.md "Endpoint functions": JSON bodies parsed, every query value an array.
    const params: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(call.query ?? {})) params[name] = Array.isArray(value) ? value : [value];
    const isJson = /json/i.test(Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/json');
    let body = call.body;
    if (typeof body === 'string' && isJson && body !== '') {
      try {
        body = JSON.parse(body);
      } catch {
        // HubSpot passes what it cannot parse as text.
      }
    }
    const context = {
      accountId: this.options.accountId ?? 123,
      method,
      headers,
      params,
      body,
      endpoint: { path: `/${wanted}`, method },
      secrets,
      limits: { timeRemaining: this.timeoutMs },
    };
    return this.invokeBundle<HubSpotEndpointReply>(this.bundleOf(fn), context, { uid: fn.uid, secrets });
  }

  /** A cold start without the call: a fresh process `require`s the bundle and stops (`requireMs`, `peakRssMb`). */
  requireOnly(bundle: string): Promise<Invocation<null>> {
    return this.invokeBundle<null>(bundle, undefined, { requireOnly: true });
  }

  /** The primitive: one fresh process, `require(bundle).main(context)`, time limit, peak memory. */
  invokeBundle<R = unknown>(
    bundle: string,
    context: unknown,
    options: { uid?: string; secrets?: Record<string, string>; requireOnly?: boolean } = {},
  ): Promise<Invocation<R>> {
    const uid = options.uid ?? path.basename(bundle, '.js');
    // RUNNER_NODE_ARGS: a profiling knob (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), never set by tests or benchmarks.
    const nodeArgs = process.env.RUNNER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, CHILD], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TZ: process.env.TZ ?? 'UTC',
        // Externals (what HubSpot installs from src/app/functions/package.json) come from the repo's node_modules.
        NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
        ...(process.env.RUNNER_MEM ? { RUNNER_MEM: '1' } : {}),
        ...this.options.env,
        ...options.secrets,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    forwardLines(child.stdout, (line) => this.options.onLog?.(line, uid, 'stdout'));
    forwardLines(child.stderr, (line) => this.options.onLog?.(line, uid, 'stderr'));

    return new Promise((resolve) => {
      let started = performance.now();
      let peakKb = 0;
      let killed = false;
      let answer: { ok: boolean; reply?: R; error?: string; requireMs?: number; maxRssKb?: number; cpuMs?: number; at: number } | undefined;
      const sample = () => (peakKb = Math.max(peakKb, highWaterMarkKb(child.pid)));
      const sampler = setInterval(sample, RSS_SAMPLE_MS);
      let timer: NodeJS.Timeout | undefined;
      // The clock starts once Node is up and the process is listening (the container is warm).
      child.on('message', (message: NonNullable<typeof answer> & { ready?: boolean }) => {
        if (!message.ready) {
          answer ??= { ...message, at: performance.now() };
          return;
        }
        started = performance.now();
        child.send({ bundle, context, requireOnly: options.requireOnly ?? false });
        timer = setTimeout(() => {
          if (answer) return;
          sample();
          killed = true;
          child.kill('SIGKILL');
        }, this.timeoutMs);
      });
      child.once('error', (error) => {
        answer ??= { ok: false, error: `could not start the invocation: ${error.message}`, at: performance.now() };
      });
      child.once('exit', (code, signal) => {
        clearInterval(sampler);
        clearTimeout(timer);
        const peakRssMb = Math.max(peakKb, answer?.maxRssKb ?? 0) / 1024;
        const end = killed ? started + this.timeoutMs : (answer?.at ?? performance.now());
        resolve({
          reply: answer?.ok ? answer.reply : undefined,
          ...(answer?.ok
            ? {}
            : {
                error: killed
                  ? `killed after ${this.timeoutMs} ms (time limit)`
                  : (answer?.error ?? `exited without a reply (code ${code}, signal ${signal})`),
              }),
          durationMs: Math.round(end - started),
          ...(answer?.requireMs !== undefined ? { requireMs: answer.requireMs } : {}),
          ...(answer?.cpuMs !== undefined ? { cpuMs: Math.round(answer.cpuMs) } : {}),
          peakRssMb: Math.round(peakRssMb * 10) / 10,
          overMemory: peakRssMb > this.memoryLimitMb,
          killed,
        });
      });
    });
  }

  /** The function's declared secrets that are available, plus the private app token. */
  private secretsFor(fn: AppFunction): Record<string, string> {
    const secrets: Record<string, string> = {};
    for (const name of [...fn.secretKeys, 'PRIVATE_APP_ACCESS_TOKEN']) {
      const value = this.options.secrets[name];
      if (value !== undefined) secrets[name] = value;
    }
    return secrets;
  }

  private bundleOf(fn: AppFunction): string {
    return path.join(this.distDir, `${fn.name}.js`);
  }
}

/** Linux's peak RSS of a running process (VmHWM, kB); 0 once it has exited or elsewhere. */
function highWaterMarkKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
  });
}
