import { hubspot } from '@hubspot/ui-extensions';

/** What every connector function returns (mirrors src/core/result.ts `Outcome`). */
/** What a card may send to a function: plain JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Problem {
  message: string;
  record?: string;
  field?: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/**
 * Which backend answers. Empty: the app functions (`hubspot.serverless`), the HubSpot-hosted mode.
 * Service mode: the connector service's HTTPS URL (`hubspot.fetch`, signed by HubSpot; the URL is in
 * `permittedUrls.fetch`). `npm run deploy -- --mode service` gives the constant its value in the
 * uploaded copy; the sandbox defines it when it bundles the cards (docs/service-mode.md).
 */
declare const __CONNECTOR_SERVICE_URL__: string | undefined;
export const SERVICE_URL: string = typeof __CONNECTOR_SERVICE_URL__ === 'string' ? __CONNECTOR_SERVICE_URL__ : '';

/**
 * The one place cards call the connector, so card tests can replace it with `vi.mock`; the card
 * code is the same in both modes. A call that throws (or cannot be reached) becomes a problem the
 * card can show.
 */
export async function callFunction<T>(
  name: string,
  parameters: Record<string, JsonValue> = {},
  propertiesToSend: string[] = [],
): Promise<Outcome<T>> {
  try {
    if (!SERVICE_URL) return await hubspot.serverless<Outcome<T>>(name, { parameters, propertiesToSend });
    // The service reads the record itself; a card that relies on propertiesToSend must say so loudly.
    if (propertiesToSend.length > 0)
      return {
        ok: false,
        problems: [{ message: `${name} needs propertiesToSend, which the connector service does not support.` }],
      };
    return await callService<T>(name, parameters);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ message: `The connector could not be reached (${message}). Try again in a moment.` }],
    };
  }
}

/** POST <service>/functions/<uid>; the service answers an Outcome, also for 401/403/404 (plain words). */
async function callService<T>(name: string, parameters: Record<string, JsonValue>): Promise<Outcome<T>> {
  const response = await hubspot.fetch(`${SERVICE_URL}/functions/${encodeURIComponent(name)}`, {
    method: 'POST',
    body: { parameters, requestId: requestId() },
  });
  const payload: unknown = await response.json().catch(() => undefined);
  if (isOutcome<T>(payload)) return payload;
  return {
    ok: false,
    problems: [
      { message: `The connector service answered ${response.status} without a result. Try again in a moment.` },
    ],
  };
}

function isOutcome<T>(value: unknown): value is Outcome<T> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; problems?: unknown };
  return candidate.ok === true || (candidate.ok === false && Array.isArray(candidate.problems));
}

/** One line per problem, naming record and field when known. */
export function describeProblem(problem: Problem): string {
  const where = [problem.record, problem.field].filter(Boolean).join(' – ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/**
 * Makes every request unique: the service refuses a signature it has seen (a replayed request), and
 * two cards asking the same thing in the same millisecond would otherwise be signed identically.
 */
function requestId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
