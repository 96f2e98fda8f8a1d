/**
 * Connection check for the settings page: per configured entity, can we get a billwerk token and read
 * with that entity selected; and does HubSpot accept the app's token. Read-only; every failure is
 * explained in plain words naming the secret to fix, never its value.
 */
import { TOKEN_PATH } from '../billwerk/client.js';
import { BillwerkApiError } from '../billwerk/errors.js';
import type { Deps } from '../deps.js';
import { billwerkEnvironmentOf, type BillwerkEnvironment } from '../billwerk/environment.js';
import { succeed, type Outcome } from '../result.js';

export interface EntityConnection {
  entityId: string;
  entityName: string;
  ok: boolean;
  /** billwerk answered at all (false = network error or timeout). */
  reachable: boolean;
  /** billwerk accepted the client id/secret and the entity. */
  authorized: boolean;
  message: string;
}

export interface ConnectionReport {
  billwerk: { baseUrl: string; environment: BillwerkEnvironment };
  entities: EntityConnection[];
  hubspot: { ok: boolean; message: string };
}

/** HTTP status of a client error (both clients expose `status`; axios errors `response.status`); 0 = no answer. */
export function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.response?.status === 'number') return e.response.status;
  return undefined;
}

/** Where a billwerk call failed: getting the OAuth token (credentials) or the read with the entity selected. */
export type FailedStep = 'token' | 'read';

export function failedStepOf(error: unknown): FailedStep {
  return error instanceof BillwerkApiError && error.path === TOKEN_PATH ? 'token' : 'read';
}

/**
 * Pure: what a failed billwerk call means for the admin. Once billwerk issued a token, the credentials
 * are fine, so any 4xx of the read with the entity selected (400, 401, 403, 404, 422, …) means billwerk
 * does not know that entity id: a BILLWERK_ENTITIES problem.
 */
export function explainBillwerkFailure(
  status: number | undefined,
  baseUrl: string,
  step: FailedStep = 'read',
  entityId = '',
): Pick<EntityConnection, 'reachable' | 'authorized' | 'message'> {
  if (status === undefined || status === 0) {
    return {
      reachable: false,
      authorized: false,
      message: `billwerk could not be reached at ${baseUrl}. Check BILLWERK_BASE_URL (sandbox.billwerk.com, app.billwerk.com or your billwerk https URL).`,
    };
  }
  if (status === 429)
    return { reachable: true, authorized: true, message: 'billwerk is rate limiting the connector. Try again in a minute.' };
  if (step === 'token' && status >= 400 && status < 500) {
    return {
      reachable: true,
      authorized: false,
      message:
        'billwerk rejected the credentials. Check BILLWERK_CLIENT_ID and BILLWERK_CLIENT_SECRET: the client id and secret of the OAuth client in billwerk (Settings › My Apps).',
    };
  }
  if (status >= 400 && status < 500) {
    return {
      reachable: true,
      authorized: false,
      message: `billwerk does not know entity ${entityId ? `"${entityId}"` : 'id'} (HTTP ${status}). Check its id in BILLWERK_ENTITIES: the legal entity's id in billwerk (Settings › Legal entities), as [{"id":"…","name":"…"}], root entity first.`,
    };
  }
  return { reachable: true, authorized: false, message: `billwerk answered with an error (HTTP ${status}). Try again later.` };
}

export async function checkConnection(
  deps: Pick<Deps, 'billwerk' | 'hubspot' | 'logger'>,
  config: { baseUrl: string },
): Promise<Outcome<ConnectionReport>> {
  const [entities, hubspot] = await Promise.all([
    Promise.all(deps.billwerk.entities.map((entity) => checkEntity(deps, entity, config.baseUrl))),
    checkHubSpot(deps),
  ]);
  return succeed({ billwerk: { baseUrl: config.baseUrl, environment: billwerkEnvironmentOf(config.baseUrl) }, entities, hubspot });
}

async function checkEntity(
  deps: Pick<Deps, 'billwerk' | 'logger'>,
  entity: { id: string; name: string },
  baseUrl: string,
): Promise<EntityConnection> {
  const base = { entityId: entity.id, entityName: entity.name };
  try {
    // A cheap authenticated read with the entity selected proves token, entity and reachability at once.
    const planGroups = await deps.billwerk.forEntity(entity.id).listPlanGroups();
    return {
      ...base,
      ok: true,
      reachable: true,
      authorized: true,
      message: `Connected (${planGroups.length} plan group${planGroups.length === 1 ? '' : 's'}).`,
    };
  } catch (error) {
    const status = statusOf(error);
    deps.logger.warn('billwerk connection check failed', { entityId: entity.id, status });
    return { ...base, ok: false, ...explainBillwerkFailure(status, baseUrl, failedStepOf(error), entity.id) };
  }
}

async function checkHubSpot(deps: Pick<Deps, 'hubspot' | 'logger'>): Promise<ConnectionReport['hubspot']> {
  try {
    await deps.hubspot.listPropertyGroups('deals');
    return { ok: true, message: 'HubSpot accepted the app token.' };
  } catch (error) {
    const status = statusOf(error);
    deps.logger.warn('HubSpot connection check failed', { status });
    if (status === 401 || status === 403)
      return { ok: false, message: 'HubSpot rejected the app token or a scope is missing. Reinstall the app.' };
    return { ok: false, message: `HubSpot could not be reached${status ? ` (HTTP ${status})` : ''}. Try again later.` };
  }
}
