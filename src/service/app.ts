/**
 * The connector service: every operation of src/functions/operations.ts on one Fastify app.
 * - `POST /functions/<uid>`: a card or the settings page through `hubspot.fetch`; HubSpot's v3
 *   signature required (signedCall.ts), admin actions only for portal admins (portalAdmins.ts), then
 *   the function's own `main` with a HubSpot-shaped context, so the same zod parsing and use-case run.
 * - `POST <hsmeta path>` (e.g. `/billwerk/events`): the public endpoints, with the exact raw body
 *   (so HubSpot's webhook signature is checked over what was sent), through the same `main`.
 * - `GET /healthz`: liveness for the container host and load balancer.
 * No state of its own beyond caches: any replica answers any request (docs/service-mode.md).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { hubspotConfigSchema, hubspotWebhookConfigSchema, readConfig } from '../core/config.js';
import type { Logger } from '../core/log.js';
import type { Problem } from '../core/result.js';
import { MAX_ENDPOINT_BODY_BYTES } from '../functions/endpoint.js';
import { endpointOperations, needsAdmin, privateOperation, type EndpointOperation } from '../functions/operations.js';
import { describeError, redactingLogger, type Env } from '../functions/services.js';
import { readServiceConfig, type ServiceConfig } from './config.js';
import { PortalAdmins } from './portalAdmins.js';
import { checkSignedCall, ReplayGuard } from './signedCall.js';

export const FUNCTION_ROUTE_PREFIX = '/functions/';
export const HEALTH_PATH = '/healthz';

export interface ServiceAppOptions {
  env: Env;
  /** Clock for signature ages (tests). */
  now?: () => Date;
  logger?: Logger;
}

export interface ServiceApp {
  app: FastifyInstance;
  config: ServiceConfig;
  /** The environment the functions see (with the webhook target URL defaulted to this service). */
  env: Env;
}

export function buildServiceApp(options: ServiceAppOptions): ServiceApp {
  const config = readServiceConfig(options.env);
  const env: Env = { HUBSPOT_WEBHOOK_TARGET_URL: `${config.CONNECTOR_SERVICE_URL}/hubspot-events`, ...options.env };
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? redactingLogger('service', env);
  const { HUBSPOT_CLIENT_SECRET } = readConfig(hubspotWebhookConfigSchema, env);
  const hubspot = readConfig(hubspotConfigSchema, env);
  const admins = new PortalAdmins({
    token: hubspot.PRIVATE_APP_ACCESS_TOKEN,
    baseUrl: hubspot.HUBSPOT_API_BASE_URL,
    adminRoleIds: config.CONNECTOR_ADMIN_ROLE_IDS,
    now: () => now().getTime(),
  });
  const replays = new ReplayGuard();

  // HubSpot's own caps: 1 MB per hubspot.fetch request; endpoints refuse more than MAX_ENDPOINT_BODY_BYTES.
  const app = Fastify({ logger: false, bodyLimit: MAX_ENDPOINT_BODY_BYTES, trustProxy: true, return503OnClosing: true });
  // Every body stays the exact text that was sent: signatures are computed over it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(HEALTH_PATH, async () => ({ status: 'ok' }));

  app.post<{ Params: { uid: string } }>(`${FUNCTION_ROUTE_PREFIX}:uid`, async (request, reply) => {
    const call = { method: request.method, url: request.url, headers: request.headers, rawBody: rawBodyOf(request) };
    const check = checkSignedCall(call, {
      publicUrl: config.CONNECTOR_SERVICE_URL,
      clientSecret: HUBSPOT_CLIENT_SECRET,
      portalId: config.HUBSPOT_PORTAL_ID,
      now: now(),
    });
    if (!check.ok || !replays.claim(check.signature, now())) {
      logger.warn('refused card request', { uid: request.params.uid, reason: check.ok ? 'signature seen before (replay)' : check.reason });
      return outcome(reply, 401, [{ message: 'The connector only answers requests signed by HubSpot. Reload the page and try again.' }]);
    }
    const answered = await answerCard(request.params.uid, call.rawBody, check.caller.userId, reply);
    if (reply.statusCode >= 500) replays.forget(check.signature); // HubSpot retries a 5xx once
    return answered;
  });

  async function answerCard(uid: string, rawBody: string, userId: string, reply: FastifyReply) {
    const operation = privateOperation(uid);
    if (!operation) return outcome(reply, 404, [{ message: `The connector has no card action "${uid}".` }]);
    const body = parseCardBody(rawBody);
    if (!body) return outcome(reply, 400, [{ record: 'request', message: 'expected a JSON object {"parameters": {...}}' }]);
    if (needsAdmin(operation, body.parameters)) {
      let admin: boolean;
      try {
        admin = await admins.isAdmin(userId);
      } catch (error) {
        logger.error('could not read the calling user', { uid, userId, ...describeError(error) });
        return outcome(reply, 503, [
          { message: 'HubSpot did not tell the connector whether you are an admin of this portal. Try again in a moment.' },
        ]);
      }
      if (!admin) {
        logger.warn('refused admin action for a user without admin rights', { uid, userId });
        return outcome(reply, 403, [{ message: 'Only a super admin of this HubSpot portal can do this. Ask an admin to do it for you.' }]);
      }
    }
    return reply.code(200).send(await operation.main({ parameters: body.parameters, propertiesToSend: {}, secrets: env }));
  }

  for (const [uid, operation] of endpointOperations()) {
    app.route({
      method: [...operation.methods],
      url: operation.path,
      handler: (request, reply) => answerEndpoint(uid, operation, request, reply),
    });
  }

  async function answerEndpoint(uid: string, operation: EndpointOperation, request: FastifyRequest, reply: FastifyReply) {
    const rawBody = rawBodyOf(request);
    const answer = await operation.main({
      method: request.method,
      headers: request.headers,
      params: request.query as Record<string, string | string[]>,
      body: rawBody === '' ? undefined : rawBody,
      rawBody,
      secrets: env,
      endpoint: { uid },
    });
    return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
  }

  return { app, config, env };
}

function rawBodyOf(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

/** `{parameters}` of a card call; propertiesToSend is not needed by any card (the use-cases read the record). */
function parseCardBody(rawBody: string): { parameters: Record<string, unknown> } | undefined {
  let body: unknown;
  try {
    body = rawBody === '' ? {} : JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const parameters = (body as { parameters?: unknown }).parameters ?? {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return undefined;
  return { parameters: parameters as Record<string, unknown> };
}

function outcome(reply: FastifyReply, status: number, problems: Problem[]) {
  return reply.code(status).send({ ok: false, problems });
}
