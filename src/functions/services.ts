/**
 * The services a handler gets (billwerk and HubSpot clients, logger, clock, configuration), built
 * from the environment: `process.env` merged with the call's secrets. Clients are built lazily, so a
 * function that never touches billwerk never needs billwerk secrets, and cached per configuration,
 * so a warm container (or the long-running service) reuses the billwerk OAuth token. Secrets are read
 * here and nowhere else; they never reach a reply or a log line.
 */
import type { z } from 'zod';
import type { BillwerkApi } from '../core/billwerk/api.js';
import { createBillwerkClient } from '../core/billwerk/client.js';
import { billwerkConfigSchema, hubspotConfigSchema, readConfig, type BillwerkConfig, type HubSpotConfig } from '../core/config.js';
import type { HubSpotApi } from '../core/hubspot/api.js';
import { createHubSpotClient } from '../core/hubspot/client.js';
import { createLogger, redact, secretRedactor, type Logger } from '../core/log.js';
import { currentServicesOverride, onResetServices } from './seams.js';

export type Env = Record<string, string | undefined>;

/** What a handler gets. `billwerk` and `hubspot` are built on first access. */
export interface Services {
  billwerk: BillwerkApi;
  hubspot: HubSpotApi;
  logger: Logger;
  now: () => Date;
  /** process.env merged with `context.secrets`; read other config through `config(schema)`. */
  env: Env;
  /** Parses a part of the configuration (e.g. webhook credentials); throws ConfigError naming bad secrets. */
  config<S extends z.ZodType>(schema: S): z.output<S>;
}

const billwerkClients = new Map<string, BillwerkApi>();
const hubspotClients = new Map<string, HubSpotApi>();
onResetServices(() => {
  billwerkClients.clear();
  hubspotClients.clear();
});

/** A client per distinct configuration, so a warm container reuses the billwerk OAuth token. */
function cached<C, A>(cache: Map<string, A>, config: C, create: (config: C) => A): A {
  const key = JSON.stringify(config);
  let client = cache.get(key);
  if (!client) {
    client = create(config);
    cache.set(key, client);
  }
  return client;
}

export function buildServices(env: Env, scope: string): Services {
  const overrides = currentServicesOverride()?.(env) ?? {};
  const logger = overrides.logger ?? redactingLogger(scope, env);
  let billwerk: BillwerkApi | undefined = overrides.billwerk;
  let hubspot: HubSpotApi | undefined = overrides.hubspot;
  const config = <S extends z.ZodType>(schema: S): z.output<S> => readConfig(schema, env);
  return {
    get billwerk() {
      billwerk ??= cached<BillwerkConfig, BillwerkApi>(billwerkClients, config(billwerkConfigSchema), (c) =>
        createBillwerkClient(c, { logger: redactingLogger('billwerk-client', env) }),
      );
      return billwerk;
    },
    get hubspot() {
      hubspot ??= cached<HubSpotConfig, HubSpotApi>(hubspotClients, config(hubspotConfigSchema), (c) =>
        createHubSpotClient(c, { logger: redactingLogger('hubspot-client', env), redactValue: secretRedactor(env) }),
      );
      return hubspot;
    },
    logger,
    now: overrides.now ?? (() => new Date()),
    env,
    config,
  };
}

/** Redacts secrets from `process.env` and from `context.secrets` (which may hold values env lacks). */
export function redactingLogger(scope: string, env: Env): Logger {
  return createLogger(scope, {
    log: (line: string) => console.log(redact(line, env)),
    warn: (line: string) => console.warn(redact(line, env)),
    error: (line: string) => console.error(redact(line, env)),
  });
}

/** The environment of one call: process.env with the call's secrets on top. */
export function environmentOf(secrets: Record<string, string | undefined> | null | undefined): Env {
  return { ...process.env, ...(secrets ?? {}) };
}

/** Name, message and stack of an error for the log; the logger redacts secret values. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: error.name, detail: error.message, stack: error.stack?.split('\n').slice(0, 8).join('\n') };
  }
  return { error: typeof error, detail: String(error) };
}
