/**
 * Authentication of billwerk webhook requests.
 *
 * billwerk offers three authentication types for webhooks: none, HTTP Basic Auth (user + password)
 * and Azure Auth; it does not sign payloads (docs/billwerk-api.md "Webhooks (endpoint)"). We accept
 * HTTP Basic Auth and, for setups that cannot use it, a long random token in the webhook URL's
 * `token` query parameter. Every comparison runs in constant time over SHA-256 digests, so neither
 * content nor length of a secret leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BillwerkWebhookConfig } from './config.js';

export interface WebhookAuthRequest {
  /** Lower-case header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
}

export type WebhookAuthResult =
  { ok: true; method: 'basic' | 'token' } | { ok: false; reason: 'missing credentials' | 'wrong credentials' };

/** Equal-length digests make `timingSafeEqual` usable for secrets of any length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function constantTimeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Basic base64(user:password)` -> credentials, or undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks the request against every configured method; any one that matches authenticates it. */
export function authenticateBillwerkWebhook(request: WebhookAuthRequest, config: BillwerkWebhookConfig): WebhookAuthResult {
  const basic = parseBasicAuth(request.headers.authorization);
  const token = request.query.token;
  if (!basic && !token) return { ok: false, reason: 'missing credentials' };

  if (basic && config.BILLWERK_WEBHOOK_USER && config.BILLWERK_WEBHOOK_PASSWORD) {
    // Both halves are compared every time (no short-circuit), so a right user name is not observable.
    const userOk = constantTimeEqual(basic.user, config.BILLWERK_WEBHOOK_USER);
    const passwordOk = constantTimeEqual(basic.password, config.BILLWERK_WEBHOOK_PASSWORD);
    if (userOk && passwordOk) return { ok: true, method: 'basic' };
  }
  if (token && config.BILLWERK_WEBHOOK_TOKEN && constantTimeEqual(token, config.BILLWERK_WEBHOOK_TOKEN)) {
    return { ok: true, method: 'token' };
  }
  return { ok: false, reason: 'wrong credentials' };
}
