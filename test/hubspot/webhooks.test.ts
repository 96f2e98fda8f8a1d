/**
 * The HubSpot simulator's webhook emitter, seen from the app's target URL: a receiver behind msw
 * records each request and answers with the statuses a test lines up. Signatures are checked with
 * the connector's own verifier.
 */
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyHubSpotSignature } from '../../src/core/hubspotSignature.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import {
  createHubSpotSimulator,
  HubSpotWebhookEmitter,
  readWebhookSubscriptions,
  type HubSpotSim,
  type HubSpotWebhookEmitterOptions,
  type HubSpotWebhookEventBody,
} from '../../src/simulators/hubspot/index.js';

const TARGET_URL = 'https://portal.example.com/hs/serverless/hubspot-events';

interface Received {
  headers: Record<string, string>;
  body: string;
  events: HubSpotWebhookEventBody[];
}

const received: Received[] = [];
/** Answers for the next requests, in order; afterwards 204. `null` drops the connection. */
let answers: (number | null)[] = [];

const server = setupServer(
  http.post(TARGET_URL, async ({ request }) => {
    const body = await request.text();
    received.push({ headers: Object.fromEntries(request.headers), body, events: JSON.parse(body) as HubSpotWebhookEventBody[] });
    const answer = answers.length ? answers.shift()! : 204;
    return answer === null
      ? HttpResponse.error()
      : new HttpResponse(answer === 204 ? null : JSON.stringify({ answer }), { status: answer });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let sim: HubSpotSim;
let emitters: HubSpotWebhookEmitter[];
beforeEach(() => {
  received.length = 0;
  answers = [];
  sim = createHubSpotSimulator({ seed: true, installCatalog: true });
  emitters = [];
});
afterEach(() => emitters.forEach((e) => e.stop()));

function emitter(options: Partial<Omit<HubSpotWebhookEmitterOptions, 'store'>> = {}): HubSpotWebhookEmitter {
  const created = new HubSpotWebhookEmitter({ store: sim.store, targetUrl: TARGET_URL, ...options });
  emitters.push(created);
  return created;
}

const company = () => sim.seeded!.companies[0]!;
const contact = () => sim.seeded!.contacts[0]!;
const verify = (request: Received, secret: string = SIM_CREDENTIALS.hubspotClientSecret, now = new Date()) =>
  verifyHubSpotSignature({ method: 'POST', uris: [TARGET_URL], headers: request.headers, rawBody: request.body }, secret, now);

describe('HubSpotWebhookEmitter', () => {
  it('signs every request so that the connector verifies it with the app client secret, and only with it', async () => {
    const webhooks = emitter();
    sim.store.update('companies', company().id, { name: 'Signed GmbH' });
    await webhooks.idle();

    expect(received).toHaveLength(1);
    expect(verify(received[0]!)).toEqual({ ok: true });
    expect(verify(received[0]!, 'another-secret')).toEqual({ ok: false, reason: 'signature does not match' });
    expect(received[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends what changed in one turn as one batch with HubSpot event fields', async () => {
    const webhooks = emitter();
    sim.store.update('companies', company().id, { name: 'Batch GmbH', city: 'Köln' }, { source: 'API' });
    sim.store.update('contacts', contact().id, { email: 'new@batch.example' });
    await webhooks.idle();

    expect(received).toHaveLength(1);
    const events = received[0]!.events;
    expect(events).toEqual([
      expect.objectContaining({
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-2',
        objectId: Number(company().id),
        propertyName: 'name',
        propertyValue: 'Batch GmbH',
        changeSource: 'INTEGRATION',
        attemptNumber: 0,
      }),
      expect.objectContaining({ objectTypeId: '0-2', propertyName: 'city', propertyValue: 'Köln', changeSource: 'INTEGRATION' }),
      expect.objectContaining({
        objectTypeId: '0-1',
        objectId: Number(contact().id),
        propertyName: 'email',
        propertyValue: 'new@batch.example',
        changeSource: 'CRM_UI',
      }),
    ]);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual([
        'appId',
        'attemptNumber',
        'changeSource',
        'eventId',
        'objectId',
        'objectTypeId',
        'occurredAt',
        'portalId',
        'propertyName',
        'propertyValue',
        'subscriptionId',
        'subscriptionType',
      ]);
      expect(event.occurredAt).toBe(
        sim.store.get(event.objectTypeId === '0-2' ? 'companies' : 'contacts', String(event.objectId))!.updatedAt,
      );
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    // One subscription per property: different properties, different subscription ids.
    expect(events[0]!.subscriptionId).not.toBe(events[1]!.subscriptionId);
  });

  it('splits more than 100 events into requests of at most 100', async () => {
    const webhooks = emitter({ mode: 'queue' });
    for (let i = 0; i < 250; i++) sim.store.update('companies', company().id, { name: `Name ${i}` });
    const records = await webhooks.deliverAll();
    expect(records.map((r) => r.events.length)).toEqual([100, 100, 50]);
    expect(received.flatMap((r) => r.events.map((e) => e.propertyValue))).toEqual(Array.from({ length: 250 }, (_, i) => `Name ${i}`));
  });

  it('reports only subscribed, active properties of subscribed object types', async () => {
    const webhooks = emitter({
      mode: 'queue',
      subscriptions: [
        { subscriptionType: 'object.propertyChange', objectType: 'company', propertyName: 'name', active: true },
        { subscriptionType: 'object.propertyChange', objectType: 'company', propertyName: 'city', active: false },
      ],
    });
    sim.store.update('companies', company().id, {
      city: 'Inactive',
      description: 'not subscribed',
      billwerk_customer_sync_status: 'SuccessfullyUpdated',
    });
    sim.store.update('contacts', contact().id, { firstname: 'Other type' });
    sim.store.update('deals', sim.seeded!.signupDeal.id, { dealname: 'Deal' });
    expect(webhooks.pending()).toEqual([]);
    sim.store.update('companies', company().id, { name: 'Subscribed', city: 'Still inactive' });
    expect(webhooks.pending().map((e) => e.propertyName)).toEqual(['name']);
  });

  it("follows the project's webhooks component by default", async () => {
    const webhooks = emitter({ mode: 'queue' });
    const subscribed = readWebhookSubscriptions().filter((s) => s.active);
    expect(webhooks.subscriptions).toHaveLength(subscribed.length);
    sim.store.update('companies', company().id, { billwerk_vat_id: 'ATU99999999', billwerk_customer_sync_status: 'SuccessfullyUpdated' });
    expect(webhooks.pending().map((e) => e.propertyName)).toEqual(['billwerk_vat_id']);
  });

  it('raises object.creation and object.deletion events when subscribed', async () => {
    const webhooks = emitter({
      mode: 'queue',
      subscriptions: [
        { subscriptionType: 'object.creation', objectType: 'contacts', active: true },
        { subscriptionType: 'object.deletion', objectType: '0-1', active: true },
      ],
    });
    const created = sim.store.create('contacts', { email: 'fresh@example.com' });
    sim.store.archive('contacts', created.id);
    expect(webhooks.pending()).toEqual([
      expect.objectContaining({ subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: Number(created.id) }),
      expect.objectContaining({ subscriptionType: 'object.deletion', objectTypeId: '0-1', objectId: Number(created.id) }),
    ]);
    expect(webhooks.pending()[0]).not.toHaveProperty('propertyName');
  });

  it('names the subscription and field it cannot use', () => {
    expect(() => emitter({ subscriptions: [{ subscriptionType: 'object.propertyChange', objectType: 'company', active: true }] })).toThrow(
      'webhook subscription 1 (object.propertyChange company): propertyName is required for object.propertyChange',
    );
    expect(() => emitter({ subscriptions: [{ subscriptionType: 'object.creation', objectType: 'spaceship', active: true }] })).toThrow(
      'objectType "spaceship" is not an object type of the simulator',
    );
    expect(() => emitter({ subscriptions: [{ subscriptionType: 'object.merge', objectType: 'company', active: true }] })).toThrow(
      'subscriptionType is not simulated',
    );
  });
});

describe('delivery failures', () => {
  it('retries a 500 with the next attemptNumber, signed anew, until the endpoint accepts', async () => {
    const webhooks = emitter();
    answers = [500, null, 200];
    sim.store.update('companies', company().id, { name: 'Retry GmbH' });
    await webhooks.idle();

    expect(webhooks.deliveries.map((d) => [d.attemptNumber, d.status])).toEqual([
      [0, 500],
      [1, 0],
      [2, 200],
    ]);
    expect(received.map((r) => r.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(received.map((r) => r.events[0]!.eventId)).size).toBe(1);
    for (const request of received) expect(verify(request)).toEqual({ ok: true });
  });

  it('gives up after maxAttempts and waits twice as long before each retry', async () => {
    const sleeps: number[] = [];
    const webhooks = emitter({ maxAttempts: 3, retryDelayMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    answers = [503, 503, 503, 503];
    sim.store.update('companies', company().id, { name: 'Down GmbH' });
    await webhooks.idle();
    expect(webhooks.deliveries.map((d) => d.status)).toEqual([503, 503, 503]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('does not retry the answers HubSpot does not retry (400, 401, 403, 404, 405)', async () => {
    const webhooks = emitter();
    answers = [401, 404];
    sim.store.update('companies', company().id, { name: 'Rejected GmbH' });
    await webhooks.idle();
    sim.store.update('companies', company().id, { name: 'Gone GmbH' });
    await webhooks.idle();
    expect(webhooks.deliveries.map((d) => [d.status, d.retryable])).toEqual([
      [401, false],
      [404, false],
    ]);
  });
});

describe('queue mode', () => {
  it("holds events until deliverAll, then makes one attempt per batch and queues HubSpot's retry", async () => {
    const webhooks = emitter({ mode: 'queue' });
    sim.store.update('companies', company().id, { name: 'Queued GmbH' });
    await webhooks.idle();
    expect(received).toEqual([]);
    expect(webhooks.pending()).toEqual([expect.objectContaining({ propertyName: 'name', propertyValue: 'Queued GmbH', attemptNumber: 0 })]);

    answers = [503];
    expect((await webhooks.deliverAll()).map((r) => r.status)).toEqual([503]);
    expect(webhooks.pending()).toHaveLength(1);

    sim.store.update('contacts', contact().id, { phone: '+49 1' });
    const records = await webhooks.deliverAll();
    // The retry goes as its own batch, before the new event.
    expect(records.map((r) => [r.attemptNumber, r.status, r.events.map((e) => e.propertyName)])).toEqual([
      [1, 204, ['name']],
      [0, 204, ['phone']],
    ]);
    expect(webhooks.pending()).toEqual([]);
    expect(await webhooks.deliverAll()).toEqual([]);
  });

  it('stops retrying a batch after maxAttempts', async () => {
    const webhooks = emitter({ mode: 'queue', maxAttempts: 2 });
    answers = [500, 500];
    sim.store.update('companies', company().id, { name: 'Twice GmbH' });
    await webhooks.deliverAll();
    await webhooks.deliverAll();
    expect(webhooks.pending()).toEqual([]);
    expect(webhooks.deliveries.map((d) => d.attemptNumber)).toEqual([0, 1]);
  });
});
