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
 * Until a limit is known, calls are not delayed.
 */

export interface PacerOptions {
  /** Calls per window, if known up front; otherwise learned from response headers. */
  limit?: number;
  windowMs?: number;
  /** Extra wait after a slot frees, absorbing latency between our clock and HubSpot's. */
  guardMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type HeaderSource = Record<string, unknown> | { get(name: string): string | null | undefined } | undefined;

export interface Pacer {
  /** Resolves when a call may be sent (and counts it as sent). */
  acquire(): Promise<void>;
  /** Feeds the rate-limit headers of a response. */
  observe(headers: HeaderSource): void;
}

export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
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
  /** Send times of our own calls inside the current window, oldest first. */
  private sent: number[] = [];
  /** Calls HubSpot counted that were not ours, and until when that observation holds. */
  private foreign = 0;
  private foreignUntil = 0;
  private queue: Promise<void> = Promise.resolve();

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
    return { limit: this.limit, windowMs: this.windowMs, inWindow: this.sent.length, foreign: this.foreignNow() };
  }

  acquire(): Promise<void> {
    // Serialised, so concurrent callers compute their waits one after another.
    const turn = this.queue.then(() => this.acquireOne());
    this.queue = turn.catch(() => undefined);
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
      // HubSpot counted (limit - remaining) calls; ours are at most `sent.length` of them.
      this.foreign = Math.max(0, this.limit - remaining - this.sent.length);
      this.foreignUntil = now + this.windowMs;
    }
  }

  private async acquireOne(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.prune(now);
      if (this.limit === undefined) break;
      const room = Math.max(1, this.limit - this.foreignNow());
      if (this.sent.length < room) break;
      // Wait until enough of our own calls leave the window.
      const freeAt = this.sent[this.sent.length - room]! + this.windowMs + this.guard();
      await this.sleep(Math.max(1, freeAt - now));
    }
    this.sent.push(this.now());
  }

  private guard(): number {
    return this.guardMs ?? Math.max(5, Math.round(this.windowMs * 0.01));
  }

  private foreignNow(): number {
    return this.now() < this.foreignUntil ? this.foreign : 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.sent.length && this.sent[drop]! <= cutoff) drop++;
    if (drop) this.sent.splice(0, drop);
  }
}

/** A pacer that never waits (e.g. for scripts that must not be slowed down). */
export const noPacing: Pacer = { acquire: () => Promise.resolve(), observe: () => {} };
