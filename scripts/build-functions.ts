/**
 * `npm run build`: bundles every app function for HubSpot.
 *
 * For each `src/app/functions/*-hsmeta.json` of type `app-function`, its entrypoint
 * `/app/functions/dist/<name>.js` is built from `src/functions/<name>.ts` with esbuild: one CommonJS
 * file (HubSpot `require`s it and calls `exports.main`) holding our code, minified. The packages
 * `src/app/functions/package.json` declares (@hubspot/api-client, axios, zod) stay out: HubSpot
 * installs them beside the bundles at upload (docs/platform.md). Bundled, they made every function
 * about 1 MB (zod alone adds ~470 KB minified, since its `z` namespace cannot be tree-shaken);
 * external, a bundle is under 100 KB. Every bundle must stay ≤ MAX_BUNDLE_BYTES (checked here and
 * by test/project/build.test.ts). Output is gitignored.
 *
 * Where the externals resolve: `require('zod')` from `src/app/functions/dist/<name>.js` walks up the
 * node_modules folders; on HubSpot it finds what HubSpot installed for functions/package.json, in this
 * repository the root node_modules (the same versions, a test keeps them equal).
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface FunctionEntry {
  uid: string;
  /** The hsmeta file that declares it. */
  hsmeta: string;
  /** Absolute path of the bundle HubSpot runs. */
  outfile: string;
  /** Absolute path of the TypeScript source. */
  source: string;
}

export interface BuildOptions {
  /** Repository root (holds hsproject.json). */
  root: string;
  /** Log a line per bundle. */
  quiet?: boolean;
  /** Where the bundles go (default `<srcDir>/app/functions/dist`; the function runner's build cache uses its own). */
  outdir?: string;
}

/** The size limit of one function bundle (issue 17): a cold start reads and compiles all of it. */
export const MAX_BUNDLE_BYTES = 300 * 1024;

/** Entrypoints are `/app/functions/dist/<name>.js`, relative to the project's srcDir. */
const ENTRYPOINT = /^\/app\/functions\/dist\/([A-Za-z0-9_-]+)\.js$/;

export async function findFunctionEntries(root: string): Promise<FunctionEntry[]> {
  const srcDir = await projectSrcDir(root);
  const functionsDir = path.join(srcDir, 'app', 'functions');
  const files = (await readdir(functionsDir)).filter((name) => name.endsWith('-hsmeta.json')).sort();
  const entries: FunctionEntry[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const hsmeta = path.join(functionsDir, file);
    let component: { uid?: unknown; type?: unknown; config?: { entrypoint?: unknown } };
    try {
      component = JSON.parse(await readFile(hsmeta, 'utf8')) as typeof component;
    } catch (error) {
      problems.push(`${file}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (component.type !== 'app-function') continue;
    const entrypoint = component.config?.entrypoint;
    const match = typeof entrypoint === 'string' ? ENTRYPOINT.exec(entrypoint) : null;
    if (!match) {
      problems.push(`${file}: entrypoint ${JSON.stringify(entrypoint)} is not /app/functions/dist/<name>.js`);
      continue;
    }
    const name = match[1]!;
    const source = path.join(srcDir, 'functions', `${name}.ts`);
    if (!(await exists(source))) {
      problems.push(`${file}: entrypoint ${entrypoint} has no source ${path.relative(root, source)}`);
      continue;
    }
    entries.push({ uid: String(component.uid), hsmeta, outfile: path.join(srcDir, match[0]), source });
  }
  if (problems.length > 0) throw new Error(`Cannot build app functions:\n  ${problems.join('\n  ')}`);
  return entries;
}

export async function buildFunctions({ root, quiet = false, outdir: outdirOption }: BuildOptions): Promise<FunctionEntry[]> {
  const entries = await findFunctionEntries(root);
  const functionsDir = path.join(await projectSrcDir(root), 'app', 'functions');
  const outdir = outdirOption ?? path.join(functionsDir, 'dist');
  await rm(outdir, { recursive: true, force: true });
  if (entries.length === 0) return entries;
  const result = await build({
    entryPoints: Object.fromEntries(entries.map((e) => [path.basename(e.outfile, '.js'), e.source])),
    outdir,
    bundle: true,
    external: await installedByHubSpot(functionsDir),
    // Process-wide settings that must run before anything else in the bundle (src/functions/processSetup.ts).
    inject: [path.join(root, 'src', 'functions', 'processSetup.ts')],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Small and quick to compile on a cold start; keepNames leaves function names in stack traces.
    minify: !process.env.BUILD_NO_MINIFY,
    keepNames: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
  });
  const tooBig: string[] = [];
  for (const entry of entries) {
    const bytes = result.metafile.outputs[path.relative(root, entry.outfile).split(path.sep).join('/')]?.bytes ?? 0;
    if (bytes > MAX_BUNDLE_BYTES) tooBig.push(`${path.relative(root, entry.outfile)}: ${(bytes / 1024).toFixed(0)} KiB`);
    if (!quiet) console.log(`built ${path.relative(root, entry.outfile)}  (${entry.uid}, ${(bytes / 1024).toFixed(0)} KiB)`);
  }
  if (tooBig.length > 0) {
    throw new Error(
      `Function bundles over ${MAX_BUNDLE_BYTES / 1024} KiB (a dependency got bundled? declare it in src/app/functions/package.json):\n  ${tooBig.join('\n  ')}`,
    );
  }
  return entries;
}

/** The dependencies HubSpot installs beside the bundles (from src/app/functions/package.json). */
export async function installedByHubSpot(functionsDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(functionsDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {});
}

async function projectSrcDir(root: string): Promise<string> {
  const project = JSON.parse(await readFile(path.join(root, 'hsproject.json'), 'utf8')) as { srcDir?: string };
  return path.join(root, project.srcDir ?? 'src');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  buildFunctions({ root }).then(
    (entries) => console.log(`${entries.length} app function(s) built.`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
