/** The public endpoints through the service: the same `main` as the endpoint functions, with the exact raw body. */
import { describe, expect, it } from 'vitest';
import { signHubSpotRequest } from '../../src/core/hubspotSignature.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { useSimulators } from '../support/simulators.js';
import { SERVICE_URL, useService } from './support.js';

const ctx = useSimulators();
const harness = useService(ctx);

describe('HubSpot webhooks at <service>/hubspot-events', () => {
  const batch = () => [
    {
      eventId: 1,
      subscriptionType: 'company.propertyChange',
      objectId: ctx.hubspot.seeded!.companies[0]!.id,
      propertyName: 'city',
      propertyValue: 'Augsburg',
      occurredAt: Date.now(),
    },
  ];

  it('accepts a signed batch whose JSON is formatted differently from JSON.stringify (the signature covers the exact body)', async () => {
    const body = JSON.stringify(batch(), null, 2); // HubSpot's formatting is not ours: re-serialising would break the signature
    const headers = signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, 'POST', `${SERVICE_URL}/hubspot-events`, body, new Date());
    const reply = await harness.service().app.inject({ method: 'POST', url: '/hubspot-events', headers, payload: body });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toHaveProperty('synced');
  });

  it('refuses a batch signed for another URL with 401 and writes nothing', async () => {
    const body = JSON.stringify(batch());
    const headers = signHubSpotRequest(
      SIM_CREDENTIALS.hubspotClientSecret,
      'POST',
      'https://elsewhere.example.com/hubspot-events',
      body,
      new Date(),
    );
    const reply = await harness.service().app.inject({ method: 'POST', url: '/hubspot-events', headers, payload: body });
    expect(reply.statusCode).toBe(401);
    expect(ctx.hubspotWrites()).toBe(0);
  });
});

describe('billwerk webhooks at <service>/billwerk/events', () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('needs the webhook credentials (401 without), then acknowledges an event', async () => {
    const payload = JSON.stringify({ Event: 'CustomerChanged', CustomerId: 'nobody', EntityId: 'x' });
    const refused = await harness
      .service()
      .app.inject({ method: 'POST', url: '/billwerk/events', headers: { 'content-type': 'application/json' }, payload });
    expect(refused.statusCode).toBe(401);
    const accepted = await harness.service().app.inject({
      method: 'POST',
      url: '/billwerk/events',
      payload,
      headers: {
        'content-type': 'application/json',
        authorization: basic(SIM_CREDENTIALS.billwerkWebhookUser, SIM_CREDENTIALS.billwerkWebhookPassword),
      },
    });
    expect(accepted.statusCode).toBe(200);
  });

  it('refuses a body over 1 MiB before reading it', async () => {
    const reply = await harness.service().app.inject({
      method: 'POST',
      url: '/billwerk/events',
      headers: { 'content-type': 'application/json' },
      payload: `"${'x'.repeat(1024 * 1024 + 10)}"`,
    });
    expect(reply.statusCode).toBe(413);
  });
});

describe('the product sync trigger at <service>/billwerk/product-sync', () => {
  it('needs PRODUCT_SYNC_TOKEN', async () => {
    const reply = await harness.service().app.inject({ method: 'POST', url: '/billwerk/product-sync' });
    expect(reply.statusCode).toBe(401);
  });
});
