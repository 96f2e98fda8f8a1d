/**
 * The connector service in-process (Fastify `inject`, no port) against the shared simulators, and
 * card calls signed the way HubSpot signs a `hubspot.fetch` request.
 */
import { afterEach, beforeEach } from 'vitest';
import { signHubSpotRequest } from '../../src/core/hubspotSignature.js';
import { silentLogger } from '../../src/core/log.js';
import { buildServiceApp, FUNCTION_ROUTE_PREFIX, type ServiceApp } from '../../src/service/app.js';
import { SIM_CREDENTIALS } from '../../src/simulators/constants.js';
import { SIM_PORTAL_ID, SIM_USERS } from '../../src/simulators/hubspot/index.js';
import type { SimulatorContext } from '../support/simulators.js';

export const SERVICE_URL = 'https://connector.example.com';

export interface CardCall {
  userId?: string;
  portalId?: string;
  /** Signing time (default now). */
  signedAt?: Date;
  /** Signs with another secret (a forger). */
  secret?: string;
  /** Replaces the computed signature. */
  signature?: string;
  /** Leaves the signature headers out. */
  unsigned?: boolean;
}

export interface ServiceHarness {
  service(): ServiceApp;
  /** POST /functions/<uid> as HubSpot's proxy sends it: signed, with userId, userEmail and portalId. */
  call(
    uid: string,
    parameters?: Record<string, unknown>,
    options?: CardCall,
  ): Promise<{ status: number; body: unknown; headers: Record<string, string>; signature: string }>;
}

export function serviceEnv(ctx: SimulatorContext): Record<string, string> {
  return { ...ctx.env, CONNECTOR_SERVICE_URL: SERVICE_URL, HUBSPOT_PORTAL_ID: String(SIM_PORTAL_ID) };
}

export function useService(ctx: SimulatorContext): ServiceHarness {
  let current: ServiceApp | undefined;
  beforeEach(() => {
    current = buildServiceApp({ env: serviceEnv(ctx), logger: silentLogger });
  });
  afterEach(async () => {
    await current?.app.close();
    current = undefined;
  });
  const service = () => current!;
  return {
    service,
    call: (uid, parameters = {}, options = {}) => signedCardCall(service(), uid, parameters, options),
  };
}

/** POST /functions/<uid> to `service` as HubSpot's proxy sends it: signed, with userId, userEmail and portalId. */
export async function signedCardCall(
  service: ServiceApp,
  uid: string,
  parameters: Record<string, unknown> = {},
  options: CardCall = {},
): ReturnType<ServiceHarness['call']> {
  const user = Object.values(SIM_USERS).find((u) => u.id === (options.userId ?? SIM_USERS.rep.id));
  const query = new URLSearchParams({
    userId: options.userId ?? SIM_USERS.rep.id,
    userEmail: user?.email ?? 'someone@example.com',
    portalId: options.portalId ?? String(SIM_PORTAL_ID),
  });
  const url = `${FUNCTION_ROUTE_PREFIX}${uid}?${query}`;
  const body = JSON.stringify({ parameters });
  const signed = signHubSpotRequest(
    options.secret ?? SIM_CREDENTIALS.hubspotClientSecret,
    'POST',
    `${SERVICE_URL}${url}`,
    body,
    options.signedAt ?? new Date(),
  );
  const headers: Record<string, string> = options.unsigned
    ? { 'content-type': 'application/json' }
    : { ...signed, ...(options.signature ? { 'X-HubSpot-Signature-v3': options.signature } : {}) };
  const response = await service.app.inject({ method: 'POST', url, headers, payload: body });
  return {
    status: response.statusCode,
    body: response.json(),
    headers: response.headers as Record<string, string>,
    signature: signed['X-HubSpot-Signature-v3']!,
  };
}
