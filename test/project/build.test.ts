import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SECRET_NAMES } from '../../src/core/config.js';
import { buildFunctions, installedByHubSpot, MAX_BUNDLE_BYTES, type FunctionEntry } from '../../scripts/build-functions.js';

const root = path.resolve(import.meta.dirname, '../..');
const functionsDir = path.join(root, 'src/app/functions');
const requireBundle = createRequire(import.meta.url);
const CONFIG_NAMES = [...SECRET_NAMES, 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES', 'HUBSPOT_API_BASE_URL'];

describe('npm run build', () => {
  let built: FunctionEntry[];

  beforeAll(async () => {
    built = await buildFunctions({ root, quiet: true });
  }, 120_000);

  it('produces the entrypoint of every app-function hsmeta', async () => {
    const metas = (await readdir(functionsDir)).filter((f) => f.endsWith('-hsmeta.json'));
    const entrypoints: string[] = [];
    for (const file of metas) {
      const meta = JSON.parse(await readFile(path.join(functionsDir, file), 'utf8')) as {
        type: string;
        config: { entrypoint: string };
      };
      if (meta.type === 'app-function') entrypoints.push(meta.config.entrypoint);
    }
    expect(entrypoints.length).toBeGreaterThan(0);
    expect(built).toHaveLength(entrypoints.length);
    for (const entrypoint of entrypoints) {
      const file = path.join(root, 'src', entrypoint);
      expect((await stat(file)).isFile(), `${entrypoint} was not built`).toBe(true);
    }
  });

  it('each bundle is CommonJS exporting main and needs only what functions/package.json declares', async () => {
    const declared = await installedByHubSpot(functionsDir);
    for (const entry of built) {
      const code = await readFile(entry.outfile, 'utf8');
      const external = [...code.matchAll(/\brequire\("([^"]+)"\)/g)]
        .map((m) => m[1]!)
        .filter((name) => !name.startsWith('node:') && !isBuiltin(name));
      const undeclared = external.filter((name) => !declared.some((dep) => name === dep || name.startsWith(`${dep}/`)));
      expect(undeclared, `${path.basename(entry.outfile)} requires packages HubSpot will not install`).toEqual([]);

      const loaded = requireBundle(entry.outfile) as { main?: unknown };
      expect(typeof loaded.main, `${path.basename(entry.outfile)} exports no main`).toBe('function');
    }
  });

  it('each bundle is at most 300 KiB: the user’s packages (zod, axios, @hubspot/api-client) are installed by HubSpot, not bundled', async () => {
    expect(MAX_BUNDLE_BYTES).toBe(300 * 1024);
    expect(await installedByHubSpot(functionsDir)).toEqual(expect.arrayContaining(['@hubspot/api-client', 'axios', 'zod']));
    const sizes = Object.fromEntries(
      await Promise.all(built.map(async (e) => [path.basename(e.outfile), (await stat(e.outfile)).size] as const)),
    );
    const tooBig = Object.entries(sizes).filter(([, bytes]) => bytes > MAX_BUNDLE_BYTES);
    expect(tooBig, 'bundles over 300 KiB').toEqual([]);
  });

  it('each bundled main answers an unconfigured call in HubSpot’s shape instead of throwing', async () => {
    for (const name of CONFIG_NAMES) vi.stubEnv(name, undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const entry of built) {
        const meta = JSON.parse(await readFile(entry.hsmeta, 'utf8')) as { config: { endpoint?: unknown } };
        const { main } = requireBundle(entry.outfile) as { main: (context: unknown) => Promise<unknown> };
        const reply = await main({ parameters: {}, propertiesToSend: {}, secrets: {}, method: 'POST', headers: {}, body: {} });
        if (meta.config.endpoint) {
          expect(reply, entry.uid).toMatchObject({ statusCode: expect.any(Number), body: expect.any(String) });
        } else {
          expect(reply, entry.uid).toMatchObject({ ok: expect.any(Boolean) });
        }
      }
    } finally {
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
    }
  });
});

describe('src/app/functions/package.json', () => {
  it('declares the same versions as the root package.json (what tests ran against is what HubSpot installs)', async () => {
    const rootManifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const functionsManifest = JSON.parse(await readFile(path.join(functionsDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(functionsManifest.dependencies)) {
      expect(rootManifest.dependencies[name], name).toBe(version);
    }
  });
});

const BUILTINS = new Set(requireBundle('node:module').builtinModules as string[]);
function isBuiltin(name: string): boolean {
  return BUILTINS.has(name) || BUILTINS.has(name.split('/')[0]!);
}
