import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hubspotWebhookBatchSchema, SYNC_TRIGGER_PROPERTIES, toCustomerSyncTargets } from '../../src/core/events/toCustomerSyncTargets.js';

const event = (overrides: Record<string, unknown>) =>
  hubspotWebhookBatchSchema.parse([
    {
      eventId: 1,
      subscriptionId: 9,
      portalId: 1,
      appId: 2,
      occurredAt: 1772359200000,
      attemptNumber: 0,
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-2',
      objectId: 101,
      propertyName: 'name',
      propertyValue: 'ACME',
      changeSource: 'CRM_UI',
      ...overrides,
    },
  ])[0]!;

describe('toCustomerSyncTargets', () => {
  it('turns company and contact property changes into one target per record', () => {
    expect(
      toCustomerSyncTargets([
        event({ propertyName: 'name' }),
        event({ propertyName: 'zip', eventId: 2 }),
        event({ objectTypeId: '0-1', objectId: 201, propertyName: 'email' }),
      ]),
    ).toEqual([
      { objectType: 'companies', objectId: '101' },
      { objectType: 'contacts', objectId: '201' },
    ]);
  });

  it('understands legacy subscription types', () => {
    expect(
      toCustomerSyncTargets([
        event({ subscriptionType: 'contact.propertyChange', objectTypeId: undefined, objectId: 5, propertyName: 'lastname' }),
      ]),
    ).toEqual([{ objectType: 'contacts', objectId: '5' }]);
  });

  it("ignores the connector's own status properties, unrelated properties, other objects and other event kinds", () => {
    expect(
      toCustomerSyncTargets([
        event({ propertyName: 'billwerk_customer_sync_status' }),
        event({ propertyName: 'billwerk_customer_sync_error' }),
        event({ propertyName: 'billwerk_customer_synced_at' }),
        event({ propertyName: 'hs_lastmodifieddate' }),
        event({ objectTypeId: '0-3', propertyName: 'dealname' }),
        event({ subscriptionType: 'object.creation', propertyName: undefined }),
      ]),
    ).toEqual([]);
  });
});

describe('webhooks component', () => {
  const component = JSON.parse(readFileSync(new URL('../../src/app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8'));

  it('subscribes to exactly the properties that reach the billwerk customer, and to none of the status properties', () => {
    const subscribed = (objectType: string) =>
      component.config.subscriptions.crmObjects
        .filter(
          (s: { objectType: string; subscriptionType: string; active: boolean }) =>
            s.objectType === objectType && s.subscriptionType === 'object.propertyChange' && s.active,
        )
        .map((s: { propertyName: string }) => s.propertyName)
        .sort();
    expect(subscribed('company')).toEqual([...SYNC_TRIGGER_PROPERTIES.companies].sort());
    expect(subscribed('contact')).toEqual([...SYNC_TRIGGER_PROPERTIES.contacts].sort());
    expect(JSON.stringify(component)).not.toMatch(/sync_status|sync_error|synced_at/);
  });

  it('takes its target URL from a profile variable', () => {
    expect(component.type).toBe('webhooks');
    expect(component.config.settings.targetUrl).toBe('${HUBSPOT_WEBHOOK_TARGET_URL}');
  });
});
