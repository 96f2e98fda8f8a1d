/**
 * HubSpot's webhooks component, simulated: the app's subscriptions (read from
 * src/app/webhooks/webhooks-hsmeta.json, as `hs project upload` would, or passed in) turn the
 * portal's changes into HubSpot's generic `object.*` events, which are POSTed in batches (a JSON
 * array, at most 100 events) to the target URL, signed with X-HubSpot-Signature-v3 over the app's
 * client secret. Sources and what is unverified: docs/sandbox.md, "HubSpot's webhooks, simulated".
 *
 * - Events come for every change of a subscribed property, the app's own API writes included
 *   (changeSource "INTEGRATION"): HubSpot does not leave them out, so the receiver must.
 * - A delivery is done on any 2xx. HubSpot does not retry 400, 401, 403, 404 and 405; other answers
 *   and no answer are retried with `attemptNumber` counting up, a bounded number of times.
 * - Two modes, like the billwerk emitter: `immediate` collects changes for `batchMs`, then delivers
 *   in the background (await `idle()`); `queue` only collects until `deliverAll()`, which makes ONE
 *   attempt per batch and puts a batch that should be retried back into the queue, so a test
 *   decides when HubSpot's next attempt comes (HubSpot waits minutes between attempts).
 * - Batches go out one at a time (HubSpot allows up to `maxConcurrentRequests` at once).
 * Delivery uses the global `fetch`, so msw handlers receive the requests in tests.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ObjectType } from '../../core/hubspot/api.js';
import { signHubSpotRequest } from '../../core/hubspotSignature.js';
import { SIM_CREDENTIALS } from '../constants.js';
import { OBJECT_TYPE_IDS, toObjectType } from './model.js';
import type { ChangeEvent, ChangeSource, HubSpotStore } from './store.js';

export const SIM_PORTAL_ID = 123;
export const SIM_APP_ID = 456;

/** The subscription types the simulator can raise (store changes: created, updated, archived). */
export const SIMULATED_SUBSCRIPTION_TYPES = ['object.propertyChange', 'object.creation', 'object.deletion'] as const;
export type SimulatedSubscriptionType = (typeof SIMULATED_SUBSCRIPTION_TYPES)[number];

const subscriptionSpecSchema = z.object({
  subscriptionType: z.string(),
  /** Singular name as in the component ("company"), a plural API name or an id ("0-2"). */
  objectType: z.string(),
  propertyName: z.string().optional(),
  active: z.boolean(),
});
export type WebhookSubscriptionSpec = z.infer<typeof subscriptionSpecSchema>;

const componentSchema = z.object({
  type: z.literal('webhooks'),
  config: z.object({ subscriptions: z.object({ crmObjects: z.array(subscriptionSpecSchema).default([]) }) }),
});

/** The project's webhooks component. */
export const WEBHOOKS_COMPONENT = new URL('../../app/webhooks/webhooks-hsmeta.json', import.meta.url);

