/**
 * HubSpot's v3 request signature (sources in docs/platform.md, "HubSpot webhook signature v3"):
 *   X-HubSpot-Signature-v3 = base64( HMAC-SHA256( app client secret,
 *                              method + requestUri + rawBody + X-HubSpot-Request-Timestamp ) )
 * requestUri is the full URL HubSpot called, with a documented set of percent-escapes decoded.
 * The timestamp is in milliseconds; requests more than 5 minutes old, or more than 5 minutes in the
 * future, are rejected. A replay within that window is accepted: the events are idempotent property
 * changes, and syncing a customer twice changes nothing the second time (docs/security.md).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

// HubSpot decodes exactly these escapes before signing (its "Validating requests" page lists them).
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function signatureUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED[escape.toUpperCase()] ?? escape);
}

export function hubspotV3Signature(secret: string, method: string, uri: string, rawBody: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(`${method.toUpperCase()}${signatureUri(uri)}${rawBody}${timestamp}`, 'utf8')
    .digest('base64');
}

export interface SignedRequest {
  method: string;
  /** Every URL the request may have been sent to (configured public URL, URL seen by the function). */
  uris: readonly string[];
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Constant-time comparison of two base64 signatures over their SHA-256 digests: equal-length inputs
 * for `timingSafeEqual` whatever the caller sent, and no early return on a length mismatch.
 */
function sameSignature(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}

/** Checks signature and age; `reason` is for logs (never contains the secret or the signatures). */
export function verifyHubSpotSignature(request: SignedRequest, secret: string, now: Date): SignatureCheck {
  const signature = header(request.headers, SIGNATURE_HEADER);
  const timestamp = header(request.headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp) return { ok: false, reason: 'signature or timestamp header missing' };
  if (!/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'timestamp header is not a number of milliseconds' };
  const age = now.getTime() - Number(timestamp);
  if (age > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'timestamp is older than 5 minutes' };
  if (age < -MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'timestamp is in the future' };
  const matches = request.uris.some((uri) =>
    sameSignature(hubspotV3Signature(secret, request.method, uri, request.rawBody, timestamp), signature),
  );
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

/** Headers HubSpot would send for `rawBody` (tests, sandbox, benchmarks). */
export function signHubSpotRequest(secret: string, method: string, uri: string, rawBody: string, now: Date): Record<string, string> {
  const timestamp = String(now.getTime());
  return {
    'content-type': 'application/json',
    'X-HubSpot-Signature-v3': hubspotV3Signature(secret, method, uri, rawBody, timestamp),
    'X-HubSpot-Request-Timestamp': timestamp,
  };
}
