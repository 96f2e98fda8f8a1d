/** Who may call the service: HubSpot-signed card requests only; admin actions only for portal admins. */
import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import { SIM_USERS } from '../../src/simulators/hubspot/index.js';
import { useSimulators } from '../support/simulators.js';
import { useService } from './support.js';

const ctx = useSimulators();
const harness = useService(ctx);
const dealId = () => ctx.hubspot.seeded!.signupDeal.id;
const billwerkCalls = () => ctx.billwerk.simulator.calls.length;

describe('card requests must be signed by HubSpot', () => {
  it('answers a signed validate and writes the validation onto the deal', async () => {
    const reply = await harness.call('validate_deal', { dealId: dealId() });
    expect(reply.status).toBe(200);
    expect(reply.body).toHaveProperty('ok');
    expect(ctx.hubspot.store.get('deals', dealId())?.properties[DEAL.validation]).toBeTruthy();
  });

  const refused: [string, Parameters<typeof harness.call>[2]][] = [
    ['without signature headers', { unsigned: true }],
    ['with a wrong signature', { signature: 'bm90IHRoZSBzaWduYXR1cmU=' }],
    ['signed with another secret', { secret: 'someone-elses-client-secret' }],
    ['signed more than 5 minutes ago', { signedAt: new Date(Date.now() - 6 * 60_000) }],
    ['signed for another portal', { portalId: '999' }],
  ];
  it.each(refused)('refuses a request %s with 401 and writes nothing', async (_name, options) => {
    const reply = await harness.call('validate_deal', { dealId: dealId() }, options);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ ok: false, problems: [{ message: expect.stringMatching(/signed by HubSpot/) }] });
    expect(ctx.hubspotWrites()).toBe(0);
    expect(billwerkCalls()).toBe(0);
  });

  it('refuses a replay of a request it already answered, with 401 and no second write', async () => {
    const signedAt = new Date();
    const first = await harness.call('validate_deal', { dealId: dealId() }, { signedAt });
    expect(first.status).toBe(200);
    const writes = ctx.hubspotWrites();
    const calls = billwerkCalls();
    const replay = await harness.call('validate_deal', { dealId: dealId() }, { signedAt });
    expect(replay.signature).toBe(first.signature);
    expect(replay.status).toBe(401);
    expect(ctx.hubspotWrites()).toBe(writes);
    expect(billwerkCalls()).toBe(calls);
  });

  it('refuses a signed request that names no user', async () => {
    const reply = await harness.call('list_entities', {}, { userId: 'not-a-number' });
    expect(reply.status).toBe(401);
  });
});

describe('admin actions are for portal admins', () => {
  const adminActions: [string, Record<string, unknown>][] = [
    ['run_setup', {}],
    ['save_mappings', {}],
    ['start_product_sync', {}],
    ['reconcile', { action: 'run' }],
  ];

  it.each(adminActions)('%s: a sales rep is refused with "ask an admin" and nothing is written', async (uid, parameters) => {
    const reply = await harness.call(uid, parameters, { userId: SIM_USERS.rep.id });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ ok: false, problems: [{ message: expect.stringMatching(/Ask an admin/) }] });
    expect(ctx.hubspotWrites()).toBe(0);
    expect(billwerkCalls()).toBe(0);
  });

  it('a super admin runs setup', async () => {
    const reply = await harness.call('run_setup', {}, { userId: SIM_USERS.admin.id });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ ok: true });
    expect(ctx.hubspot.simulator.count('GET /settings/v3/users/:userId')).toBe(1);
  });

  it('a user HubSpot does not know is no admin', async () => {
    const reply = await harness.call('run_setup', {}, { userId: '424242' });
    expect(reply.status).toBe(403);
  });

  it("a rep may read the reconciliation's status, not run it", async () => {
    const reply = await harness.call('reconcile', { action: 'status' }, { userId: SIM_USERS.rep.id });
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('a rep still uses the card actions', async () => {
    const reply = await harness.call('list_entities', {}, { userId: SIM_USERS.rep.id });
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe('service basics', () => {
  it('answers its health check', async () => {
    const reply = await harness.service().app.inject({ method: 'GET', url: '/healthz' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok' });
  });

  it('names an unknown action', async () => {
    const reply = await harness.call('drop_all_deals');
    expect(reply.status).toBe(404);
    expect(JSON.stringify(reply.body)).toContain('drop_all_deals');
  });
});
