/**
 * Plays HubSpot's part for the webhooks component in tests: watches the simulated portal's changes,
 * turns changes of SUBSCRIBED properties (read from src/app/webhooks/webhooks-hsmeta.json, as HubSpot
 * would) into object.propertyChange events, and delivers them as one signed batch to the endpoint
 * function's `main`, the way HubSpot calls an endpoint function.
 */
import { readFileSync } from 'node:fs';
import { signHubSpotRequest } from '../../src/core/hubspotSignature.js';
import type { HubSpotStore } from '../../src/simulators/hubspot/index.js';
import type { HubSpotEndpointContext, HubSpotEndpointReply } from '../../src/functions/endpoint.js';

export const TARGET_URL = 'https://portal.example.com/hs/serverless/hubspot-events';

interface Subscription {
  subscriptionType: string;
  objectType: string;
  propertyName: string;
  active: boolean;
}

const component = JSON.parse(readFileSync(new URL('../../src/app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8')) as {
  config: { subscriptions: { crmObjects: Subscription[] } };
};
const OBJECT_TYPE_IDS: Record<string, { name: string; id: string }> = {
  companies: { name: 'company', id: '0-2' },
  contacts: { name: 'contact', id: '0-1' },
};

export interface WebhookEventBody {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  objectTypeId: string;
  propertyName: string;
  propertyValue: string;
  changeSource: string;
}

export function createWebhookFeed(store: HubSpotStore) {
  let pending: WebhookEventBody[] = [];
  let nextEventId = 1;
  const subscribed = (objectType: string, propertyName: string) =>
    component.config.subscriptions.crmObjects.some((s) =>
      s.active && s.subscriptionType === 'object.propertyChange' && s.objectType === objectType && s.propertyName === propertyName);

  const stop = store.onChange((change) => {
    if (change.kind !== 'updated') return;
    const type = OBJECT_TYPE_IDS[change.objectType];
    if (!type) return;
    for (const property of change.changes) {
      if (!subscribed(type.name, property.name)) continue;
      pending.push({
        eventId: nextEventId++, subscriptionId: 1000, portalId: 123, appId: 456, occurredAt: change.at,
        subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: Number(change.id), objectTypeId: type.id,
        propertyName: property.name, propertyValue: property.value ?? '', changeSource: change.source === 'API' ? 'INTEGRATION' : 'CRM_UI',
      });
    }
  });

  return {
    /** Events HubSpot would send now (and forgets them, as after a delivery). */
    take(): WebhookEventBody[] {
      const events = pending;
      pending = [];
      return events;
    },
    stop,
  };
}

export interface DeliveryOptions {
  secret: string;
  env: Record<string, string>;
  now?: Date;
  /** Tamper with the request after signing. */
  tamper?: (request: { body: string; headers: Record<string, string> }) => void;
}

/** Signs `events` like HubSpot and calls the endpoint's main with HubSpot's endpoint context. */
export async function deliver(
  main: (context: HubSpotEndpointContext) => Promise<HubSpotEndpointReply>,
  events: unknown[],
  options: DeliveryOptions,
): Promise<{ status: number; body: unknown }> {
  const request = { body: JSON.stringify(events), headers: {} as Record<string, string> };
  request.headers = { ...signHubSpotRequest(options.secret, 'POST', TARGET_URL, request.body, options.now ?? new Date()), host: 'portal.example.com' };
  options.tamper?.(request);
  const reply = await main({
    method: 'POST', headers: request.headers, params: {}, body: JSON.parse(request.body) as unknown, rawBody: request.body,
    secrets: { ...options.env, HUBSPOT_WEBHOOK_TARGET_URL: TARGET_URL },
  });
  return { status: reply.statusCode, body: reply.body ? (JSON.parse(reply.body) as unknown) : undefined };
}
