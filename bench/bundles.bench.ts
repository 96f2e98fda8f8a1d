/**
 * Cold start of the built app functions: how long `require` of each bundle takes in a fresh Node
 * process (HubSpot runs each invocation in its own container, so a cold start pays this before
 * `main` runs), and the largest bundle. Runs `npm run build` first. Externals (zod, axios,
 * @hubspot/api-client) resolve from the root node_modules, as HubSpot's install beside the bundles.
 * Alone: `npm run bench -- bundles`.
 */
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions } from '../scripts/build-functions.js';
import type { BenchResult } from './types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Fresh processes per bundle; the median is reported (the first start also warms the disk cache). */
const RUNS = 5;

/** Milliseconds `require(file)` takes in a new node process. */
function requireMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const entries = await buildFunctions({ root, quiet: true });
  let slowest = 0;
  let largest = 0;
  for (const entry of entries) {
    slowest = Math.max(slowest, median(Array.from({ length: RUNS }, () => requireMs(entry.outfile))));
    largest = Math.max(largest, (await stat(entry.outfile)).size);
  }
  return [
    { metric: 'function_require_ms_max', value: Math.round(slowest), unit: 'ms', target: 150 },
    { metric: 'function_bundle_kb_max', value: Math.round(largest / 1024), unit: 'KB', target: 300 },
  ];
}
