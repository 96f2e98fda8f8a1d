/**
 * Built bundles for tests and benchmarks, built once per source state: the bundles of
 * `scripts/build-functions.ts` go to `node_modules/.cache/connector-functions/<hash>/`, where the hash
 * covers everything that goes into them (src/core, src/functions, the functions' hsmeta and
 * package.json, the build script, the lockfile). Parallel test workers may race to build the same
 * hash; each builds into its own temporary directory and the first rename wins.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build-functions.js';
import { REPO_ROOT } from './functions.js';

const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'connector-functions');
const INPUTS = ['src/core', 'src/functions', 'src/app/functions', 'scripts/build-functions.ts', 'package-lock.json', 'hsproject.json'];

/** The directory holding `<name>.js` for every app function, built from the current sources. */
export async function ensureBuilt(): Promise<string> {
  const dir = path.join(CACHE_DIR, await sourceHash());
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const temporary = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await buildFunctions({ root: REPO_ROOT, quiet: true, outdir: temporary });
  await writeFile(path.join(temporary, '.complete'), '');
  try {
    await rename(temporary, dir);
  } catch {
    await rm(temporary, { recursive: true, force: true }); // another worker won the race
  }
  if (!existsSync(path.join(dir, '.complete'))) throw new Error(`building the app functions into ${dir} failed`);
  await pruneCache(dir);
  return dir;
}

/** Keeps the newest few builds (each is ~17 MB); older source states are rebuilt when needed. */
async function pruneCache(keep: string): Promise<void> {
  const builds = await Promise.all(
    (await readdir(CACHE_DIR))
      .filter((name) => !name.includes('.tmp-'))
      .map(async (name) => ({ dir: path.join(CACHE_DIR, name), at: (await stat(path.join(CACHE_DIR, name))).mtimeMs })),
  );
  const old = builds
    .filter((b) => b.dir !== keep)
    .sort((a, b) => b.at - a.at)
    .slice(3);
  await Promise.all(old.map((b) => rm(b.dir, { recursive: true, force: true })));
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await filesUnder(path.join(REPO_ROOT, input))) {
      hash.update(path.relative(REPO_ROOT, file));
      hash.update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function filesUnder(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [target];
  const files: string[] = [];
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    files.push(...(await filesUnder(path.join(target, entry.name))));
  }
  return files;
}
