/**
 * Serves an endpoint function's `main` at a public URL inside msw, the way HubSpot calls it: the
 * Request becomes `{ method, headers, params (query), body (parsed JSON, else text), secrets }` and
 * the reply `{ statusCode, body, headers }` becomes the Response. Lets a simulator's webhook emitter
 * POST to the function end to end.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { HubSpotEndpointContext, HubSpotEndpointReply } from '../../src/functions/endpoint.js';

export type EndpointMain = (context: HubSpotEndpointContext) => Promise<HubSpotEndpointReply>;

export async function toEndpointContext(request: Request, secrets: Record<string, string>): Promise<HubSpotEndpointContext> {
  const url = new URL(request.url);
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  const params: Record<string, string> = {};
  url.searchParams.forEach((value, name) => (params[name] = value));
  return {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    params,
    body: parseLikeHubSpot(text, request.headers.get('content-type')),
    secrets,
  };
}

/** HubSpot hands JSON bodies over parsed and anything else as text. */
function parseLikeHubSpot(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (!contentType?.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function endpointHandler(url: string, main: EndpointMain, secrets: Record<string, string>): HttpHandler {
  // msw matches paths only; a `?token=` in the subscribed URL reaches the function through `params`.
  return http.all(url.split('?')[0]!, async ({ request }) => {
    const reply = await main(await toEndpointContext(request, secrets));
    return new HttpResponse(reply.body === '' ? null : reply.body, { status: reply.statusCode, headers: reply.headers });
  });
}
