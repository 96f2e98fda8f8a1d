/**
 * test/setup.ts fails every test that prints a `console.error` it did not announce: an error the
 * code logs is a bug until a test says it expects it. A test that expects one says so first:
 *
 *   allowConsoleError(/billwerk answered 500/);   // matches against the printed text
 *
 * The allowance lasts until the end of the current test (or of the file, when called in beforeAll).
 * Mocking console.error (`vi.spyOn(console, 'error').mockImplementation(...)`) also counts as expecting it.
 */
import { format } from 'node:util';

interface ConsoleErrorState {
  /** What was printed since the last check, with the allowances of the test that printed it. */
  printed: string[];
  allowedInTest: RegExp[];
  allowedInFile: RegExp[];
  inTest: boolean;
}

const KEY = Symbol.for('billwerk-connector.console-error');

export function consoleErrorState(): ConsoleErrorState {
  const holder = globalThis as { [KEY]?: ConsoleErrorState };
  holder[KEY] ??= { printed: [], allowedInTest: [], allowedInFile: [], inTest: false };
  return holder[KEY];
}

/** Lets the current test (or, in beforeAll, the file) print console.error lines matching `pattern`. */
export function allowConsoleError(pattern: RegExp | string = /[\s\S]*/): void {
  const state = consoleErrorState();
  const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  (state.inTest ? state.allowedInTest : state.allowedInFile).push(regex);
}

/** Installed once per test file by test/setup.ts: records, then prints as before. */
export function recordConsoleErrors(): void {
  const state = consoleErrorState();
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const text = format(...args);
    const allowed = [...state.allowedInTest, ...state.allowedInFile].some((pattern) => pattern.test(text));
    if (!allowed) state.printed.push(text);
    print(...args);
  };
}

/** The unexpected console.error lines since the last call (and forgets them). */
export function takeUnexpectedConsoleErrors(): string[] {
  const state = consoleErrorState();
  return state.printed.splice(0);
}