/** The `crmObjects` subscriptions of a webhooks component file; a malformed file is named with the field. */
export function readWebhookSubscriptions(file: URL | string = WEBHOOKS_COMPONENT): WebhookSubscriptionSpec[] {
  const parsed = componentSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`webhooks component ${String(file)}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.config.subscriptions.crmObjects;
}

/** One event as HubSpot sends it for generic `object.*` subscriptions. */
export interface HubSpotWebhookEventBody {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: SimulatedSubscriptionType;
  attemptNumber: number;
  objectId: number;
  objectTypeId: string;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
}

export interface HubSpotDeliveryRecord {
  /** Same for every attempt at the same batch. */
  batchId: number;
  /** The events as sent in this attempt. */
  events: HubSpotWebhookEventBody[];
  /** 0 for the first attempt. */
  attemptNumber: number;
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  ok: boolean;
  /** Whether HubSpot would try this batch again (if attempts are left). */
  retryable: boolean;
  responseBody: string;
  error?: string;
  /** Exactly what was sent (the signature is not a secret; the client secret never appears). */
  request: { url: string; headers: Record<string, string>; body: string };
}

export interface HubSpotWebhookEmitterOptions {
  store: HubSpotStore;
  /** The component's targetUrl; the signature covers it. */
  targetUrl: string;
  /** The app's client secret (default the simulator's). */
  clientSecret?: string;
  /** Default: the project's webhooks component. */
  subscriptions?: readonly WebhookSubscriptionSpec[];
  mode?: 'immediate' | 'queue';
  /** Immediate mode: how long changes are collected into one batch (default 0: what happens in one turn of the event loop). */
  batchMs?: number;
  /** Events per request (default 100). */
  maxBatchSize?: number;
  /** Attempts per batch including the first (default 11: HubSpot retries up to 10 times). */
  maxAttempts?: number;
  /** Immediate mode: wait before retry n is `retryDelayMs * 2^(n-1)` (default 0: tests must not wait). */
  retryDelayMs?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for the signature timestamp. */
  now?: () => Date;
  portalId?: number;
  appId?: number;
  /** Called after every attempt (the sandbox's activity log). */
  onDelivery?: (record: HubSpotDeliveryRecord) => void;
}

interface ActiveSubscription {
  id: number;
  subscriptionType: SimulatedSubscriptionType;
  objectType: ObjectType;
  propertyName?: string;
}

interface Batch {
  id: number;
  events: HubSpotWebhookEventBody[];
  attemptNumber: number;
}

/** HubSpot does not retry these answers (webhooks overview, "Retries"); everything else non-2xx is retried. */
const NOT_RETRIED = new Set([400, 401, 403, 404, 405]);
const FIRST_SUBSCRIPTION_ID = 1000;
const CHANGE_SOURCES: Record<ChangeSource, string> = { API: 'INTEGRATION', CRM_UI: 'CRM_UI' };

/** Checks and resolves the subscriptions; inactive ones keep their id but raise nothing. */
export function toActiveSubscriptions(specs: readonly WebhookSubscriptionSpec[]): ActiveSubscription[] {
  return specs.flatMap((spec, index): ActiveSubscription[] => {
    const where = `webhook subscription ${index + 1} (${spec.subscriptionType} ${spec.objectType}${spec.propertyName ? `.${spec.propertyName}` : ''})`;
    if (!(SIMULATED_SUBSCRIPTION_TYPES as readonly string[]).includes(spec.subscriptionType)) {
      throw new Error(`${where}: subscriptionType is not simulated (simulated: ${SIMULATED_SUBSCRIPTION_TYPES.join(', ')})`);
    }
    const objectType = toObjectType(spec.objectType);
    if (!objectType) throw new Error(`${where}: objectType "${spec.objectType}" is not an object type of the simulator`);
    if (spec.subscriptionType === 'object.propertyChange' && !spec.propertyName)
      throw new Error(`${where}: propertyName is required for object.propertyChange`);
    if (!spec.active) return [];
    const subscriptionType = spec.subscriptionType as SimulatedSubscriptionType;
    return [
      {
        id: FIRST_SUBSCRIPTION_ID + index,
        subscriptionType,
        objectType,
        ...(spec.propertyName ? { propertyName: spec.propertyName } : {}),
      },
    ];
  });
}

export class HubSpotWebhookEmitter {
  mode: 'immediate' | 'queue';
  readonly subscriptions: readonly ActiveSubscription[];
  /** Every event the portal raised for a subscription, delivered or not. */
  readonly emitted: HubSpotWebhookEventBody[] = [];
  /** Every delivery attempt with its outcome. */
  readonly deliveries: HubSpotDeliveryRecord[] = [];
  private fresh: HubSpotWebhookEventBody[] = [];
  /** Queue mode: batches waiting for HubSpot's next attempt. */
  private retries: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<unknown> = Promise.resolve();
  private nextEventId = 1;
  private nextBatchId = 1;
  private readonly stopListening: () => void;
  private readonly settings: Required<Omit<HubSpotWebhookEmitterOptions, 'store' | 'subscriptions' | 'mode' | 'onDelivery'>> &
    Pick<HubSpotWebhookEmitterOptions, 'onDelivery'>;

  constructor(options: HubSpotWebhookEmitterOptions) {
    this.mode = options.mode ?? 'immediate';
    this.subscriptions = toActiveSubscriptions(options.subscriptions ?? readWebhookSubscriptions());
    this.settings = {
      targetUrl: options.targetUrl,
      clientSecret: options.clientSecret ?? SIM_CREDENTIALS.hubspotClientSecret,
      batchMs: options.batchMs ?? 0,
      maxBatchSize: Math.max(1, options.maxBatchSize ?? 100),
      maxAttempts: Math.max(1, options.maxAttempts ?? 11),
      retryDelayMs: options.retryDelayMs ?? 0,
      timeoutMs: options.timeoutMs ?? 10_000,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: options.now ?? (() => new Date()),
      portalId: options.portalId ?? SIM_PORTAL_ID,
      appId: options.appId ?? SIM_APP_ID,
      onDelivery: options.onDelivery,
    };
    this.stopListening = options.store.onChange((change) => this.record(change));
  }

  /** Stops listening to the portal; queued events stay until delivered or discarded. */
  stop(): void {
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Events waiting for delivery (queue mode: for `deliverAll()`), batches awaiting a retry first. */
  pending(): HubSpotWebhookEventBody[] {
    return [...this.retries.flatMap((batch) => batch.events), ...this.fresh];
  }

  discardPending(): void {
    this.retries = [];
    this.fresh = [];
  }

  /** Queue mode: one attempt for every waiting batch, in order; returns each attempt's record. */
  async deliverAll(): Promise<HubSpotDeliveryRecord[]> {
    const batches = [...this.retries, ...this.takeBatches()];
    this.retries = [];
    const records: HubSpotDeliveryRecord[] = [];
    for (const batch of batches) {
      const record = await this.attempt(batch);
      records.push(record);
      if (this.shouldRetry(record)) this.retries.push({ ...batch, attemptNumber: batch.attemptNumber + 1 });
    }
    return records;
  }

  /** Immediate mode: sends what is collected now and resolves when every delivery (with retries) is done. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.mode === 'immediate' && (this.timer || this.fresh.length > 0)) this.flush();
      const sending = this.sending;
      await sending;
      if (sending === this.sending && !this.timer) return;
    }
  }

  private record(change: ChangeEvent): void {
    const events = this.eventsFor(change);
    if (events.length === 0) return;
    this.emitted.push(...events);
    this.fresh.push(...events);
    if (this.mode === 'immediate' && !this.timer) this.timer = setTimeout(() => this.flush(), this.settings.batchMs);
  }

  private eventsFor(change: ChangeEvent): HubSpotWebhookEventBody[] {
    const subscribed = (type: SimulatedSubscriptionType) =>
      this.subscriptions.filter((s) => s.subscriptionType === type && s.objectType === change.objectType);
    const event = (subscription: ActiveSubscription, property?: { name: string; value: string | null }): HubSpotWebhookEventBody => ({
      eventId: this.nextEventId++,
      subscriptionId: subscription.id,
      portalId: this.settings.portalId,
      appId: this.settings.appId,
      occurredAt: change.at,
      subscriptionType: subscription.subscriptionType,
      attemptNumber: 0,
      objectId: Number(change.id),
      objectTypeId: OBJECT_TYPE_IDS[change.objectType],
      ...(property ? { propertyName: property.name, propertyValue: property.value ?? '' } : {}),
      changeSource: CHANGE_SOURCES[change.source],
    });
    switch (change.kind) {
      case 'updated': {
        const propertySubscriptions = subscribed('object.propertyChange');
        return change.changes.flatMap((property) =>
          propertySubscriptions.filter((s) => s.propertyName === property.name).map((s) => event(s, property)),
        );
      }
      case 'created':
        return subscribed('object.creation').map((s) => event(s));
      case 'archived':
        return subscribed('object.deletion').map((s) => event(s));
      default:
        return [];
    }
  }

  private takeBatches(): Batch[] {
    const events = this.fresh;
    this.fresh = [];
    const batches: Batch[] = [];
    for (let start = 0; start < events.length; start += this.settings.maxBatchSize) {
      batches.push({ id: this.nextBatchId++, events: events.slice(start, start + this.settings.maxBatchSize), attemptNumber: 0 });
    }
    return batches;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // attempt() records failures instead of throwing; only an onDelivery hook could throw, and must not stop the queue.
    for (const batch of this.takeBatches()) this.sending = this.sending.then(() => this.deliverWithRetries(batch)).catch(() => undefined);
  }

  private async deliverWithRetries(batch: Batch): Promise<void> {
    for (let attemptNumber = batch.attemptNumber; ; attemptNumber++) {
      if (attemptNumber > 0 && this.settings.retryDelayMs > 0)
        await this.settings.sleep(this.settings.retryDelayMs * 2 ** (attemptNumber - 1));
      const record = await this.attempt({ ...batch, attemptNumber });
      if (!this.shouldRetry(record)) return;
    }
  }

  private shouldRetry(record: HubSpotDeliveryRecord): boolean {
    return record.retryable && record.attemptNumber + 1 < this.settings.maxAttempts;
  }

  private async attempt(batch: Batch): Promise<HubSpotDeliveryRecord> {
    const { targetUrl, clientSecret, timeoutMs } = this.settings;
    const events = batch.events.map((e) => ({ ...e, attemptNumber: batch.attemptNumber }));
    const body = JSON.stringify(events);
    const headers = {
      ...signHubSpotRequest(clientSecret, 'POST', targetUrl, body, this.settings.now()),
      'user-agent': 'HubSpot Connect 2.0 (simulated webhooks)',
    };
    const base = { batchId: batch.id, events, attemptNumber: batch.attemptNumber, request: { url: targetUrl, headers, body } };
    let record: HubSpotDeliveryRecord;
    try {
      const response = await fetch(targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const responseBody = await response.text().catch(() => '');
      const ok = response.status >= 200 && response.status < 300;
      record = { ...base, status: response.status, ok, retryable: !ok && !NOT_RETRIED.has(response.status), responseBody };
    } catch (error) {
      record = {
        ...base,
        status: 0,
        ok: false,
        retryable: true,
        responseBody: '',
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.deliveries.push(record);
    this.settings.onDelivery?.(record);
    return record;
  }
}
