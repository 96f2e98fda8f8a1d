/**
 * Typed errors of the billwerk client. Messages come from billwerk's reply body (its `Message`) and
 * the request's method and path, never from request data, headers or the token.
 */
import { errorBodySchema } from './schemas.js';

export interface BillwerkErrorInfo {
  method: string;
  /** Path without query, e.g. `/api/v1/orders/64a…/commit`. */
  path: string;
  /** billwerk's own words (`Message`, OAuth `error_description`/`error`), when the body had any. */
  billwerkMessage?: string;
  /** billwerk's `Code` or the OAuth `error` code, e.g. `invalid_client`. */
  code?: string;
  /** Server-requested wait (Retry-After) of a 429/503. */
  retryAfterMs?: number;
  /** Network error code (ECONNREFUSED, ECONNABORTED, ...) when there was no HTTP answer. */
  networkCode?: string;
}

export class BillwerkApiError extends Error {
  override name = 'BillwerkApiError';

  constructor(
    /** HTTP status; 0 when billwerk did not answer (network error, timeout). */
    readonly status: number,
    message: string,
    readonly info: BillwerkErrorInfo,
  ) {
    super(message);
  }

  get method(): string {
    return this.info.method;
  }

  get path(): string {
    return this.info.path;
  }

  get billwerkMessage(): string | undefined {
    return this.info.billwerkMessage;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/** A 2xx reply whose body does not have the shape the connector relies on (see schemas.ts). */
export class BillwerkReplyError extends Error {
  override name = 'BillwerkReplyError';

  constructor(
    /** `GET /api/v1/contracts/:id`-style endpoint name. */
    readonly endpoint: string,
    /** zod's issue list, e.g. `Id: expected string`. Field paths and expectations only, no values. */
    readonly issues: string[],
  ) {
    super(`billwerk ${endpoint} answered with an unexpected shape: ${issues.slice(0, 5).join('; ')}`);
  }
}

/** `forEntity(id)` with an entity the connector is not configured for. */
export class UnknownBillwerkEntityError extends Error {
  override name = 'UnknownBillwerkEntityError';

  constructor(
    readonly entityId: string,
    configured: readonly string[],
  ) {
    super(`billwerk entity ${entityId} is not configured (configured: ${configured.join(', ')}). Check BILLWERK_ENTITIES.`);
  }
}

export function isBillwerkApiError(error: unknown): error is BillwerkApiError {
  return error instanceof BillwerkApiError;
}

/** billwerk answered 404: the id does not exist (in this entity). */
export function isNotFound(error: unknown): boolean {
  return isBillwerkApiError(error) && error.status === 404;
}

/**
 * 400/409/422: billwerk rejected what we sent for a reason the rep can fix (a missing email, a hidden
 * plan variant, a duplicate external id). Show `billwerkMessage` on the card; everything else
 * (401/403/404/429/5xx/network) is the connector's or billwerk's problem.
 */
export function isRepFixable(error: unknown): error is BillwerkApiError {
  return isBillwerkApiError(error) && (error.status === 400 || error.status === 409 || error.status === 422);
}

/** What to show a rep for a rep-fixable error: billwerk's own words, else a generic line. */
export function repMessage(error: BillwerkApiError): string {
  return error.billwerkMessage ?? `billwerk rejected the request (HTTP ${error.status}).`;
}

/** billwerk's words from an error body: `Message` (REST), `error_description`/`error` (OAuth), or short text. */
export function billwerkMessageOf(body: unknown): { message?: string; code?: string } {
  if (typeof body === 'string') {
    const text = body.trim();
    return text && text.length <= 500 && !text.startsWith('<') ? { message: text } : {};
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const raw = parsed.data as Record<string, unknown>;
  const message =
    parsed.data.Message ??
    (typeof raw.error_description === 'string' ? raw.error_description : undefined) ??
    (typeof raw.error === 'string' ? raw.error : undefined);
  const code = parsed.data.Code ?? (typeof raw.error === 'string' ? raw.error : undefined);
  return { message: message ?? undefined, code: code ?? undefined };
}

/**
 * Error line: billwerk's words first (they are what a rep reads), then status, method and path.
 * `secrets` (client id and secret, access tokens) are cut out of billwerk's words: they reach cards,
 * HubSpot records and logs, and a server may echo what it was sent.
 */
export function toBillwerkApiError(
  status: number,
  body: unknown,
  info: Omit<BillwerkErrorInfo, 'billwerkMessage' | 'code'>,
  secrets: readonly string[] = [],
): BillwerkApiError {
  const { message, code } = billwerkMessageOf(body);
  const where = `${info.method} ${info.path}`;
  const text = message ? `${message} (billwerk ${status}, ${where})` : `billwerk answered ${status} to ${where}`;
  return new BillwerkApiError(status, scrubTokens(text, secrets), {
    ...info,
    billwerkMessage: message ? scrubTokens(message, secrets) : undefined,
    code: code ? scrubTokens(code, secrets) : undefined,
  });
}

export function scrubTokens(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/("?access_token"?\s*[:=]\s*"?)[^"&\s,}]+/gi, '$1[redacted]');
}
