/**
 * Every setup error tells the admin where the value comes from and its format, and an entity id
 * billwerk does not know is a BILLWERK_ENTITIES problem whatever 4xx billwerk answers.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, CONFIG_HELP, billwerkConfigSchema, readConfig } from '../../src/core/config.js';
import { explainBillwerkFailure } from '../../src/core/settings/checkConnection.js';
import { formatConfigError, readSetupConfig } from '../../scripts/setup.js';

const BASE = 'https://sandbox.billwerk.com';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('npm run setup without its values', () => {
  it('says where the token comes from and the JSON shape of BILLWERK_ENTITIES', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const run = promisify(execFile)('npx', ['tsx', 'scripts/setup.ts'], { env, timeout: 60_000 });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const stderr = failure!.stderr;
    expect(stderr).toContain('PRIVATE_APP_ACCESS_TOKEN is missing');
    expect(stderr).toContain('Auth tab');
    expect(stderr).toContain('BILLWERK_ENTITIES is missing');
    expect(stderr).toContain('[{"id":"<billwerk entity id>","name":"<name shown in HubSpot>"');
    expect(stderr).toContain('Example: PRIVATE_APP_ACCESS_TOKEN=');
  });

  it.each([
    ['not JSON', '{id: e1}', 'must be a JSON array'],
    ['an empty list', '[]', 'must list at least the root entity'],
    ['an entity without a name', '[{"id":"e1"}]', 'BILLWERK_ENTITIES.0.name'],
    ['the same id twice', '[{"id":"e1","name":"A"},{"id":"e1","name":"B"}]', 'entity ids must be unique'],
  ])('names BILLWERK_ENTITIES with %s, and shows its format', (_case, value, expected) => {
    const error = configError(() => readSetupConfig({ PRIVATE_APP_ACCESS_TOKEN: 'pat-test', BILLWERK_ENTITIES: value }));
    const text = formatConfigError(error);
    expect(text).toContain(expected);
    expect(text).toContain(CONFIG_HELP.BILLWERK_ENTITIES);
    expect(text).not.toContain('PRIVATE_APP_ACCESS_TOKEN is missing');
  });

  it('accepts HUBSPOT_ACCESS_TOKEN for the token', () => {
    expect(
      readSetupConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-test', BILLWERK_ENTITIES: '[{"id":"e1","name":"A"}]' }).PRIVATE_APP_ACCESS_TOKEN,
    ).toBe('pat-test');
  });
});

describe('every configuration value explains itself', () => {
  it.each(['BILLWERK_CLIENT_ID', 'BILLWERK_CLIENT_SECRET', 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES'])('%s: where it comes from', (name) => {
    const env: Record<string, string> = {
      BILLWERK_CLIENT_ID: 'id',
      BILLWERK_CLIENT_SECRET: 'secret',
      BILLWERK_BASE_URL: 'sandbox.billwerk.com',
      BILLWERK_ENTITIES: '[{"id":"e1","name":"A"}]',
    };
    delete env[name];
    const error = configError(() => readConfig(billwerkConfigSchema, env));
    expect(error.problems).toEqual([`${name} is missing (${CONFIG_HELP[name]})`]);
  });

  it('a malformed base URL says what is accepted, without echoing the value', () => {
    const error = configError(() =>
      readConfig(billwerkConfigSchema, {
        BILLWERK_CLIENT_ID: 'id',
        BILLWERK_CLIENT_SECRET: 'secret',
        BILLWERK_BASE_URL: 'ftp://secret-host',
        BILLWERK_ENTITIES: '[{"id":"e1","name":"A"}]',
      }),
    );
    expect(error.problems[0]).toMatch(/^BILLWERK_BASE_URL must be sandbox\.billwerk\.com, app\.billwerk\.com or an https URL/);
    expect(error.message).not.toContain('secret-host');
  });
});

describe('connection check: what a failed billwerk call means', () => {
  it.each([400, 401, 403, 404, 422])('an entity read answered %i after a token was issued is a BILLWERK_ENTITIES problem', (status) => {
    const explained = explainBillwerkFailure(status, BASE, 'read', '64a0000000000000000000ff');
    expect(explained).toMatchObject({ reachable: true, authorized: false });
    expect(explained.message).toContain('billwerk does not know entity "64a0000000000000000000ff"');
    expect(explained.message).toContain('BILLWERK_ENTITIES');
    expect(explained.message).not.toContain('BILLWERK_CLIENT_SECRET');
  });

  it.each([400, 401])('a token request answered %i names the client id and secret and where they are', (status) => {
    const explained = explainBillwerkFailure(status, BASE, 'token');
    expect(explained.message).toContain('BILLWERK_CLIENT_ID and BILLWERK_CLIENT_SECRET');
    expect(explained.message).toContain('My Apps');
  });

  it('no answer names the base URL and its format; 429 is not a configuration problem', () => {
    expect(explainBillwerkFailure(0, BASE).message).toContain('Check BILLWERK_BASE_URL (sandbox.billwerk.com, app.billwerk.com');
    expect(explainBillwerkFailure(429, BASE, 'read')).toMatchObject({
      authorized: true,
      message: expect.stringContaining('rate limiting'),
    });
  });
});
