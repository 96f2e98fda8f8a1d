/**
 * Public endpoint for HubSpot's CRM events (webhooks component, object.propertyChange on the
 * billwerk-relevant company and contact properties). Verifies the v3 signature BEFORE reading the
 * events, then hands them to the use-case (src/core/events/handleHubSpotEvents.ts).
 */
import { billwerkConfigSchema, hubspotWebhookConfigSchema } from '../core/config.js';
import { verifyHubSpotSignature } from '../core/hubspotSignature.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { hubspotWebhookBatchSchema } from '../core/events/toCustomerSyncTargets.js';
import { handleHubSpotEvents } from '../core/events/handleHubSpotEvents.js';
import { endpointFunction, type EndpointRequest, type Services } from './runtime.js';

/** Path of this endpoint under https://<connected domain>/hs/serverless/ (see hubspot-webhook-hsmeta.json). */
export const HUBSPOT_WEBHOOK_PATH = 'hubspot-events';

/** The URLs HubSpot may have signed: the configured target URL, else the Host header + our path. */
export function candidateUris(request: EndpointRequest, configured: string | undefined): string[] {
  const uris = configured ? [configured] : [];
  const host = request.headers['x-forwarded-host'] ?? request.headers.host;
  if (host) {
    const query = new URLSearchParams(request.query).toString();
    const path = configured ? new URL(configured).pathname : `/hs/serverless/${HUBSPOT_WEBHOOK_PATH}`;
    uris.push(`https://${host}${path}${query ? `?${query}` : ''}`);
  }
  return [...new Set(uris)];
}

export async function handleHubSpotWebhook(request: EndpointRequest, services: Services) {
  const { HUBSPOT_CLIENT_SECRET, HUBSPOT_WEBHOOK_TARGET_URL } = services.config(hubspotWebhookConfigSchema);
  const check = verifyHubSpotSignature(
    {
      method: request.method,
      uris: candidateUris(request, HUBSPOT_WEBHOOK_TARGET_URL),
      headers: request.headers,
      rawBody: request.rawBody ?? '',
    },
    HUBSPOT_CLIENT_SECRET,
    services.now(),
  );
  if (!check.ok) {
    if (request.rawBodyExact === false) {
      // Checked over a re-serialised body (HubSpot handed over parsed JSON): a genuine batch formatted
      // differently fails here and HubSpot never retries a 401. Loud, because only the reconciliation
      // sweep (src/core/events/reconcile.ts) then brings these records to billwerk (docs/security.md).
      services.logger.error(
        'HubSpot webhook signature failed over a re-serialised body; if genuine, the next reconciliation sweep syncs these records',
        { reason: check.reason, rawBodyExact: false },
      );
    } else {
      services.logger.warn('rejected HubSpot webhook request', { reason: check.reason, rawBodyExact: request.rawBodyExact });
    }
    return { status: 401, body: { error: 'invalid signature' } };
  }

  const events = hubspotWebhookBatchSchema.safeParse(request.body);
  if (!events.success) {
    // A signed request we cannot read will not get better by retrying: acknowledge and log.
    services.logger.warn('unreadable HubSpot webhook body', { issues: events.error.issues.slice(0, 3).map((i) => i.message) });
    return { status: 200, body: { synced: 0, ignored: 0 } };
  }

  const { retry, ...counts } = await handleHubSpotEvents(
    services,
    events.data,
    billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL),
  );
  return retry ? { status: 503, body: { error: 'temporarily unavailable', retry: true } } : { status: 200, body: counts };
}

export const main = endpointFunction(handleHubSpotWebhook, { name: 'hubspot_webhook' });
