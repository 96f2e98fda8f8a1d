/**
 * With credentials in the environment the sandbox talks to those services instead of its own
 * simulators. A separately served HubSpot simulator with its own token stands in for a real portal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAL, VALIDATION } from '../../src/core/catalog.js';
import { ConfigError } from '../../src/core/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { createHubSpotSimulator, type HubSpotSim } from '../../src/simulators/hubspot/index.js';
import { serveSimulator, type RunningServer } from '../../src/simulators/server.js';

describe('sandbox with a real HubSpot portal', () => {
  let portal: HubSpotSim;
  let served: RunningServer;
  let sandbox: Sandbox;

  beforeAll(async () => {
    portal = createHubSpotSimulator({ seed: true, installCatalog: true, entities: DEMO_ENTITIES, token: 'portal-private-app-token' });
    served = await serveSimulator(portal.simulator);
    sandbox = await startSandbox({
      port: 0,
      prepareDemo: false,
      env: { PRIVATE_APP_ACCESS_TOKEN: 'portal-private-app-token', HUBSPOT_API_BASE_URL: served.url },
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await served?.close();
  });

  it("lists and changes the portal's records and runs functions against it; billwerk stays simulated", async () => {
    expect(sandbox.mode).toEqual({ hubspot: 'real', billwerk: 'simulated' });
    expect(sandbox.hubspot).toBeUndefined();
    const base = sandbox.urls.workbench;
    const dealId = portal.seeded!.signupDeal.id;

    const { records } = (await (await fetch(`${base}api/records/deals`)).json()) as { records: { id: string; title: string }[] };
    expect(records.map((r) => r.id)).toEqual([dealId]);

    const edited = await fetch(`${base}api/records/deals/${dealId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { dealname: 'Renamed in the workbench' } }),
    });
    expect(edited.status).toBe(200);
    expect(portal.store.require('deals', dealId).properties.dealname).toBe('Renamed in the workbench');

    // The deal has no line items in this portal: validation fails, and says so on the portal's deal.
    const reply = (await (
      await fetch(`${base}functions/validate_deal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parameters: { dealId } }),
      })
    ).json()) as { ok: boolean };
    expect(reply.ok).toBe(false);
    expect(portal.store.require('deals', dealId).properties[DEAL.validation]).toBe(VALIDATION.failed);
  });

  it('refuses to start with incomplete billwerk credentials, naming the missing variables', async () => {
    const started = startSandbox({ port: 0, prepareDemo: false, env: { BILLWERK_CLIENT_ID: 'id-only' } });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/BILLWERK_CLIENT_SECRET is missing.*BILLWERK_BASE_URL is missing.*BILLWERK_ENTITIES is missing/);
  });
});
