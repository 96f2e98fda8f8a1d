/**
 * The app functions, invoked the way HubSpot invokes them: every `src/app/functions/*-hsmeta.json`
 * (read as `hs project upload` would, src/runner/functions.ts), private functions addressed by uid,
 * endpoint functions by their public path, called with HubSpot's context shapes. Two ways to run:
 * - `runner` (what `npm start` uses): the built bundle in a fresh process per call, with the 10 s
 *   limit and only the declared secrets (src/runner/runner.ts, docs/runner.md);
 * - in-process (the default, for fast tests): `main` imported from the TypeScript source.
 */
import { pathToFileURL } from 'node:url';
import type { HubSpotEndpointContext, HubSpotEndpointReply } from '../functions/endpoint.js';
import type { PrivateFunctionContext } from '../functions/runtime.js';
import { readAppFunctions, type AppFunction } from '../runner/functions.js';
import { FunctionRunner, type Invocation } from '../runner/runner.js';

export { readAppFunctions, type AppFunction };

type Main = (context: never) => Promise<unknown>;

export interface FunctionHostOptions {
  /** Run each call as HubSpot does, from the bundles in `distDir` (see `ensureBuilt`), lines of output to `onLog`. */
  runner?: { distDir: string; onLog?: (line: string, uid: string) => void };
}

export class FunctionHost {
  private readonly byUid = new Map<string, AppFunction>();
  private readonly byPath = new Map<string, AppFunction>();
  private readonly mains = new Map<string, Promise<Main>>();

  constructor(
    readonly functions: AppFunction[],
    readonly secrets: () => Record<string, string>,
    private readonly options: FunctionHostOptions = {},
  ) {
    for (const fn of functions) {
      this.byUid.set(fn.uid, fn);
      if (fn.endpoint) this.byPath.set(fn.endpoint.path.replace(/^\/+/, ''), fn);
    }
  }

  has(uid: string): boolean {
    return this.byUid.has(uid) && !this.byUid.get(uid)!.endpoint;
  }

  endpointFor(path: string): AppFunction | undefined {
    return this.byPath.get(path.replace(/^\/+/, ''));
  }

  /** A card's `hubspot.serverless(uid, { parameters, propertiesToSend })`, values already read from the CRM. */
  async runPrivate(uid: string, context: Omit<PrivateFunctionContext, 'secrets'>): Promise<unknown> {
    const fn = this.byUid.get(uid);
    if (!fn || fn.endpoint) throw new Error(`No private app function with uid "${uid}"`);
    if (this.options.runner) {
      const { parameters, propertiesToSend, event } = context;
      // A function that throws, or is killed at 10 s, reaches the card as an error.
      return replyOrThrow(
        uid,
        await this.runner().invokePrivate(uid, {
          parameters,
          propertiesToSend: (propertiesToSend ?? {}) as Record<string, string | null>,
          event,
        }),
      );
    }
    const main = await this.load(fn);
    return main({ ...context, secrets: this.secrets() } as never);
  }

  /** A request to `https://<domain>/hs/serverless/<path>`, in HubSpot's endpoint context shape. */
  async runEndpoint(fn: AppFunction, context: Omit<HubSpotEndpointContext, 'secrets'>): Promise<HubSpotEndpointReply> {
    if (this.options.runner) {
      const { method, headers = {}, params = {}, body } = context as HubSpotEndpointContext;
      const query = Object.fromEntries(Object.entries(params ?? {}).filter((e): e is [string, string | string[]] => e[1] !== undefined));
      const plainHeaders = Object.fromEntries(
        Object.entries(headers ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      const invocation = await this.runner().invokeEndpoint(fn.endpoint!.path, {
        ...(method ? { method } : {}),
        headers: plainHeaders,
        body,
        query,
      });
      if (invocation.reply) return invocation.reply;
      return {
        statusCode: 500,
        body: JSON.stringify({ error: invocation.killed ? 'Function timed out' : 'Function failed' }),
        headers: { 'content-type': 'application/json' },
      };
    }
    const main = await this.load(fn);
    return (await main({ ...context, secrets: this.secrets() } as never)) as HubSpotEndpointReply;
  }

  private runnerInstance: FunctionRunner | undefined;

  /** Built on first use: the secrets are known once the simulators listen. */
  private runner(): FunctionRunner {
    if (!this.runnerInstance) {
      const { HUBSPOT_API_BASE_URL, ...secrets } = this.secrets();
      const { distDir, onLog } = this.options.runner!;
      this.runnerInstance = new FunctionRunner(
        {
          distDir,
          secrets,
          env: HUBSPOT_API_BASE_URL ? { HUBSPOT_API_BASE_URL } : {},
          ...(onLog ? { onLog: (line, uid) => onLog(line, uid) } : {}),
        },
        this.functions,
      );
    }
    return this.runnerInstance;
  }

  private load(fn: AppFunction): Promise<Main> {
    let main = this.mains.get(fn.uid);
    if (!main) {
      main = import(pathToFileURL(fn.source).href).then((module: { main?: Main }) => {
        if (typeof module.main !== 'function') throw new Error(`${fn.source} does not export main`);
        return module.main;
      });
      this.mains.set(fn.uid, main);
    }
    return main;
  }
}

function replyOrThrow(uid: string, invocation: Invocation): unknown {
  if (invocation.overMemory) console.warn(`${uid}: peak memory ${invocation.peakRssMb} MB is over HubSpot's 128 MB`);
  if (invocation.reply !== undefined) return invocation.reply;
  throw new Error(`${uid}: ${invocation.killed ? 'timed out after 10 s' : (invocation.error?.split('\n')[0] ?? 'failed')}`);
}
