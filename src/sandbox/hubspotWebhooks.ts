/**
 * Plays HubSpot's webhooks component against the simulated portal: changes of the properties the
 * app subscribes to (read from src/app/webhooks/webhooks-hsmeta.json, as HubSpot would) become
 * `object.propertyChange` events, collected for a moment and POSTed as one batch, signed with
 * X-HubSpot-Signature-v3, to the local endpoint URL — over HTTP, like HubSpot calls the target URL.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { signHubSpotRequest } from '../core/hubspotSignature.js';
import type { ChangeEvent, HubSpotStore } from '../simulators/hubspot/index.js';

const componentSchema = z.object({
  config: z.object({
    subscriptions: z.object({
      crmObjects: z.array(z.object({ subscriptionType: z.string(), objectType: z.string(), propertyName: z.string().optional(), active: z.boolean() })),
    }),
  }),
});

const OBJECT_TYPES: Record<string, { name: string; id: string }> = {
  companies: { name: 'company', id: '0-2' },
  contacts: { name: 'contact', id: '0-1' },
  deals: { name: 'deal', id: '0-3' },
};

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
  const component = componentSchema.parse(JSON.parse(readFileSync(new URL('../app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8')));
  const subscribed = (objectType: string, propertyName: string) =>
    component.config.subscriptions.crmObjects.some((s) => s.active && s.subscriptionType === 'object.propertyChange' && s.objectType === objectType && s.propertyName === propertyName);

  let pending: unknown[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();
  let nextEventId = 1;

  const send = async () => {
    timer = undefined;
    const events = pending;
    pending = [];
    if (events.length === 0) return;
    const body = JSON.stringify(events);
    const headers = signHubSpotRequest(options.clientSecret, 'POST', options.targetUrl, body, new Date());
    try {
      const response = await fetch(options.targetUrl, { method: 'POST', headers, body });
      options.onDelivery?.({ events: events.length, status: response.status, body: await response.text() });
    } catch (error) {
      options.onDelivery?.({ events: events.length, status: 0, body: error instanceof Error ? error.message : String(error) });
    }
  };

  const onChange = (change: ChangeEvent) => {
    if (change.kind !== 'updated') return;
    const type = OBJECT_TYPES[change.objectType];
    if (!type) return;
    for (const property of change.changes) {
      if (!subscribed(type.name, property.name)) continue;
      pending.push({
        eventId: nextEventId++, subscriptionId: 1000, portalId: 123, appId: 456, occurredAt: change.at,
        subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: Number(change.id), objectTypeId: type.id,
        propertyName: property.name, propertyValue: property.value ?? '', changeSource: change.source === 'API' ? 'INTEGRATION' : 'CRM_UI',
      });
    }
    if (pending.length && !timer) timer = setTimeout(() => { sending = sending.then(send); }, options.batchMs ?? 300);
  };

  const unsubscribe = options.store.onChange(onChange);
  return {
    stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
    /** Sends what is collected now and waits for every delivery so far. */
    async flush() {
      if (timer) clearTimeout(timer);
      sending = sending.then(send);
      await sending;
    },
  };
}
