/**
 * `npm run lint`: every static check, two at a time (CI runners and dev machines have ≥ 2 cores;
 * run one after the other they take over a minute). Each check's output is printed when it ends;
 * the command fails if any check fails.
 *   types     tsc, strict
 *   eslint    eslint.config.js: typed rules, import cycles, folder boundaries (docs/architecture.md)
 *   format    prettier --check (`npm run format` fixes)
 *   hubspot   `hs project lint`: HubSpot's own rules for cards and settings
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface Check {
  name: string;
  commands: string[][];
}

// Longest first, so the two slots finish close together.
const CHECKS: Check[] = [
  { name: 'eslint', commands: [[bin('eslint'), '.']] },
  { name: 'types', commands: [[bin('tsc'), '--noEmit', '-p', 'tsconfig.json']] },
  {
    name: 'hubspot',
    commands: [
      [bin('tsx'), 'scripts/link-ui-deps.ts'],
      [bin('hs'), 'project', 'lint', '--install-missing-deps=false'],
    ],
  },
  { name: 'format', commands: [[bin('prettier'), '--check', '--cache', '.']] },
];

interface Finished {
  name: string;
  ok: boolean;
  output: string;
  seconds: number;
}

async function runCheck(check: Check): Promise<Finished> {
  const started = Date.now();
  let output = '';
  for (const [command, ...args] of check.commands) {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(command!, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => {
        output += `${error.message}\n`;
        resolve(1);
      });
      child.on('close', (status) => resolve(status ?? 1));
    });
    if (code !== 0) return { name: check.name, ok: false, output, seconds: (Date.now() - started) / 1000 };
  }
  return { name: check.name, ok: true, output, seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<boolean> {
  const queue = [...CHECKS];
  const results: Finished[] = [];
  const worker = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const result = await runCheck(check);
      results.push(result);
      console.log(`== lint ${result.name}: ${result.ok ? 'ok' : 'FAILED'} (${result.seconds.toFixed(1)} s)`);
      if (!result.ok || process.env.LINT_VERBOSE) console.log(result.output.trimEnd());
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
  return results.every((result) => result.ok);
}

main().then(
  (ok) => {
    if (!ok) process.exitCode = 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
