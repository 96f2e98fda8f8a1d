/**
 * The time budget of one function call, carried through every await of that call.
 *
 * HubSpot stops a function call after a few seconds (docs/platform.md "Limits") and billwerk stops
 * waiting for a webhook answer after 10 s. A call killed mid-retry never writes its readable error
 * onto the record, so all I/O asks this module how long it may still take:
 *
 *   |<------------------------- budget ------------------------->|
 *   |<---------------- working time ---------------->|<-reserve->|
 *
 * - requests time out at the end of the working time (or their own timeout, if sooner);
 * - retries do not start a wait that would end past the working time (http/retry.ts);
 * - the reserve is kept for the use-case to write its error onto the record: a request started in
 *   the reserve may use what is left of it;
 * - once the budget is spent, no request is sent at all.
 *
 * The clients are cached across warm invocations, so the budget cannot live in them: it travels
 * with the call through AsyncLocalStorage. Outside `runWithDeadline` nothing is limited.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Kept back at the end of a budget for writing the error (a HubSpot write or two). */
export const DEFAULT_RESERVE_MS = 1_500;

export interface DeadlineOptions {
  /** Kept back for writing the error onto the record (default 1.5 s). */
  reserveMs?: number;
  /** Epoch-ms clock (tests inject one; default `Date.now`). */
  now?: () => number;
}

interface CallDeadline {
  /** Epoch ms when the budget is spent. */
  endsAt: number;
  reserveMs: number;
  now: () => number;
}

const current = new AsyncLocalStorage<CallDeadline>();

/**
 * Runs `fn` with `budgetMs` to spend. A nested budget never outlasts the one around it (the platform
 * stops the outer call regardless).
 */
export function runWithDeadline<T>(budgetMs: number, fn: () => Promise<T>, options: DeadlineOptions = {}): Promise<T> {
  const outer = current.getStore();
  const now = options.now ?? outer?.now ?? Date.now;
  const endsAt = Math.min(now() + budgetMs, outer?.endsAt ?? Infinity);
  const reserveMs = Math.min(options.reserveMs ?? DEFAULT_RESERVE_MS, budgetMs);
  return current.run({ endsAt, reserveMs, now }, fn);
}

/** Milliseconds until this call's budget is spent; Infinity outside a budget. */
export function remainingMs(): number {
  const deadline = current.getStore();
  return deadline ? deadline.endsAt - deadline.now() : Infinity;
}

/** Milliseconds of working time left (the budget minus the reserve for the error); Infinity outside a budget. */
export function workingMs(): number {
  const deadline = current.getStore();
  return deadline ? deadline.endsAt - deadline.reserveMs - deadline.now() : Infinity;
}

/**
 * The timeout for a request about to be sent: `configuredMs`, cut to the working time left; in the
 * reserve, to what is left of the budget. Throws OutOfTimeError when the budget is spent: a request
 * nobody waits for (a create billwerk might still carry out) is better not sent.
 */
export function requestTimeoutMs(configuredMs: number): number {
  const working = workingMs();
  const available = working > 0 ? working : remainingMs();
  if (available <= 0) throw new OutOfTimeError();
  return Math.max(1, Math.floor(Math.min(configuredMs, available)));
}

/** Whether a retry wait of `waitMs` still leaves a request `minAttemptMs` of working time after it. */
export function fitsWorkingTime(waitMs: number, minAttemptMs = 0): boolean {
  return waitMs + minAttemptMs < workingMs();
}

// ---------------------------------------------------------------------------------------------------
// "Did not answer in time": the mark callers turn into words.

const outOfTime = new WeakSet<object>();

/** Thrown instead of sending a request when the call's time budget is spent. */
export class OutOfTimeError extends Error {
  override name = 'OutOfTimeError';

  constructor() {
    super("no time left in this function call's time budget; the request was not sent");
    outOfTime.add(this);
  }
}

/**
 * Marks `error` (the last failure of a call) as given up for lack of time, so callers can say
 * "billwerk/HubSpot did not answer in time" instead of a plain failure. Returns the same error.
 */
export function markOutOfTime<E>(error: E): E {
  if (typeof error === 'object' && error !== null) outOfTime.add(error);
  return error;
}

/** True for errors given up because the call's time budget ran out. */
export function isOutOfTime(error: unknown): boolean {
  return typeof error === 'object' && error !== null && outOfTime.has(error);
}
