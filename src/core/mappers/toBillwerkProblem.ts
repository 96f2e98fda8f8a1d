/**
 * A failed billwerk call -> words a rep can act on. The client's errors carry the HTTP `status`
 * (0 or none for network failures) and billwerk's message; nothing secret is in them.
 */
import { isOutOfTime } from '../http/deadline.js';
import type { Problem } from '../result.js';

export function billwerkStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

export function isBillwerkRejection(error: unknown): boolean {
  const status = billwerkStatus(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408 && status !== 429;
}

export function toBillwerkProblem(error: unknown, action: string, record?: string): Problem {
  const status = billwerkStatus(error);
  // billwerk's own words when it sent any (BillwerkApiError.billwerkMessage), else the error's message.
  const own = (error as { billwerkMessage?: unknown } | undefined)?.billwerkMessage;
  const detail = typeof own === 'string' && own ? own : error instanceof Error ? error.message : String(error);
  const where = record ? { record } : {};
  if (status === 404)
    return {
      ...where,
      message: `billwerk could not ${action}: something it needs was not found (${detail}). Check the entity and the billwerk ids.`,
    };
  if (isBillwerkRejection(error)) return { ...where, message: `billwerk rejected the request to ${action}: ${detail}` };
  if (status === 401 || status === 403)
    return {
      ...where,
      message: `billwerk refused the connector's credentials while trying to ${action}. Ask an admin to check the billwerk client id and secret.`,
    };
  if (isOutOfTime(error))
    return {
      ...where,
      message: `billwerk did not answer in time to ${action} (${detail}). Nothing was changed by this attempt that a retry would duplicate; try again.`,
    };
  return {
    ...where,
    message: `billwerk could not be reached to ${action} (${detail}). Nothing was changed by this attempt that a retry would duplicate; try again.`,
  };
}
