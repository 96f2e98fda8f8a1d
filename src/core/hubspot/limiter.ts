/**
 * Client-side pacing under HubSpot's rolling burst limit, so a large burst of calls finishes near
 * the limit-imposed minimum instead of hammering 429s.
 *
 * HubSpot answers API calls with `X-HubSpot-RateLimit-Max` (calls per window),
 * `X-HubSpot-RateLimit-Interval-Milliseconds` (the window) and `X-HubSpot-RateLimit-Remaining`
 * (https://developers.hubspot.com/docs/api/usage-details#rate-limits). The pacer learns the limit
 * from those headers (or is told it), remembers when it sent its own calls, and before each call
 * waits until the rolling window has room. Calls counted by HubSpot that are not ours (another
 * function invocation of the same app) shrink the room for the rest of that window.
 * Until a limit is known, calls are not delayed. Within a function call's time budget
 * (http/deadline.ts) a wait that would outlast the working time is not started: the call is refused
 * with OutOfTimeError at once, so the caller can save its progress instead of being cut off asleep.
 */
import { fitsWorkingTime, OutOfTimeError } from '../http/deadline.js';

/** The rate limit's window is full for longer than this call has time: `waitMs` until a slot frees. */
export class RateLimitWaitError extends OutOfTimeError {
  override name = 'RateLimitWaitError';

  constructor(readonly waitMs: number) {
    super();
  }
}

export interface PacerOptions {
  /** Calls per window, if known up front; otherwise learned from response headers. */
  limit?: number;
  windowMs?: number;
  /** Extra wait after a slot frees, absorbing clock differences. */
  guardMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type HeaderSource = Record<string, unknown> | { get(name: string): string | null | undefined } | undefined;

export interface AcquireOptions {
  /**
   * Slots this call must leave free in the window: bulk work (a product sync's batches) waits while
   * only these are left, so the calls that keep its progress (saving the run, releasing the lease)
   * still get through when the bulk work has used the window up.
   */
  reserve?: number;
}

export interface Pacer {
  /**
   * Resolves when a call may be sent (and counts it). Call the returned function when the answer
   * arrives: HubSpot counted the call somewhere between sending and answering, so the slot is held
   * until a window after the answer, whatever the latency.
   */
  acquire(options?: AcquireOptions): Promise<(() => void) | void>;
  /** Feeds the rate-limit headers of a response. */
  observe(headers: HeaderSource): void;
  /**
   * HubSpot rejected a call under this limit (429) without saying when to retry: the window is full,
   * whoever filled it. Returns how long to wait before retrying.
   */
  exhausted?(): number;
  /** Answer times (epoch ms) of this process's calls still in the window: what the next invocation inherits. */
  recentCalls?(): number[];
  /**
   * Calls an earlier invocation of the app made at these times (from its saved `recentCalls`): they
   * leave the window at a known time, not a whole window after the first answer that reveals them.
   */
  assumeCalls?(times: readonly number[]): void;
}

export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const record = headers as Record<string, unknown>;
  const value = record[name] ?? record[name.toLowerCase()];
  return value == null ? undefined : String(value);
}

export class RateLimitPacer implements Pacer {
  private limit: number | undefined;
  private windowMs: number;
  private readonly guardMs: number | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Our calls in the current window: in flight, or answered at `at`. */
  private slots: { at: number; done: boolean }[] = [];
  /** Calls HubSpot counted that were not ours, and until when that observation holds. */
  private foreign = 0;
  private foreignUntil = 0;
  private readonly queues = new Map<number, Promise<void>>();

  constructor(options: PacerOptions = {}) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 10_000;
    this.guardMs = options.guardMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Current knowledge, for logs and tests. */
  get state(): { limit?: number; windowMs: number; inWindow: number; foreign: number } {
    this.prune(this.now());
    return { limit: this.limit, windowMs: this.windowMs, inWindow: this.slots.length, foreign: this.foreignNow() };
  }

  acquire(options: AcquireOptions = {}): Promise<() => void> {
    // Serialised per reserve, so concurrent callers compute their waits one after another, and a
    // call that may use the reserve never queues behind bulk work waiting for room.
    const reserve = options.reserve ?? 0;
    const turn = (this.queues.get(reserve) ?? Promise.resolve()).then(() => this.acquireOne(reserve));
    this.queues.set(
      reserve,
      turn.then(
        () => undefined,
        () => undefined,
      ),
    );
    return turn;
  }

