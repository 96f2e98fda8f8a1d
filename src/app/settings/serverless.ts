import { hubspot } from '@hubspot/ui-extensions';

/**
 * The settings page's one door to the connector (app functions, or the service in service mode), so tests can `vi.mock` it.
 * A copy of cards/shared/serverless.ts: HubSpot builds each UI folder on its own, so the page does
 * not import from the cards folder. A function that throws becomes a problem the page can show.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Problem {
  message: string;
  record?: string;
  field?: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** A section's data while it loads, once it failed, and once it is there. */
export type Loadable<T> = { state: 'loading' } | { state: 'error'; problems: Problem[] } | { state: 'ready'; value: T };

export function toLoadable<T>(outcome: Outcome<T>): Loadable<T> {
  return outcome.ok ? { state: 'ready', value: outcome.value } : { state: 'error', problems: outcome.problems };
}

/** Empty: app functions; service mode: the connector service's HTTPS URL (see cards/shared/serverless.ts). */
declare const __CONNECTOR_SERVICE_URL__: string | undefined;
export const SERVICE_URL: string = typeof __CONNECTOR_SERVICE_URL__ === 'string' ? __CONNECTOR_SERVICE_URL__ : '';

export async function callFunction<T>(name: string, parameters: Record<string, JsonValue> = {}): Promise<Outcome<T>> {
  try {
    if (!SERVICE_URL) return await hubspot.serverless<Outcome<T>>(name, { parameters });
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
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ message: `The connector could not be reached (${message}). Try again in a moment.` }],
    };
  }
}

function isOutcome<T>(value: unknown): value is Outcome<T> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; problems?: unknown };
  return candidate.ok === true || (candidate.ok === false && Array.isArray(candidate.problems));
}

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
