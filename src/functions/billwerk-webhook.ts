/**
 * Public endpoint for billwerk's webhooks (guide: "Configuring the required webhooks"). billwerk sends
 * one JSON event per POST and retries anything but 200/201/202/204 (or no answer within 10 s) with a
 * doubling delay, so: authenticate first (401, nothing else touched), then 400 for bodies that are no
 * event, 2xx for everything handled or deliberately ignored, 503 when billwerk or HubSpot failed after
 * the clients' bounded retries (billwerk then delivers again; the sync converges).
 */
import { billwerkWebhookConfigSchema } from '../core/config.js';
import { webhookEventSchema } from '../core/billwerk/schemas.js';
import { cachedMappings } from '../core/settings/mappingsCache.js';
import { authenticateBillwerkWebhook } from '../core/webhookAuth.js';
import { handleBillwerkEvent, isContractEvent, type EventHandling } from '../core/events/handleBillwerkEvent.js';
import { endpointFunction, describeError, type EndpointReply, type EndpointRequest, type Services } from './runtime.js';

/** Path under https://<connected domain>/hs/serverless/ (see billwerk-webhook-hsmeta.json). */
export const BILLWERK_WEBHOOK_PATH = 'billwerk/events';

export async function handleBillwerkWebhook(request: EndpointRequest, services: Services): Promise<EndpointReply> {
  if (request.method !== 'POST') return { status: 405, body: { error: 'use POST' }, headers: { allow: 'POST' } };

  const auth = authenticateBillwerkWebhook(request, services.config(billwerkWebhookConfigSchema));
  if (!auth.ok) {
    services.logger.warn('rejected billwerk webhook request', { reason: auth.reason });
    return { status: 401, body: { error: 'authentication required' }, headers: { 'www-authenticate': 'Basic realm="billwerk webhooks"' } };
  }

  const event = webhookEventSchema.safeParse(request.body);
  if (!event.success) {
    services.logger.warn('malformed billwerk webhook body', { issues: event.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
    return { status: 400, body: { error: 'expected a JSON billwerk event with an "Event" field' } };
  }

  let handled: EventHandling;
  try {
    // Mappings change rarely: a warm container reuses them (src/core/mappingsCache.ts) instead of
    // spending a HubSpot call per event (a month-end burst is rate-limited by HubSpot calls).
    const mappings = isContractEvent(event.data.Event) ? await cachedMappings(services.hubspot, services.now()) : undefined;
    handled = await handleBillwerkEvent(services, event.data, { mappings });
  } catch (error) {
    // HubSpot (or billwerk before the deal was known) failed after the clients' retries.
    services.logger.error('billwerk webhook failed; billwerk will deliver it again', { event: event.data.Event, ...describeError(error) });
    return { status: 503, body: { error: 'temporarily unavailable, please retry' } };
  }
  return toReply(handled);
}

/** The reply billwerk sees; a failed, retryable read answers 503 so billwerk delivers the event again. */
export function toReply(handled: EventHandling): EndpointReply {
  if (handled.kind === 'contract' && handled.result.status === 'failed') {
    return handled.result.retryable
      ? { status: 503, body: { error: 'billwerk could not be read, please retry' } }
      : { status: 200, body: { event: handled.event, outcome: 'failed', retry: false } };
  }
  const outcome = handled.kind === 'contract' ? handled.result.status : handled.kind === 'catalog' ? (handled.handled ? 'synced' : 'acknowledged') : 'ignored';
  return { status: 200, body: { event: handled.event, outcome } };
}

export const main = endpointFunction(handleBillwerkWebhook, { name: 'billwerk_webhook' });
