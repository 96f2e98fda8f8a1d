/**
 * The app functions, invoked the way HubSpot invokes them: read every `src/app/functions/*-hsmeta.json`
 * (as `hs project upload` would), map its entrypoint `/app/functions/dist/<name>.js` back to the
 * TypeScript source `src/functions/<name>.ts`, import its `main` and call it with HubSpot's context
 * shapes. Private functions are addressed by uid; endpoint functions by their public path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { HubSpotEndpointContext, HubSpotEndpointReply } from '../functions/endpoint.js';
import type { PrivateFunctionContext } from '../functions/runtime.js';

const APP_FUNCTIONS_DIR = fileURLToPath(new URL('../app/functions/', import.meta.url));
const FUNCTION_SOURCES_DIR = fileURLToPath(new URL('../functions/', import.meta.url));

const hsmetaSchema = z.object({
  uid: z.string().min(1),
  type: z.literal('app-function'),
  config: z.object({
    entrypoint: z.string().regex(/^\/app\/functions\/dist\/[\w-]+\.js$/, 'must be /app/functions/dist/<name>.js'),
    secretKeys: z.array(z.string()).optional(),
    endpoint: z.object({ path: z.string().min(1), methods: z.array(z.string()).min(1) }).optional(),
  }),
});

export interface AppFunction {
  uid: string;
  /** `src/functions/<name>.ts` */
  source: string;
  endpoint?: { path: string; methods: string[] };
}

type Main = (context: never) => Promise<unknown>;

/** Every app function declared in src/app/functions; a malformed hsmeta names its file. */
export function readAppFunctions(dir = APP_FUNCTIONS_DIR): AppFunction[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('-hsmeta.json'))
    .sort()
    .map((file) => {
      const parsed = hsmetaSchema.safeParse(JSON.parse(readFileSync(`${dir}${file}`, 'utf8')));
      if (!parsed.success) throw new Error(`src/app/functions/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const name = /([\w-]+)\.js$/.exec(parsed.data.config.entrypoint)![1]!;
      const endpoint = parsed.data.config.endpoint;
      // hsmeta paths start with a slash (HubSpot's template); URLs are built as /hs/serverless/<path>.
      return { uid: parsed.data.uid, source: `${FUNCTION_SOURCES_DIR}${name}.ts`, ...(endpoint ? { endpoint: { ...endpoint, path: endpoint.path.replace(/^\/+/, '') } } : {}) };
    });
}

export class FunctionHost {
  private readonly byUid = new Map<string, AppFunction>();
  private readonly byPath = new Map<string, AppFunction>();
  private readonly mains = new Map<string, Promise<Main>>();

  constructor(readonly functions: AppFunction[], readonly secrets: () => Record<string, string>) {
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
    const main = await this.load(fn);
    return main({ ...context, secrets: this.secrets() } as never);
  }

  /** A request to `https://<domain>/hs/serverless/<path>`, in HubSpot's endpoint context shape. */
  async runEndpoint(fn: AppFunction, context: Omit<HubSpotEndpointContext, 'secrets'>): Promise<HubSpotEndpointReply> {
    const main = await this.load(fn);
    return (await main({ ...context, secrets: this.secrets() } as never)) as HubSpotEndpointReply;
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
