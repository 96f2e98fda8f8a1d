/**
 * The app functions the project declares, read from every `src/app/functions/*-hsmeta.json` as
 * `hs project upload` reads them: uid, the built bundle its entrypoint names, its TypeScript source,
 * its secret keys and, for endpoint functions, the public path and methods.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APP_FUNCTIONS_DIR = path.join(REPO_ROOT, 'src', 'app', 'functions');
/** Where `npm run build` writes the bundles HubSpot runs. */
export const DIST_DIR = path.join(APP_FUNCTIONS_DIR, 'dist');
const FUNCTION_SOURCES_DIR = path.join(REPO_ROOT, 'src', 'functions');

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
  /** File name of the bundle without `.js`, e.g. `apply-deal`. */
  name: string;
  /** `src/functions/<name>.ts` */
  source: string;
  /** The secrets HubSpot hands this function (besides PRIVATE_APP_ACCESS_TOKEN). */
  secretKeys: string[];
  /** Public path without the leading slash (`billwerk/events`), for endpoint functions. */
  endpoint?: { path: string; methods: string[] };
}

/** Every app function declared in src/app/functions; a malformed hsmeta names its file. */
export function readAppFunctions(dir = APP_FUNCTIONS_DIR): AppFunction[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('-hsmeta.json'))
    .sort()
    .map((file) => {
      const parsed = hsmetaSchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      if (!parsed.success)
        throw new Error(`src/app/functions/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const name = /([\w-]+)\.js$/.exec(parsed.data.config.entrypoint)![1]!;
      const endpoint = parsed.data.config.endpoint;
      // hsmeta paths start with a slash (HubSpot's template); URLs are built as /hs/serverless/<path>.
      return {
        uid: parsed.data.uid,
        name,
        source: path.join(FUNCTION_SOURCES_DIR, `${name}.ts`),
        secretKeys: parsed.data.config.secretKeys ?? [],
        ...(endpoint ? { endpoint: { ...endpoint, path: endpoint.path.replace(/^\/+/, '') } } : {}),
      };
    });
}
