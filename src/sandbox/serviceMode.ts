/**
 * `npm start -- --mode service`: the sandbox runs the connector service (src/service) instead of the
 * function runner, and plays HubSpot's `hubspot.fetch` proxy for the cards: the card's request goes
 * to `POST /hubspot-fetch` here, which adds `userId`, `userEmail` and `portalId`, signs it with the
 * app's client secret (v3, as HubSpot does) and forwards it to the service. The browser never sees
 * the secret. Webhooks from the simulators go to the service's endpoints.
 */
import { z } from 'zod';
import { signHubSpotRequest } from '../core/hubspotSignature.js';
import type { Logger } from '../core/log.js';
import { freePort, startService, type RunningService } from '../service/start.js';
import type { SandboxContext } from './context.js';
import { DEMO_PORTAL_ID, DEMO_USER } from './environment.js';
import { HttpError, jsonBody, type Router } from './http.js';

export type SandboxBackend = 'functions' | 'service';

export async function startSandboxService(secrets: Record<string, string>, logger: Logger): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The schedule stays off: the workbench has its own "run product sync" and the demo runs one at start.
  return startService({
    env: { ...secrets, CONNECTOR_SERVICE_URL: url, HUBSPOT_WEBHOOK_TARGET_URL: `${url}/hubspot-events` },
    port,
    host: '127.0.0.1',
    schedule: false,
    logger,
  });
}

const fetchCallSchema = z.object({
  url: z.string().url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  body: z.record(z.string(), z.unknown()).optional(),
});

export function registerHubSpotFetchRoute(router: Router, ctx: SandboxContext, service: RunningService, clientSecret: string): void {
  router.on('POST', '/hubspot-fetch', async (request) => {
    const call = jsonBody(request, fetchCallSchema);
    const target = new URL(call.url);
    // HubSpot only fetches URLs listed in permittedUrls.fetch; here: the service and nothing else.
    if (target.origin !== new URL(service.config.CONNECTOR_SERVICE_URL).origin)
      throw new HttpError(403, `hubspot.fetch to ${target.origin} is not in permittedUrls.fetch`);
    target.searchParams.set('userId', String(DEMO_USER.id));
    target.searchParams.set('userEmail', DEMO_USER.email);
    target.searchParams.set('portalId', String(DEMO_PORTAL_ID));
    const body = call.body === undefined ? '' : JSON.stringify(call.body);
    const headers = signHubSpotRequest(clientSecret, call.method, target.toString(), body, new Date());
    const response = await fetch(target, { method: call.method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    const uid = target.pathname.split('/').pop() ?? '';
    ctx.activity.add(
      'function',
      `hubspot.fetch → service ${uid} → ${response.status}`,
      response.ok && /"ok":true/.test(text) ? 'ok' : 'failed',
      safeJson(text),
    );
    await ctx.settle();
    return { status: 200, body: { status: response.status, body: text } };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
