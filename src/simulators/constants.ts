import type { BillwerkEntity } from '../core/config.js';

/** Base URLs the simulators answer on inside tests (msw); `npm start` serves them on localhost. */
export const SIM_BILLWERK_BASE_URL = 'https://sandbox.billwerk.com';
export const SIM_HUBSPOT_BASE_URL = 'https://api.hubapi.com';

export const SIM_CREDENTIALS = {
  billwerkClientId: 'sim-client-id',
  billwerkClientSecret: 'sim-client-secret',
  hubspotToken: 'sim-hubspot-token',
  /** The app's client secret, used to sign simulated HubSpot webhook requests. */
  hubspotClientSecret: 'sim-hubspot-client-secret',
  billwerkWebhookUser: 'billwerk-webhooks',
  billwerkWebhookPassword: 'sim-webhook-password',
  productSyncToken: 'sim-product-sync-token-0123456789',
} as const;

/** Two demo entities (root first) so multi-tenant rules are exercised everywhere. */
export const DEMO_ENTITIES: BillwerkEntity[] = [
  { id: '64a000000000000000000001', name: 'Demo Software GmbH', publicApiKey: '64a0000000000000000000a1' },
  { id: '64a000000000000000000002', name: 'Demo Software AG', publicApiKey: '64a0000000000000000000a2' },
];

/** The environment a function sees when it runs against simulators at the given base URLs. */
export function simulatorEnv(
  urls: { billwerk: string; hubspot: string } = { billwerk: SIM_BILLWERK_BASE_URL, hubspot: SIM_HUBSPOT_BASE_URL },
): Record<string, string> {
  return {
    BILLWERK_CLIENT_ID: SIM_CREDENTIALS.billwerkClientId,
    BILLWERK_CLIENT_SECRET: SIM_CREDENTIALS.billwerkClientSecret,
    BILLWERK_BASE_URL: urls.billwerk,
    BILLWERK_ENTITIES: JSON.stringify(DEMO_ENTITIES),
    BILLWERK_WEBHOOK_USER: SIM_CREDENTIALS.billwerkWebhookUser,
    BILLWERK_WEBHOOK_PASSWORD: SIM_CREDENTIALS.billwerkWebhookPassword,
    HUBSPOT_CLIENT_SECRET: SIM_CREDENTIALS.hubspotClientSecret,
    PRODUCT_SYNC_TOKEN: SIM_CREDENTIALS.productSyncToken,
    PRIVATE_APP_ACCESS_TOKEN: SIM_CREDENTIALS.hubspotToken,
    HUBSPOT_API_BASE_URL: urls.hubspot,
  };
}
