import { SECRET_NAMES } from './config.js';

/**
 * Structured logging for functions (HubSpot collects console output per call, see `hs project logs`).
 * Every line goes through `redact`, so a secret value that sneaks into a message is replaced.
 */

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** `env`: the secrets to mask, from the edge (process.env merged with the call's secrets); the core reads no environment. */
export function redact(text: string, env: Record<string, string | undefined>): string {
  return redactSecretValues(text, env)
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]')
    .replace(/("?access_token"?\s*[:=]\s*"?)[^"&\s,}]+/gi, '$1[redacted]');
}

/**
 * Only the configured secret values (as written, JSON-escaped, URL-encoded), without the header
 * patterns of `redact`: used for values written to CRM records and notes, where a text like
 * "Basic plan" is data, not a credential.
 */
export function redactSecretValues(text: string, env: Record<string, string | undefined>): string {
  return secretRedactor(env)(text);
}

/**
 * `redactSecretValues` with the forms of every secret worked out once: the HubSpot client runs it
 * over every property value it writes (a product sync slice writes ~20,000 products).
 */
export function secretRedactor(env: Record<string, string | undefined>): (text: string) => string {
  const forms: { form: string; replacement: string }[] = [];
  for (const name of SECRET_NAMES) {
    const value = env[name];
    if (!value || value.length < 4) continue;
    // The value as written, as it appears inside a JSON string (quotes, backslashes, unicode escaped)
    // and URL-encoded (a token in a query string).
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])) {
      forms.push({ form, replacement: `[${name}]` });
    }
  }
  return (text) => {
    let out = text;
    for (const { form, replacement } of forms) if (out.includes(form)) out = out.split(form).join(replacement);
    return out;
  };
}

/** `env`: secret values to mask besides credential-shaped text (the edge's sinks mask the call's secrets too). */
export function createLogger(
  scope: string,
  sink: Pick<Console, 'log' | 'warn' | 'error'> = console,
  env: Record<string, string | undefined> = {},
): Logger {
  const line = (level: string, message: string, context?: Record<string, unknown>) =>
    redact(JSON.stringify({ level, scope, message, ...context }), env);
  return {
    info: (m, c) => sink.log(line('info', m, c)),
    warn: (m, c) => sink.warn(line('warn', m, c)),
    error: (m, c) => sink.error(line('error', m, c)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
