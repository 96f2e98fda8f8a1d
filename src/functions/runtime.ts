import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { BillwerkApi } from '../core/billwerk/api.js';
import { createBillwerkClient } from '../core/billwerk/client.js';
import { BillwerkApiError } from '../core/billwerk/errors.js';
import {
  billwerkConfigSchema,
  ConfigError,
  hubspotConfigSchema,
  readConfig,
  type BillwerkConfig,
  type HubSpotConfig,
} from '../core/config.js';
import { DEFAULT_RESERVE_MS, isOutOfTime, runWithDeadline } from '../core/http/deadline.js';
import type { HubSpotApi } from '../core/hubspot/api.js';
import { createHubSpotClient } from '../core/hubspot/client.js';
import { HubSpotApiError } from '../core/hubspot/errors.js';
import { createLogger, redact, redactSecretValues, type Logger } from '../core/log.js';
import type { Outcome, Problem } from '../core/result.js';
import {
  BodyTooLargeError,
  MAX_ENDPOINT_BODY_BYTES,
  toEndpointRequest,
  toHubSpotEndpointReply,
  type EndpointReply,
  type EndpointRequest,
  type HubSpotEndpointContext,
  type HubSpotEndpointReply,
} from './endpoint.js';

/**
 * The edge kit every function uses. HubSpot `require`s a function's bundle and calls
 * `exports.main(context)`; `privateFunction` / `endpointFunction` turn a typed handler into that `main`:
 * parse the input with zod, build the services from the secrets (lazily, so a function that never
 * touches billwerk never needs billwerk secrets), run within the call's time budget, and shape the
 * reply. Secrets are read here and nowhere else; they never reach a reply or a log line.
 */

export type Env = Record<string, string | undefined>;

/**
 * A HubSpot record id as cards send it (string or number): digits only, at most 20 (HubSpot ids are
 * 64-bit integers), so nothing but an id reaches a HubSpot URL path or a search filter.
 */
export function hubspotIdSchema(what: string) {
  return z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().trim().regex(/^\d{1,20}$/, `must be a ${what} id`));
}

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

/** The context HubSpot passes to a private (card-called) app function. */
export interface PrivateFunctionContext {
  parameters?: unknown;
  /** Current record's properties the card asked for: `{ name: value }`. */
  propertiesToSend?: Record<string, string | null | undefined> | null;
  secrets?: Record<string, string | undefined> | null;
  event?: unknown;
}

export type PrivateHandler<I, T> = (input: I, services: Services) => Promise<Outcome<T>>;
export type EndpointHandler = (request: EndpointRequest, services: Services) => Promise<EndpointReply>;

export interface FunctionOptions {
  /** Log scope, e.g. the function's uid. */
  name?: string;
  /** This function's time budget in ms, instead of the private/endpoint default (CallBudget). */
  budgetMs?: number;
}

// ---------------------------------------------------------------------------------------------------
// Time budget per call (src/core/http/deadline.ts, docs/platform.md "Time budget per call").

export interface CallBudget {
  /** A card-called function: HubSpot stops a call after ~10 s (docs/platform.md "Limits"). */
  privateMs: number;
  /** An endpoint function: billwerk stops waiting for a webhook answer after 10 s. */
  endpointMs: number;
  /** Kept back at the end for the use-case to write its error onto the record. */
  reserveMs: number;
  /** Epoch-ms clock the budget is measured with (default Date.now). */
  now?: () => number;
}

export const DEFAULT_CALL_BUDGET: Readonly<CallBudget> = { privateMs: 9_000, endpointMs: 8_000, reserveMs: DEFAULT_RESERVE_MS };

let callBudget: CallBudget = { ...DEFAULT_CALL_BUDGET };

/** Test and sandbox seam: other budgets (or a clock) for every function call until resetServices(). */
export function overrideCallBudget(budget: Partial<CallBudget>): void {
  callBudget = { ...DEFAULT_CALL_BUDGET, ...budget };
}

function withinBudget<T>(budgetMs: number, fn: () => Promise<T>): Promise<T> {
  return runWithDeadline(budgetMs, fn, { reserveMs: callBudget.reserveMs, ...(callBudget.now ? { now: callBudget.now } : {}) });
}

