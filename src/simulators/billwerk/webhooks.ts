/**
 * billwerk's webhook delivery, simulated: every store event goes to each subscription that wants it,
 * one event per POST with a JSON body, HTTP Basic auth if configured, retried on non-2xx or no answer
 * with `X-Retry-Count` (billwerk retries "a dozen times" with doubling delays; here bounded and fast).
 *
 * Two modes: `immediate` delivers in the background as events happen (await `idle()` to let
 * deliveries finish), at most `concurrency` at once (a bulk catalog change raises thousands of
 * events; billwerk documents no delivery concurrency, and a sender that opened one request per event
 * at once would exhaust the receiver's and the sandbox's sockets); `queue` only collects them until
 * `deliverAll()`, so tests control timing.
 * Delivery uses the global `fetch`, so msw handlers in tests receive the requests.
 */
import type { WebhookEvent } from '../../core/billwerk/schemas.js';

export type WebhookAuth = { type: 'basic'; user: string; password: string } | { type: 'none' };

export interface WebhookSubscription {
  id: string;
  url: string;
  /** Event names, or `['*']` for all. */
  events: string[];
  auth: WebhookAuth;
}

export interface PendingDelivery {
  subscriptionId: string;
  url: string;
  event: WebhookEvent;
}

export interface DeliveryRecord {
  subscriptionId: string;
  url: string;
  event: WebhookEvent;
  /** 0 for the first attempt (no X-Retry-Count header), then 1, 2, ... */
  retryCount: number;
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  ok: boolean;
  error?: string;
}

export interface WebhookEmitterOptions {
  mode?: 'immediate' | 'queue';
  /** Attempts per event including the first (default 4). */
  maxAttempts?: number;
  /** Wait before retry n is `retryDelayMs * 2^(n-1)` (default 0: tests must not wait). */
  retryDelayMs?: number;
  /** Per attempt (billwerk waits 10 s). */
  timeoutMs?: number;
  /** Deliveries in flight at once in immediate mode, retries included (default 10); the rest wait in order. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** billwerk counts these as delivered (developer.billwerk.io webhooks page). */
const SUCCESS = new Set([200, 201, 202, 204]);

export class BillwerkWebhookEmitter {
  mode: 'immediate' | 'queue';
  /** Every event the store raised, delivered or not. */
  readonly emitted: WebhookEvent[] = [];
  /** Every delivery attempt with its outcome. */
  readonly deliveries: DeliveryRecord[] = [];
  private readonly subscriptions = new Map<string, WebhookSubscription>();
  private queue: PendingDelivery[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private counter = 0;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  /** Immediate-mode deliveries waiting for a free slot, oldest first. */
  private readonly waiting: PendingDelivery[] = [];
  private delivering = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: WebhookEmitterOptions = {}) {
    this.mode = options.mode ?? 'immediate';
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.retryDelayMs = options.retryDelayMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = Math.max(1, options.concurrency ?? 10);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  subscribe(spec: { url: string; events: string[] | '*'; auth?: WebhookAuth }): WebhookSubscription {
    const subscription: WebhookSubscription = {
      id: (++this.counter).toString(16).padStart(24, 'a'),
      url: spec.url,
      events: spec.events === '*' ? ['*'] : [...spec.events],
      auth: spec.auth ?? { type: 'none' },
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  unsubscribe(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  list(): WebhookSubscription[] {
    return [...this.subscriptions.values()];
  }

  /** Called by the store for every change. */
  publish(event: WebhookEvent): void {
    this.emitted.push(event);
    for (const subscription of this.subscriptions.values()) {
      if (!subscription.events.includes('*') && !subscription.events.includes(event.Event)) continue;
      const pending = { subscriptionId: subscription.id, url: subscription.url, event };
      if (this.mode === 'queue') this.queue.push(pending);
      else this.waiting.push(pending);
    }
    this.pump();
  }

  /** Starts waiting immediate-mode deliveries while fewer than `concurrency` are in flight. */
  private pump(): void {
    while (this.delivering < this.concurrency && this.waiting.length > 0) {
      const pending = this.waiting.shift()!;
      this.delivering += 1;
      this.track(
        this.deliver(pending).finally(() => {
          this.delivering -= 1;
          this.pump();
        }),
      );
    }
  }

  /** Events waiting for `deliverAll()` (queue mode). */
  pending(): PendingDelivery[] {
    return [...this.queue];
  }

  /** Sends every queued event in order (with retries); returns the final record of each. */
  async deliverAll(): Promise<DeliveryRecord[]> {
    const batch = this.queue;
    this.queue = [];
    const results: DeliveryRecord[] = [];
    for (const pending of batch) results.push(await this.deliver(pending));
    return results;
  }

  /** Drops queued events without sending them. */
  discardPending(): void {
    this.queue = [];
  }

  /** Resolves when background deliveries (immediate mode) are done. */
  async idle(): Promise<void> {
    while (this.inflight.size || this.waiting.length) await Promise.all([...this.inflight]);
  }

  private track(delivery: Promise<unknown>): void {
    const done: Promise<void> = delivery
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.inflight.delete(done));
    this.inflight.add(done);
  }

  private async deliver(pending: PendingDelivery): Promise<DeliveryRecord> {
    let record: DeliveryRecord | undefined;
    for (let retryCount = 0; retryCount < this.maxAttempts; retryCount++) {
      if (retryCount > 0 && this.retryDelayMs > 0) await this.sleep(this.retryDelayMs * 2 ** (retryCount - 1));
      record = await this.attempt(pending, retryCount);
      this.deliveries.push(record);
      if (record.ok) break;
    }
    return record!;
  }

  private async attempt(pending: PendingDelivery, retryCount: number): Promise<DeliveryRecord> {
    const subscription = this.subscriptions.get(pending.subscriptionId);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'billwerk-simulator-webhooks' };
    if (retryCount > 0) headers['X-Retry-Count'] = String(retryCount);
    if (subscription?.auth.type === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${subscription.auth.user}:${subscription.auth.password}`).toString('base64')}`;
    const base = { subscriptionId: pending.subscriptionId, url: pending.url, event: pending.event, retryCount };
    try {
      const response = await fetch(pending.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(pending.event),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'follow',
      });
      await response.arrayBuffer().catch(() => undefined);
      return { ...base, status: response.status, ok: SUCCESS.has(response.status) };
    } catch (error) {
      return { ...base, status: 0, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
