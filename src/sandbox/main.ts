/**
 * `npm start`: runs the connector locally (see docs/sandbox.md). PORT picks the workbench port
 * (default 3000); real credentials in the environment switch a side to the real service.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config.js';
import { startSandbox } from './sandbox.js';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const started = Date.now();
  // `npm start -- --mode service`: the connector service instead of the function runner (serviceMode.ts).
  const { values } = parseArgs({ options: { mode: { type: 'string', default: 'functions' } } });
  if (values.mode !== 'functions' && values.mode !== 'service') throw new Error(`--mode must be functions or service, not ${values.mode}`);
  // Function calls run the built bundles in fresh processes, as on HubSpot (SANDBOX_IN_PROCESS=1: import the sources).
  const functions = process.env.SANDBOX_IN_PROCESS === '1' || values.mode === 'service' ? 'in-process' : 'runner';
  const sandbox = await startSandbox({ port, echoLogs: process.env.SANDBOX_ECHO_LOGS === '1', functions, backend: values.mode });
  const { urls, mode } = sandbox;
  const side = (name: string, value: string, url?: string) =>
    `  ${name.padEnd(9)} ${value === 'real' ? 'REAL account (credentials from the environment)' : `simulated at ${url}`}`;
  console.log(
    [
      `billwerk ↔ HubSpot connector sandbox is running (${Date.now() - started} ms)`,
      '',
      `  Workbench  ${urls.workbench}`,
      `  Settings   ${urls.settings}`,
      urls.service ? `  Service    ${urls.service} (cards call it through a signed hubspot.fetch)` : `  Functions  POST ${urls.functions}`,
      `  Endpoints  ${urls.endpoints}`,
      side('billwerk', mode.billwerk, urls.billwerk),
      side('HubSpot', mode.hubspot, urls.hubspot),
      '',
      'Ctrl+C stops it. Everything is in memory: a restart starts from the demo data again.',
    ].join('\n'),
  );

  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(
      `The sandbox cannot start: ${error.problems.join('; ')}.\nUnset the variables to use the simulators, or complete them (docs/sandbox.md).`,
    );
  } else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    console.error(`Port ${process.env.PORT ?? 3000} is in use; start with PORT=<free port> npm start.`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
