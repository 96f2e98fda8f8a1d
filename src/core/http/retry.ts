/**
 * Bounded retries with full-jitter exponential backoff, honouring the server's Retry-After.
 * Both API clients use it, so 429/5xx/network handling is the same everywhere.
 *
 * Within a function call's time budget (deadline.ts) a wait is started only if it ends in the working
 * time with room for another attempt; otherwise the last error is thrown at once, marked out of time
 * (`isOutOfTime`), so the use-case still has the reserve to write it onto the record.
 */
import { fitsWorkingTime, markOutOfTime, remainingMs, workingMs } from './deadline.js';

export interface RetryDecision {
  retry: boolean;
  /** Server-requested wait (Retry-After), used instead of the backoff when given. */
  afterMs?: number;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  decide(error: unknown): RetryDecision;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Working time a retry must still have after its wait to be worth starting (default 250 ms). */
  minAttemptMs?: number;
}

const MIN_ATTEMPT_MS = 250;

export const DEFAULT_RETRY = { retries: 4, baseDelayMs: 250, maxDelayMs: 10_000 } as const;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let n = 0; ; n++) {
    const startedInWorkingTime = workingMs() > 0;
    try {
      return await attempt(n);
    } catch (error) {
      // No answer, and the working time (for an attempt in the reserve: the budget) ended meanwhile.
      const cutShort = startedInWorkingTime ? workingMs() <= 0 : remainingMs() <= 0;
      if (cutShort && statusOf(error) === 0) markOutOfTime(error);
      const decision = options.decide(error);
      if (!decision.retry || n >= options.retries) throw error;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** n) * random();
      const delay = decision.afterMs !== undefined ? Math.min(decision.afterMs, options.maxDelayMs * 6) : backoff;
      if (!fitsWorkingTime(delay, options.minAttemptMs ?? MIN_ATTEMPT_MS)) throw markOutOfTime(error);
      await wait(delay);
    }
  }
}

/** Both clients' errors carry the HTTP status, 0 when there was no answer. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. `X-Retry-After-Ms` (simulators) wins. */
export function retryAfterMs(
  headers: { get(name: string): string | null | undefined } | Record<string, unknown>,
  now = Date.now(),
): number | undefined {
  const get = (name: string): string | undefined => {
    if (typeof (headers as { get?: unknown }).get === 'function')
      return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
    const record = headers as Record<string, unknown>;
    const value = record[name] ?? record[name.toLowerCase()];
    return value == null ? undefined : String(value);
  };
  const precise = Number(get('X-Retry-After-Ms'));
  if (Number.isFinite(precise) && precise > 0) return precise;
  const value = get('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** 408, 429 and 5xx are worth retrying; other 4xx are the caller's mistake. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