// ---------------------------------------------------------------------------------------------------
// Services: built from the environment, clients cached across warm invocations.

type ServicesOverride = (env: Env) => Partial<Omit<Services, 'env' | 'config'>>;

let servicesOverride: ServicesOverride | undefined;
const billwerkClients = new Map<string, BillwerkApi>();
const hubspotClients = new Map<string, HubSpotApi>();

/**
 * Test and sandbox seam: whatever the factory returns replaces the service built from the
 * environment (e.g. clients pointed at the simulators, a recording logger, a fixed clock).
 */
export function overrideServices(factory: ServicesOverride): void {
  servicesOverride = factory;
}

/** Drops the override, the budget override and every cached client. */
export function resetServices(): void {
  servicesOverride = undefined;
  callBudget = { ...DEFAULT_CALL_BUDGET };
  billwerkClients.clear();
  hubspotClients.clear();
}

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
  const overrides = servicesOverride?.(env) ?? {};
  const logger = overrides.logger ?? redactingLogger(scope, env);
  let billwerk: BillwerkApi | undefined = overrides.billwerk;
  let hubspot: HubSpotApi | undefined = overrides.hubspot;
  const config = <S extends z.ZodType>(schema: S): z.output<S> => readConfig(schema, env);
  return {
    get billwerk() {
      if (!billwerk) {
        billwerk = cached<BillwerkConfig, BillwerkApi>(billwerkClients, config(billwerkConfigSchema), (c) =>
          createBillwerkClient(c, { logger: redactingLogger('billwerk-client', env) }),
        );
      }
      return billwerk;
    },
    get hubspot() {
      if (!hubspot) {
        hubspot = cached<HubSpotConfig, HubSpotApi>(hubspotClients, config(hubspotConfigSchema), (c) =>
          createHubSpotClient(c, { logger: redactingLogger('hubspot-client', env), redactValue: (value) => redactSecretValues(value, env) }),
        );
      }
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

function environmentOf(secrets: Record<string, string | undefined> | null | undefined): Env {
  return { ...process.env, ...(secrets ?? {}) };
}

// ---------------------------------------------------------------------------------------------------
// Private functions (called from cards through hubspot.serverless).

/**
 * Wraps a card-called function. `inputSchema` parses `context.parameters`, plus the card's
 * `propertiesToSend` under the reserved key `properties` (undeclared keys are dropped by zod objects).
 * Returns `main(context)` resolving to a plain-JSON `Outcome`; it never throws.
 */
export function privateFunction<S extends z.ZodType, T>(
  inputSchema: S,
  run: PrivateHandler<z.output<S>, T>,
  options: FunctionOptions = {},
): (context: PrivateFunctionContext) => Promise<Outcome<T>> {
  const scope = options.name ?? 'function';
  return async (context) => {
    const env = environmentOf(context?.secrets);
    const services = buildServices(env, scope);
    const parameters = isPlainObject(context?.parameters) ? context.parameters : {};
    const input = { ...parameters, properties: context?.propertiesToSend ?? {} };
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => toInputProblem(issue, input)) };
    try {
      return toPlainJson(await withinBudget(options.budgetMs ?? callBudget.privateMs, () => run(parsed.data, services)), env);
    } catch (error) {
      // Parameter names (not values: they may hold personal data) tell which call failed.
      const context = { parameters: Object.keys(parameters) };
      return { ok: false, problems: problemsForUnexpected(error, services.logger, context) };
    }
  };
}

function toInputProblem(issue: z.core.$ZodIssue, input: Record<string, unknown>): Problem {
  const field = issue.path.map(String).join('.');
  // Unions (ids as string or number) report "Invalid input" for a missing value: look at the input.
  const absent = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  const missing = absent || (issue.code === 'invalid_type' && /received undefined$/.test(issue.message));
  const message = missing ? 'is missing' : issue.message;
  return field ? { record: 'request', field, message } : { record: 'request', message };
}

/**
 * A ConfigError names the secrets an admin must fix; running out of time says which service was slow;
 * anything else is logged and hidden.
 */
