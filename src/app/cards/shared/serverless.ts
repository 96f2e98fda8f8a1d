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
 * The one place cards call app functions, so card tests can replace it with `vi.mock`.
 * A function that throws (or cannot be reached) becomes a problem the card can show.
 */
export async function callFunction<T>(
  name: string,
  parameters: Record<string, JsonValue> = {},
  propertiesToSend: string[] = [],
): Promise<Outcome<T>> {
  try {
    return await hubspot.serverless<Outcome<T>>(name, { parameters, propertiesToSend });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ message: `The connector could not be reached (${message}). Try again in a moment.` }] };
  }
}

/** One line per problem, naming record and field when known. */
export function describeProblem(problem: Problem): string {
  const where = [problem.record, problem.field].filter(Boolean).join(' – ');
  return where ? `${where}: ${problem.message}` : problem.message;
}