  observe(headers: HeaderSource): void {
    const max = Number(readHeader(headers, 'X-HubSpot-RateLimit-Max'));
    const interval = Number(readHeader(headers, 'X-HubSpot-RateLimit-Interval-Milliseconds'));
    const remaining = Number(readHeader(headers, 'X-HubSpot-RateLimit-Remaining'));
    if (Number.isFinite(max) && max > 0) this.limit = max;
    if (Number.isFinite(interval) && interval > 0) this.windowMs = interval;
    if (this.limit !== undefined && readHeader(headers, 'X-HubSpot-RateLimit-Remaining') !== undefined && Number.isFinite(remaining)) {
      const now = this.now();
      this.prune(now);
      // HubSpot counted (limit - remaining) calls; ours are at most `slots.length` of them.
      this.foreign = Math.max(0, this.limit - remaining - this.slots.length);
      this.foreignUntil = now + this.windowMs;
    }
  }

  exhausted(): number {
    const now = this.now();
    this.prune(now);
    if (this.limit !== undefined) {
      // Calls we did not send (another invocation of the app) filled the rest of the window.
      this.foreign = Math.max(this.foreignNow(), this.limit - this.slots.length);
      this.foreignUntil = now + this.windowMs;
    }
    return this.windowMs + this.guard();
  }

  recentCalls(): number[] {
    const now = this.now();
    this.prune(now);
    // A call still in flight is counted as answered now: HubSpot has counted it by then at the latest.
    return this.slots.map((s) => (s.done ? s.at : now)).sort((a, b) => a - b);
  }

  assumeCalls(times: readonly number[]): void {
    const now = this.now();
    const before = this.slots.length;
    for (const at of times) if (Number.isFinite(at) && at <= now) this.slots.push({ at, done: true });
    this.prune(now);
    // The answers so far counted these calls as someone else's, held for a whole window: now their end is known.
    this.foreign = Math.max(0, this.foreign - (this.slots.length - before));
  }

  private async acquireOne(reserve: number): Promise<() => void> {
    for (;;) {
      const now = this.now();
      this.prune(now);
      if (this.limit === undefined) break;
      // Bulk work may find no room at all (it waits); other calls always get the reserve's room.
      const kept = Math.min(reserve, Math.floor(this.limit / 2));
      const room = Math.max(kept > 0 ? 0 : 1, this.limit - this.foreignNow() - kept);
      if (this.slots.length < room) break;
      // Wait until enough answered calls leave the window (calls in flight stay counted), or until
      // the calls of others stop counting, whichever comes first.
      const answered = this.slots
        .filter((s) => s.done)
        .map((s) => s.at)
        .sort((a, b) => a - b);
      const mustLeave = this.slots.length - room + 1;
      const ownFreeAt = answered.length >= mustLeave ? answered[mustLeave - 1]! + this.windowMs + this.guard() : Infinity;
      const foreignFreeAt = this.foreignNow() > 0 ? this.foreignUntil + this.guard() : Infinity;
      const freeAt = Math.min(ownFreeAt, foreignFreeAt);
      const waitMs = Math.max(1, (Number.isFinite(freeAt) ? freeAt : now + this.guard()) - now);
      if (!fitsWorkingTime(waitMs)) throw new RateLimitWaitError(waitMs);
      await this.sleep(waitMs);
    }
    const slot = { at: this.now(), done: false };
    this.slots.push(slot);
    return () => {
      if (slot.done) return;
      slot.at = this.now();
      slot.done = true;
    };
  }

  private guard(): number {
    return this.guardMs ?? Math.max(2, Math.round(this.windowMs * 0.002));
  }

  private foreignNow(): number {
    return this.now() < this.foreignUntil ? this.foreign : 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    // A call never reported as answered (a caller's bug) stops counting after a minute more.
    const lost = cutoff - 60_000;
    const stays = (s: { at: number; done: boolean }) => (s.done ? s.at > cutoff : s.at > lost);
    if (!this.slots.every(stays)) this.slots = this.slots.filter(stays);
  }
}

/**
 * HubSpot's search limit: "the search endpoints are rate limited to five requests per second per
 * account" (https://developers.hubspot.com/docs/api-reference/search/guide#limitations). Search
 * answers carry no rate-limit headers, so this limit cannot be learned; it is known up front.
 */
export const SEARCH_RATE_LIMIT = { limit: 5, windowMs: 1000 } as const;

/** A pacer that never waits (e.g. for scripts that must not be slowed down). */
export const noPacing: Pacer = { acquire: () => Promise.resolve(), observe: () => {} };
