/**
 * Public endpoint for billwerk's webhooks (guide: "Configuring the required webhooks"). billwerk sends
 * one JSON event per POST and retries anything but 200/201/202/204 (or no answer within 10 s) with a
 * doubling delay for about two days, so: authenticate first (401, nothing else touched), then 400 for
 * bodies that are no event, 2xx for everything handled, ignored or failed for good, 503 only for
 * transient failures (the use-case decides, src/core/events/handleBillwerkEvent.ts).
 */
import { billwerkWebhookConfigSchema } from '../core/config.js';
import { webhookEventSchema } from '../core/billwerk/schemas.js';
import { authenticateBillwerkWebhook } from '../core/webhookAuth.js';
import { receiveBillwerkEvent, type EventReceipt } from '../core/events/handleBillwerkEvent.js';
import { endpointFunction, type EndpointReply, type EndpointRequest, type Services } from './runtime.js';

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
    services.logger.warn('malformed billwerk webhook body', {
      issues: event.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
    return { status: 400, body: { error: 'expected a JSON billwerk event with an "Event" field' } };
  }
  return toReply(await receiveBillwerkEvent(services, event.data));
}

/** The reply billwerk sees: 503 asks for a redelivery, anything else is 200. */
export function toReply(receipt: EventReceipt): EndpointReply {
  if (receipt.retry) return { status: 503, body: { error: 'temporarily unavailable, please retry' } };
  const handled = receipt.handling;
  if (handled.kind === 'contract' && handled.result.status === 'failed')
    return { status: 200, body: { event: handled.event, outcome: 'failed', retry: false } };
  const outcome =
    handled.kind === 'contract'
      ? handled.result.status
      : handled.kind === 'catalog'
        ? handled.handled
          ? 'synced'
          : 'acknowledged'
        : 'ignored';
  return { status: 200, body: { event: handled.event, outcome } };
}

export const main = endpointFunction(handleBillwerkWebhook, { name: 'billwerk_webhook' });
