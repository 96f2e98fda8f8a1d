/**
 * HubSpot's webhooks component in the customer tests: the HubSpot simulator's webhook emitter (queue
 * mode, so a test decides when HubSpot delivers and when it retries) POSTs signed batches to the
 * endpoint function's public URL, where msw hands each request to `main` as HubSpot would.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { main as webhookMain } from '../../src/functions/hubspot-webhook.js';
import { HubSpotWebhookEmitter, type HubSpotWebhookEmitterOptions } from '../../src/simulators/hubspot/index.js';
import { toEndpointContext } from '../support/endpoint.js';
import type { SimulatorContext } from '../support/simulators.js';

export const TARGET_URL = 'https://portal.example.com/hs/serverless/hubspot-events';

/** What happens between HubSpot and the endpoint. */
export interface Transit {
  /** Changes the body on its way (a forged request). */
  alterBody?: (body: string) => string;
  /** This many answers are lost after the endpoint has processed the request (HubSpot sees no answer). */
  lostAnswers?: number;
}

/** Serves the endpoint function at TARGET_URL; a later call takes precedence over earlier ones. */
export function serveEndpoint(ctx: SimulatorContext, transit: Transit = {}): void {
  let lostAnswers = transit.lostAnswers ?? 0;
  const handler: HttpHandler = http.post(TARGET_URL, async ({ request }) => {
    const sent = await request.text();
    const arrived = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: transit.alterBody ? transit.alterBody(sent) : sent,
    });
    const reply = await webhookMain(await toEndpointContext(arrived, { ...ctx.env, HUBSPOT_WEBHOOK_TARGET_URL: TARGET_URL }));
    if (lostAnswers > 0) {
      lostAnswers -= 1;
      return HttpResponse.error();
    }
    return new HttpResponse(reply.body === '' ? null : reply.body, { status: reply.statusCode, headers: reply.headers });
  });
  ctx.server.use(handler);
}

/** HubSpot watching the simulated portal for this app (from now on), delivering to TARGET_URL. */
export function hubspotWebhooks(
  ctx: SimulatorContext,
  options: Partial<Omit<HubSpotWebhookEmitterOptions, 'store'>> = {},
): HubSpotWebhookEmitter {
  return new HubSpotWebhookEmitter({ store: ctx.hubspot.store, targetUrl: TARGET_URL, mode: 'queue', ...options });
}

/** HubSpot delivers what is waiting, as one batch; the endpoint's answer. */
export async function send(webhooks: HubSpotWebhookEmitter): Promise<{ status: number; body: unknown }> {
  const records = await webhooks.deliverAll();
  if (records.length !== 1) throw new Error(`expected HubSpot to send one batch, it sent ${records.length}`);
  const [record] = records;
  return { status: record!.status, body: record!.responseBody ? (JSON.parse(record!.responseBody) as unknown) : undefined };
}
