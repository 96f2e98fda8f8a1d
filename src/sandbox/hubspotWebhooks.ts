/**
 * HubSpot -> connector in the sandbox: the HubSpot simulator's webhook emitter, in immediate mode,
 * POSTs signed batches of the subscribed property changes to the local endpoint URL over HTTP, like
 * HubSpot calls the component's target URL. Changes are collected for a moment into one batch.
 */
import { HubSpotWebhookEmitter, type HubSpotStore } from '../simulators/hubspot/index.js';

export interface HubSpotWebhookFeedOptions {
  store: HubSpotStore;
  /** The endpoint's public URL (what the signature covers). */
  targetUrl: string;
  clientSecret: string;
  /** How long changes are collected into one batch. */
  batchMs?: number;
  onDelivery?: (delivery: { events: number; status: number; body: string }) => void;
}

export function startHubSpotWebhookFeed(options: HubSpotWebhookFeedOptions): { stop(): void; flush(): Promise<void> } {
  const emitter = new HubSpotWebhookEmitter({
    store: options.store,
    targetUrl: options.targetUrl,
    clientSecret: options.clientSecret,
    batchMs: options.batchMs ?? 300,
    // A few quick retries: enough to show HubSpot's redelivery in the activity log without stalling the workbench.
    maxAttempts: 3,
    retryDelayMs: 250,
    onDelivery: (record) =>
      options.onDelivery?.({ events: record.events.length, status: record.status, body: record.error ?? record.responseBody }),
  });
  return {
    stop: () => emitter.stop(),
    /** Sends what is collected now and waits for every delivery so far. */
    flush: () => emitter.idle(),
  };
}
