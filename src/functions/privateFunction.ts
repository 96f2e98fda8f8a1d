/**
 * Private (card-called) functions. HubSpot `require`s a function's bundle and calls
 * `exports.main(context)`; `privateFunction` turns a typed handler into that `main`: parse the input
 * with zod, build the services from the secrets, run within the call's time budget, and shape the
 * reply. The connector service calls the same `main` with a context built from a signed request.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BillwerkApiError } from '../core/billwerk/errors.js';
import { ConfigError } from '../core/config.js';
import { isOutOfTime } from '../core/http/deadline.js';
import { HubSpotApiError } from '../core/hubspot/errors.js';
import { redact, type Logger } from '../core/log.js';
import type { Outcome, Problem } from '../core/result.js';
import { currentCallBudget, withinBudget } from './budget.js';
import { buildServices, describeError, environmentOf, type Env, type Services } from './services.js';

/**
 * A HubSpot record id as cards send it (string or number): digits only, at most 20 (HubSpot ids are
 * 64-bit integers), so nothing but an id reaches a HubSpot URL path or a search filter.
 */
export function hubspotIdSchema(what: string) {
  return z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(
      z
        .string()
        .trim()
        .regex(/^\d{1,20}$/, `must be a ${what} id`),
    );
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
export type PrivateMain<T = unknown> = (context: PrivateFunctionContext) => Promise<Outcome<T>>;

export interface FunctionOptions {
  /** Log scope, e.g. the function's uid. */
  name?: string;
  /** This function's time budget in ms, instead of the private/endpoint default (CallBudget). */
  budgetMs?: number;
}

/**
 * Wraps a card-called function. `inputSchema` parses `context.parameters`, plus the card's
 * `propertiesToSend` under the reserved key `properties` (undeclared keys are dropped by zod objects).
 * Returns `main(context)` resolving to a plain-JSON `Outcome`; it never throws.
 */
export function privateFunction<S extends z.ZodType, T>(
  inputSchema: S,
  run: PrivateHandler<z.output<S>, T>,
  options: FunctionOptions = {},
): PrivateMain<T> {
  const scope = options.name ?? 'function';
  return async (context) => {
    const env = environmentOf(context?.secrets);
    const services = buildServices(env, scope);
    const parameters = isPlainObject(context?.parameters) ? context.parameters : {};
    const input = { ...parameters, properties: context?.propertiesToSend ?? {} };
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => toInputProblem(issue, input)) };
    try {
      return toPlainJson(await withinBudget(options.budgetMs ?? currentCallBudget().privateMs, () => run(parsed.data, services)), env);
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
    return [
      {
        message: `${slowServiceOf(error)} did not answer in time, so the connector stopped before the function's time limit (reference ${reference}). Try again in a moment.`,
      },
    ];
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
