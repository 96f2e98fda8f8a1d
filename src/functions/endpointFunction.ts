/**
 * Public endpoint functions (webhooks from billwerk and HubSpot, the product-sync trigger). The
 * connector service calls the same `main` with a context built from its HTTP request.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../core/config.js';
import { isOutOfTime } from '../core/http/deadline.js';
import { redact } from '../core/log.js';
import { currentCallBudget, withinBudget } from './budget.js';
import {
  BodyTooLargeError,
  MAX_ENDPOINT_BODY_BYTES,
  toEndpointRequest,
  toHubSpotEndpointReply,
  type EndpointReply,
  type EndpointRequest,
  type HubSpotEndpointContext,
  type HubSpotEndpointReply,
} from './endpoint.js';
import type { FunctionOptions } from './privateFunction.js';
import { buildServices, describeError, environmentOf, type Services } from './services.js';

export type EndpointHandler = (request: EndpointRequest, services: Services) => Promise<EndpointReply>;
export type EndpointMain = (context: HubSpotEndpointContext) => Promise<HubSpotEndpointReply>;

/**
 * Wraps a public endpoint function: the handler sees `{ method, headers (lower-case), query, body,
 * rawBody? }` and returns `{ status, body?, headers? }`; HubSpot's shapes are adapted in endpoint.ts.
 * The endpoint is public: the handler must authenticate the caller. Failures answer 500/503 without
 * details (the caller may be anyone); the details go to the log. Running out of time answers 503, so
 * the caller delivers again.
 */
export function endpointFunction(run: EndpointHandler, options: FunctionOptions = {}): EndpointMain {
  const scope = options.name ?? 'endpoint';
  return async (context) => {
    const env = environmentOf(context?.secrets);
    const services = buildServices(env, scope);
    try {
      const request = toEndpointRequest(context ?? {});
      const reply = toHubSpotEndpointReply(
        await withinBudget(options.budgetMs ?? currentCallBudget().endpointMs, () => run(request, services)),
      );
      return { ...reply, body: redact(reply.body, env) };
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Refused before authentication and before any parsing of ours: nothing was read or written.
        services.logger.warn('endpoint request body too large', { bytes: error.bytes, limit: MAX_ENDPOINT_BODY_BYTES });
        return toHubSpotEndpointReply({ status: 413, body: { error: 'request body too large' } });
      }
      if (error instanceof ConfigError) {
        services.logger.warn('configuration incomplete', { problems: error.problems });
        return toHubSpotEndpointReply({ status: 503, body: { error: 'The connector is not fully set up.' } });
      }
      const reference = randomUUID();
      if (isOutOfTime(error)) {
        services.logger.warn('out of time', { reference, method: context?.method, ...describeError(error) });
        return toHubSpotEndpointReply({ status: 503, body: { error: 'temporarily unavailable, please retry', reference } });
      }
      services.logger.error('unexpected error', { reference, method: context?.method, ...describeError(error) });
      return toHubSpotEndpointReply({ status: 500, body: { error: 'Internal error', reference } });
    }
  };
}
