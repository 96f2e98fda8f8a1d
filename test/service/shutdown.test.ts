/** Graceful shutdown: a request in progress is answered, then the service stops listening. */
import { http, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import { signHubSpotRequest } from '../../src/core/hubspotSignature.js';
import { silentLogger } from '../../src/core/log.js';
import { freePort, startService } from '../../src/service/start.js';
import { SIM_BILLWERK_BASE_URL, SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { SIM_PORTAL_ID, SIM_USERS } from '../../src/simulators/hubspot/index.js';
import { useSimulators } from '../support/simulators.js';

const ctx = useSimulators();

describe('shutdown', () => {
  it('finishes the running card call before it stops, and then accepts no more', async () => {
    // The call stops at billwerk's token endpoint until the test lets it go on.
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    ctx.server.use(
      http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
      http.post(`${SIM_BILLWERK_BASE_URL}/oauth/token`, async () => {
        entered();
        await gate;
        return passthrough();
      }),
    );
    const port = await freePort();
    const service = await startService({
      env: { ...ctx.env, CONNECTOR_SERVICE_URL: `http://127.0.0.1:${port}` },
      port,
      host: '127.0.0.1',
      schedule: false,
      logger: silentLogger,
    });

    const query = new URLSearchParams({ userId: SIM_USERS.rep.id, portalId: String(SIM_PORTAL_ID) });
    const url = `${service.url}/functions/check_connection?${query}`;
    const body = JSON.stringify({ parameters: {} });
    const running = fetch(url, {
      method: 'POST',
      headers: { ...signHubSpotRequest(SIM_CREDENTIALS.hubspotClientSecret, 'POST', url, body, new Date()), connection: 'close' },
      body,
    });
    await inside;
    const closed = service.close();
    release();

    const reply = await running;
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ ok: true });
    await closed;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
  }, 20_000);
});
