/**
 * One error type for every failed HubSpot call. @hubspot/api-client throws `ApiException`
 * (`code` = HTTP status, `body` = HubSpot's error JSON, `headers`) for HTTP errors and node-fetch's
 * `FetchError` for network failures; both become `HubSpotApiError`. Messages come from HubSpot's
 * body, never from request data, and the access token is scrubbed in case a body echoes it.
 */
import { retryAfterMs } from '../http/retry.js';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, unknown>;
}

export class HubSpotApiError extends Error {
  override name = 'HubSpotApiError';

  constructor(
    /** HTTP status; 0 for network errors and timeouts. */
    readonly status: number,
    message: string,
    readonly info: {
      /** HubSpot's error category, e.g. VALIDATION_ERROR, OBJECT_NOT_FOUND, RATE_LIMITS, NETWORK_ERROR. */
      category?: string;
      correlationId?: string;
      /** What the client was doing, e.g. `batchUpdate deals`. */
      operation?: string;
      /** HubSpot's `errors[]` (validation details) or per-item batch errors. */
      details?: HubSpotErrorDetail[];
      /** HubSpot's `context`, e.g. `{ ids: [...] }` of missing records. */
      context?: Record<string, unknown>;
      /** Server-requested wait before retrying (Retry-After / X-Retry-After-Ms). */
      retryAfterMs?: number;
      /** Response headers, for the rate-limit pacer. */
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }

  get category(): string | undefined {
    return this.info.category;
  }

  get correlationId(): string | undefined {
    return this.info.correlationId;
  }

  /** Network failures and timeouts (no HTTP answer). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The property names HubSpot reported as invalid (PROPERTY_DOESNT_EXIST, INVALID_OPTION, ...). */
  get invalidProperties(): string[] {
    return (this.info.details ?? []).flatMap((d) => {
      const names = d.context?.propertyName;
      return Array.isArray(names) ? names.map(String) : [];
    });
  }
}

interface ApiExceptionLike {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function isApiException(error: unknown): error is ApiExceptionLike {
  return typeof error === 'object' && error !== null && typeof (error as ApiExceptionLike).code === 'number' && 'body' in error;
}

/** Cuts `secret` (the app token) and any bearer token out of text HubSpot sent back. */
export function scrub(text: string, secret: string | undefined): string {
  const withoutSecret = secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
  return withoutSecret.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]');
}

/** Converts whatever a call threw into a HubSpotApiError; `token` is removed from the message. */
export function toHubSpotApiError(error: unknown, operation: string, token?: string): HubSpotApiError {
  if (error instanceof HubSpotApiError) return error;
  if (isApiException(error)) {
    const body = (typeof error.body === 'object' && error.body !== null ? error.body : {}) as Record<string, unknown>;
    const raw = typeof body.message === 'string' ? body.message : typeof error.body === 'string' && error.body ? error.body : 'no message';
    const category = typeof body.category === 'string' ? body.category : error.code === 429 ? 'RATE_LIMITS' : undefined;
    const details = Array.isArray(body.errors)
      ? (body.errors as HubSpotErrorDetail[]).map((d) => ({ ...d, message: scrub(String(d.message ?? ''), token) }))
      : undefined;
    const headers = error.headers ?? {};
    return new HubSpotApiError(
      error.code,
      scrub(`HubSpot ${operation} failed (${error.code}${category ? ` ${category}` : ''}): ${raw}`, token),
      {
        category,
        correlationId: typeof body.correlationId === 'string' ? body.correlationId : undefined,
        operation,
        details,
        context: typeof body.context === 'object' && body.context !== null ? (body.context as Record<string, unknown>) : undefined,
        retryAfterMs: retryAfterMs(headers),
        headers,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new HubSpotApiError(0, scrub(`HubSpot ${operation} failed: no answer (${reason})`, token), {
    category: 'NETWORK_ERROR',
    operation,
  });
}
