/**
 * Public endpoint for HubSpot's CRM events (webhooks component, object.propertyChange on the
 * billwerk-relevant company and contact properties). Verifies the v3 signature BEFORE reading the
 * events, then syncs each changed, linked record's billwerk customer once per batch.
 */
import { billwerkConfigSchema, hubspotWebhookConfigSchema } from '../core/config.js';
import { verifyHubSpotSignature } from '../core/hubspotSignature.js';
import { billwerkEnvironmentOf } from '../core/mappers/toBillwerkCustomer.js';
import { hubspotWebhookBatchSchema, toCustomerSyncTargets } from '../core/mappers/toCustomerSyncTargets.js';
import { syncCustomer } from '../core/customer/syncCustomer.js';
import { describeError, endpointFunction, type EndpointRequest, type Services } from './runtime.js';

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
    { method: request.method, uris: candidateUris(request, HUBSPOT_WEBHOOK_TARGET_URL), headers: request.headers, rawBody: request.rawBody ?? '' },
    HUBSPOT_CLIENT_SECRET,
    services.now(),
  );
  if (!check.ok) {
    services.logger.warn('rejected HubSpot webhook request', { reason: check.reason, rawBodyExact: request.rawBodyExact });
    return { status: 401, body: { error: 'invalid signature' } };
  }

  const events = hubspotWebhookBatchSchema.safeParse(request.body);
  if (!events.success) {
    // A signed request we cannot read will not get better by retrying: acknowledge and log.
    services.logger.warn('unreadable HubSpot webhook body', { issues: events.error.issues.slice(0, 3).map((i) => i.message) });
    return { status: 200, body: { synced: 0, ignored: 0 } };
  }

  const environment = billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL);
  const targets = toCustomerSyncTargets(events.data);
  let synced = 0;
  let failed = 0;
  let crashed = 0;
  for (const target of targets) {
    try {
      const outcome = await syncCustomer(services, { ...target, environment, rethrowTransient: true });
      if (!outcome.ok) failed += 1;
      else if (outcome.value.status === 'synced') synced += 1;
    } catch (error) {
      // An outage (HubSpot or billwerk) must not hide the other records; the whole batch is retried below.
      crashed += 1;
      services.logger.error('customer sync crashed', { ...target, ...describeError(error) });
    }
  }
  const body = { synced, failed, ignored: targets.length - synced - failed - crashed };
  // Business failures are on the records' status (200 stops retries); crashes ask HubSpot to retry
  // the batch, which is safe because syncs that already succeeded change nothing the second time.
  return crashed > 0 ? { status: 503, body: { error: 'temporarily unavailable', retry: true } } : { status: 200, body };
}

export const main = endpointFunction(handleHubSpotWebhook, { name: 'hubspot_webhook' });
