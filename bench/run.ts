/**
 * `npm run bench [-- name …]`: runs every `bench/*.bench.ts` module (or those whose file name contains
 * one of the given names) one after another against the simulators, prints a table and writes
 * `bench-results.json` at the repo root. A module that throws is reported; the results of the others
 * are still written, and the process exits non-zero. How long each module took goes to stderr.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './types.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

/** Lower is better unless the unit says otherwise (a rate). */
export function higherIsBetter(unit: string): boolean {
  return /(\/\s*min\b|\/\s*s(ec(ond)?)?\b|per\s*s(ec(ond)?)?\b|ops\b|higher is better)/i.test(unit);
}

export function meetsTarget(result: BenchResult): boolean {
  return higherIsBetter(result.unit) ? result.value >= result.target : result.value <= result.target;
}

/** Longest unit shown in the table; a longer one moves under the table as a note. */
const UNIT_WIDTH = 12;

/**
 * The table fits a 100-column terminal: metric, value, a short unit, target, ok?. Notes (how a
 * value was measured, and units too long for the column) are numbered and printed under it.
 */
export function formatTable(results: BenchResult[]): string {
  const notes: string[] = [];
  const rows = [
    ['metric', 'value', 'unit', 'target', 'ok?'],
    ...results.map((r) => {
      const longUnit = r.unit.length > UNIT_WIDTH;
      const text = [longUnit ? `unit: ${r.unit}` : '', r.note ?? ''].filter(Boolean).join('; ');
      if (text) notes.push(`[${notes.length + 1}] ${r.metric}: ${text}`);
      const marker = text ? ` [${notes.length}]` : '';
      return [
        r.metric + marker,
        formatNumber(r.value),
        longUnit ? 'see note' : r.unit,
        formatNumber(r.target),
        meetsTarget(r) ? 'yes' : 'NO',
      ];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const table = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  return [...table, ...(notes.length ? ['', ...notes.map((n) => wrap(n, 100))] : [])].join('\n');
}

/** Wraps a note at `width` columns, continuation lines indented. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = `    ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines.join('\n');
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 3 : 1);
}

function isBenchResult(value: unknown): value is BenchResult {
  const r = value as BenchResult;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.metric === 'string' &&
    typeof r.value === 'number' &&
    Number.isFinite(r.value) &&
    typeof r.unit === 'string' &&
    typeof r.target === 'number'
  );
}

export async function runBenchmarks(filters: string[]): Promise<{ results: BenchResult[]; failures: string[] }> {
  const files = (await readdir(benchDir))
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const file of files) {
    const started = Date.now();
    try {
      const module = (await import(pathToFileURL(path.join(benchDir, file)).href)) as Partial<BenchModule>;
      if (typeof module.run !== 'function') throw new Error('exports no run()');
      const produced = await module.run();
      const bad = produced.filter((r) => !isBenchResult(r));
      if (bad.length > 0) throw new Error(`returned malformed results: ${JSON.stringify(bad).slice(0, 200)}`);
      results.push(...produced);
      console.error(`${file}: ${produced.length} metric(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${file}: ${message}`);
      console.error(`${file}: FAILED\n${message}`);
    }
  }
  return { results, failures };
}

async function main() {
  const { results, failures } = await runBenchmarks(process.argv.slice(2));
  const out = path.join(root, 'bench-results.json');
  await writeFile(
    out,
    `${JSON.stringify(
      results.map(({ metric, value, unit, target }) => ({ metric, value, unit, target })),
      null,
      2,
    )}\n`,
  );
  console.log(`\n${formatTable(results)}\n`);
  console.log(`${results.length} metric(s) written to ${path.relative(process.cwd(), out) || out}`);
  if (failures.length > 0) {
    console.error(`${failures.length} benchmark module(s) failed:\n  ${failures.map((f) => f.split('\n')[0]).join('\n  ')}`);
    process.exitCode = 1;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  main().then(
    // Simulator servers or timers left open by a module must not keep the process alive.
    () => process.exit(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
