/**
 * What an admin enters outside HubSpot after deploying (README › Deploy, docs/deploy.md): billwerk's
 * webhook settings (URL, authentication type, the events to tick) and the other public URLs. Built from
 * the endpoint paths of the function hsmeta files and the events the connector handles, so the
 * printed list can never drift from the code. Pure.
 */
import { CONTRACT_EVENTS } from '../events/handleBillwerkEvent.js';
import { CATALOG_EVENTS } from '../products/syncProducts.js';

export interface EndpointPaths {
  /** `config.endpoint.path` of billwerk-webhook-hsmeta.json, e.g. `/billwerk/events`. */
  billwerkWebhook: string;
  hubspotWebhook: string;
  productSync: string;
}

export interface DeployInfo {
  billwerkWebhook: {
    url: string;
    /** billwerk › Settings › Webhooks › Authentication Type. */
    authenticationType: string;
    /** Every event box to tick, in billwerk's words. */
    events: string[];
  };
  hubspotWebhookTargetUrl: string;
  productSyncUrl: string;
}

/** HubSpot serves endpoint functions at `https://<connected domain>/hs/serverless/<path>`. */
export function endpointUrl(connectedDomain: string, path: string): string {
  const domain = connectedDomain
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return `https://${domain}/hs/serverless/${path.replace(/^\/+/, '')}`;
}

export function toDeployInfo(connectedDomain: string, paths: EndpointPaths, auth: 'basic' | 'token' = 'basic'): DeployInfo {
  const webhook = endpointUrl(connectedDomain, paths.billwerkWebhook);
  return {
    billwerkWebhook: {
      url: auth === 'token' ? `${webhook}?token=<BILLWERK_WEBHOOK_TOKEN>` : webhook,
      authenticationType:
        auth === 'token'
          ? 'No Authentication (the token in the URL authenticates)'
          : 'HTTP Basic Auth (BILLWERK_WEBHOOK_USER / BILLWERK_WEBHOOK_PASSWORD)',
      events: [...CONTRACT_EVENTS, ...CATALOG_EVENTS],
    },
    hubspotWebhookTargetUrl: endpointUrl(connectedDomain, paths.hubspotWebhook),
    productSyncUrl: endpointUrl(connectedDomain, paths.productSync),
  };
}

export function formatDeployInfo(info: DeployInfo): string {
  return [
    'billwerk › Settings › Webhooks',
    `  URL:                 ${info.billwerkWebhook.url}`,
    `  Authentication Type: ${info.billwerkWebhook.authenticationType}`,
    '  Events to tick:',
    ...info.billwerkWebhook.events.map((event) => `    [x] ${event}`),
    '',
    `HubSpot webhook target (profile variable HUBSPOT_WEBHOOK_TARGET_URL): ${info.hubspotWebhookTargetUrl}`,
    `Product sync trigger for your scheduler (POST, Authorization: Bearer <PRODUCT_SYNC_TOKEN>): ${info.productSyncUrl}`,
  ].join('\n');
}
