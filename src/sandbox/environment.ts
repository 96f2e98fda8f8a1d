/**
 * Which services the sandbox talks to, and the secrets its functions see. Each side is chosen on
 * its own: with a HubSpot private app token in the environment the real portal is used, with
 * billwerk client credentials the real billwerk; anything missing is simulated on localhost.
 */
import { billwerkConfigSchema, hubspotConfigSchema, readConfig, SECRET_NAMES } from '../core/config.js';
import { SIM_CREDENTIALS, simulatorEnv } from '../simulators/constants.js';

export type Side = 'simulated' | 'real';

export interface SandboxMode {
  hubspot: Side;
  billwerk: Side;
}

/** Every variable the connector reads (secrets plus plain settings). */
export const CONNECTOR_VARIABLES = [
  ...SECRET_NAMES,
  'BILLWERK_BASE_URL',
  'BILLWERK_ENTITIES',
  'HUBSPOT_API_BASE_URL',
  'HUBSPOT_WEBHOOK_TARGET_URL',
] as const;

const BILLWERK_VARIABLES = ['BILLWERK_CLIENT_ID', 'BILLWERK_CLIENT_SECRET', 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES'];
const HUBSPOT_VARIABLES = ['PRIVATE_APP_ACCESS_TOKEN', 'HUBSPOT_API_BASE_URL'];

export function chooseMode(env: Record<string, string | undefined>): SandboxMode {
  return {
    hubspot: env.PRIVATE_APP_ACCESS_TOKEN ? 'real' : 'simulated',
    billwerk: env.BILLWERK_CLIENT_ID || env.BILLWERK_CLIENT_SECRET ? 'real' : 'simulated',
  };
}

/** Throws a ConfigError naming the missing or malformed variables of a side that is real. */
export function checkRealCredentials(mode: SandboxMode, env: Record<string, string | undefined>): void {
  if (mode.billwerk === 'real') readConfig(billwerkConfigSchema, env);
  if (mode.hubspot === 'real') readConfig(hubspotConfigSchema, env);
}

/**
 * The functions' environment: the simulators' credentials and URLs, replaced side by side by the
 * real variables. A real side with incomplete variables fails here, naming them (never values).
 */
export function functionSecrets(
  mode: SandboxMode,
  env: Record<string, string | undefined>,
  urls: { billwerk: string; hubspot: string; sandbox: string },
): Record<string, string> {
  const secrets: Record<string, string> = {
    ...simulatorEnv({ billwerk: urls.billwerk, hubspot: urls.hubspot }),
    HUBSPOT_WEBHOOK_TARGET_URL: `${urls.sandbox}/hs/serverless/hubspot-events`,
  };
  const take = (names: readonly string[]) => {
    for (const name of names) {
      const value = env[name];
      if (value) secrets[name] = value;
      else delete secrets[name];
    }
  };
  checkRealCredentials(mode, env);
  if (mode.billwerk === 'real') take(BILLWERK_VARIABLES);
  if (mode.hubspot === 'real') take(HUBSPOT_VARIABLES);
  // Webhook and scheduler secrets: the developer's values if set, else the simulators' (the sandbox
  // signs and authenticates its own deliveries with whatever the functions expect).
  for (const name of [
    'BILLWERK_WEBHOOK_USER',
    'BILLWERK_WEBHOOK_PASSWORD',
    'BILLWERK_WEBHOOK_TOKEN',
    'HUBSPOT_CLIENT_SECRET',
    'PRODUCT_SYNC_TOKEN',
  ]) {
    const value = env[name];
    if (value) secrets[name] = value;
  }
  return secrets;
}

export const DEMO_PORTAL_ID = 123;
export const DEMO_USER = { id: 1, email: 'demo.rep@example.com', firstName: 'Demo', lastName: 'Rep' };
export { SIM_CREDENTIALS };
