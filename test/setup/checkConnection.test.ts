import { describe, expect, it } from 'vitest';
import { createBillwerkClient } from '../../src/core/billwerk/client.js';
import { billwerkConfigSchema, readConfig } from '../../src/core/config.js';
import { checkConnection } from '../../src/core/settings/checkConnection.js';
import { main as checkConnectionFunction } from '../../src/functions/check-connection.js';
import { DEMO_ENTITIES, SIM_BILLWERK_BASE_URL } from '../../src/simulators/constants.js';
import { FAST_RETRY, useSimulators } from '../support/simulators.js';

const ctx = useSimulators({ seed: true });

function billwerkWith(overrides: Record<string, string>) {
  const config = readConfig(billwerkConfigSchema, { ...ctx.env, ...overrides });
  return createBillwerkClient(config, { retry: { ...FAST_RETRY, retries: 1 }, sleep: async () => {} });
}

describe('connection check', () => {
  it('reports every entity connected, the sandbox base URL and the HubSpot token', async () => {
    const reply = await ctx.runFunction(checkConnectionFunction);
    expect(reply).toMatchObject({
      ok: true,
      value: {
        billwerk: { baseUrl: SIM_BILLWERK_BASE_URL, environment: 'sandbox' },
        entities: DEMO_ENTITIES.map((e) => ({ entityId: e.id, entityName: e.name, ok: true, reachable: true, authorized: true })),
        hubspot: { ok: true },
      },
    });
  });

  it('names the secrets to fix when billwerk refuses the credentials, without showing them', async () => {
    const billwerk = billwerkWith({ BILLWERK_CLIENT_SECRET: 'wrong-secret-value' });
    const outcome = await checkConnection(ctx.deps({ billwerk }), { baseUrl: SIM_BILLWERK_BASE_URL });
    if (!outcome.ok) throw new Error('check failed');
    for (const entity of outcome.value.entities) {
      expect(entity).toMatchObject({
        ok: false,
        reachable: true,
        authorized: false,
        message: expect.stringContaining('BILLWERK_CLIENT_SECRET'),
      });
    }
    expect(JSON.stringify(outcome)).not.toContain('wrong-secret-value');
  });

  it('marks an entity billwerk does not know', async () => {
    const entities = [...DEMO_ENTITIES, { id: '64a0000000000000000000ff', name: 'Typo GmbH' }];
    const billwerk = billwerkWith({ BILLWERK_ENTITIES: JSON.stringify(entities) });
    const outcome = await checkConnection(ctx.deps({ billwerk }), { baseUrl: SIM_BILLWERK_BASE_URL });
    if (!outcome.ok) throw new Error('check failed');
    expect(outcome.value.entities.map((e) => e.ok)).toEqual([true, true, false]);
    expect(outcome.value.entities[2]!.message).toContain('BILLWERK_ENTITIES');
  });

  it('says billwerk is unreachable when the network fails', async () => {
    ctx.billwerk.simulator.dropNext(100);
    const outcome = await checkConnection(ctx.deps({ billwerk: billwerkWith({}) }), { baseUrl: SIM_BILLWERK_BASE_URL });
    if (!outcome.ok) throw new Error('check failed');
    expect(outcome.value.entities.every((e) => !e.ok && !e.reachable)).toBe(true);
    expect(outcome.value.hubspot.ok).toBe(true);
  });
});