function problemsForUnexpected(error: unknown, logger: Logger, context: Record<string, unknown>): Problem[] {
  if (error instanceof ConfigError) {
    logger.warn('configuration incomplete', { problems: error.problems });
    return error.problems.map(toConfigProblem);
  }
  const reference = randomUUID();
  if (isOutOfTime(error)) {
    logger.warn('out of time', { reference, ...context, ...describeError(error) });
    return [{ message: `${slowServiceOf(error)} did not answer in time, so the connector stopped before the function's time limit (reference ${reference}). Try again in a moment.` }];
  }
  logger.error('unexpected error', { reference, ...context, ...describeError(error) });
  return [
    {
      message: `Something went wrong in the connector (reference ${reference}). Try again; if it keeps happening, ask an admin to check the function logs.`,
    },
  ];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function slowServiceOf(error: unknown): string {
  if (error instanceof BillwerkApiError) return 'billwerk';
  if (error instanceof HubSpotApiError) return 'HubSpot';
  return 'billwerk or HubSpot';
}

function toConfigProblem(problem: string): Problem {
  const secret = /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0];
  const fix = secret ? ` An admin can set it with \`hs secret add ${secret}\` and redeploy.` : '';
  return {
    record: 'connector settings',
    ...(secret ? { field: secret } : {}),
    message: `The connector is not fully set up: ${problem}.${fix}`,
  };
}

/** Name, message and stack of an error for the log; the logger redacts secret values. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: error.name, detail: error.message, stack: error.stack?.split('\n').slice(0, 8).join('\n') };
  }
  return { error: typeof error, detail: String(error) };
}

/**
 * The reply as plain JSON, with any secret value redacted: problems carry error messages from billwerk
 * and HubSpot, and a server echoing a credential must not put it on a card (docs/security.md).
 */
function toPlainJson<T>(value: T, env: Env): T {
  return JSON.parse(redact(JSON.stringify(value), env)) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------
// Public endpoint functions (webhooks from billwerk and HubSpot, the product-sync trigger).

/**
 * Wraps a public endpoint function: the handler sees `{ method, headers (lower-case), query, body,
 * rawBody? }` and returns `{ status, body?, headers? }`; HubSpot's shapes are adapted in endpoint.ts.
 * The endpoint is public: the handler must authenticate the caller. Failures answer 500/503 without
 * details (the caller may be anyone); the details go to the log. Running out of time answers 503, so
 * the caller delivers again.
 */
export function endpointFunction(
  run: EndpointHandler,
  options: FunctionOptions = {},
): (context: HubSpotEndpointContext) => Promise<HubSpotEndpointReply> {
  const scope = options.name ?? 'endpoint';
  return async (context) => {
    const env = environmentOf(context?.secrets);
    const services = buildServices(env, scope);
    try {
      const request = toEndpointRequest(context ?? {});
      const reply = toHubSpotEndpointReply(await withinBudget(options.budgetMs ?? callBudget.endpointMs, () => run(request, services)));
      return { ...reply, body: redact(reply.body, env) };
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Refused before authentication and before any parsing of ours: nothing was read or written.
        services.logger.warn('endpoint request body too large', { bytes: error.bytes, limit: MAX_ENDPOINT_BODY_BYTES });
        return toHubSpotEndpointReply({ status: 413, body: { error: 'request body too large' } });
      }
      if (error instanceof ConfigError) {
        services.logger.warn('configuration incomplete', { problems: error.problems });
        return toHubSpotEndpointReply({ status: 503, body: { error: 'The connector is not fully set up.' } });
      }
      const reference = randomUUID();
      if (isOutOfTime(error)) {
        services.logger.warn('out of time', { reference, method: context?.method, ...describeError(error) });
        return toHubSpotEndpointReply({ status: 503, body: { error: 'temporarily unavailable, please retry', reference } });
      }
      services.logger.error('unexpected error', { reference, method: context?.method, ...describeError(error) });
      return toHubSpotEndpointReply({ status: 500, body: { error: 'Internal error', reference } });
    }
  };
}

export type { EndpointReply, EndpointRequest } from './endpoint.js';
