/**
 * Runs before every test file. Tests talk to the simulators only: connector secrets from the
 * developer's shell (or a CI runner) are removed so no test can reach a real billwerk or HubSpot
 * account, and a real value can never end up in a snapshot or an assertion message.
 * Dates are compared in UTC everywhere.
 * A test fails when it prints a console.error it did not announce (test/support/console.ts).
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { SECRET_NAMES } from '../src/core/config.js';
import { consoleErrorState, recordConsoleErrors, takeUnexpectedConsoleErrors } from './support/console.js';

const CONNECTOR_ENV = [...SECRET_NAMES, 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES', 'HUBSPOT_API_BASE_URL'];
for (const name of CONNECTOR_ENV) delete process.env[name];

process.env.TZ = 'UTC';

recordConsoleErrors();

beforeEach(() => {
  consoleErrorState().inTest = true;
});

afterEach(() => {
  const state = consoleErrorState();
  state.inTest = false;
  state.allowedInTest = [];
  failOnUnexpectedConsoleErrors('this test');
});

afterAll(() => failOnUnexpectedConsoleErrors('a beforeAll/afterAll hook of this file'));

function failOnUnexpectedConsoleErrors(where: string): void {
  const unexpected = takeUnexpectedConsoleErrors();
  if (unexpected.length === 0) return;
  throw new Error(
    `${where} printed ${unexpected.length} unexpected console.error line(s); fix the cause, or call ` +
      `allowConsoleError(pattern) from test/support/console.ts if the test expects it:\n` +
      unexpected.map((line) => `  ${line.split('\n')[0]!.slice(0, 300)}`).join('\n'),
  );
}
