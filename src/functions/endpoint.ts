/**
 * The one place that knows HubSpot's request/reply shapes for public endpoint functions
 * (see docs/platform.md "Endpoint functions" for what HubSpot documents and the sources).
 * Handlers see a small, predictable request and return a small reply; this module adapts both.
 */

/** What HubSpot passes to an endpoint function's `main(context)`, as far as documented. */
export interface HubSpotEndpointContext {
  method?: string;
  /** Header names as sent; HubSpot's casing is not guaranteed, so we lower-case them. */
  headers?: Record<string, string | string[] | undefined> | null;
  /** Query parameters; a value may be a list when the name repeats. */
  params?: Record<string, string | string[] | undefined> | null;
  /** Parsed JSON when the request was JSON; a string otherwise. */
  body?: unknown;
  /** The body exactly as sent, when the runtime provides it (not documented; see docs/platform.md). */
  rawBody?: string | null;
  secrets?: Record<string, string | undefined> | null;
  accountId?: number | string;
  [key: string]: unknown;
}

/** What HubSpot expects back from an endpoint function. */
export interface HubSpotEndpointReply {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

/** What a connector endpoint handler sees. */
export interface EndpointRequest {
  method: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** First value of each query parameter. */
  query: Record<string, string>;
  /** Parsed JSON if the body was JSON, else the text (or undefined when empty). */
  body: unknown;
  /**
   * The body as text: exact when HubSpot gives the raw body, otherwise re-serialised from the parsed
   * JSON (`rawBodyExact` false). Signature checks over a re-serialised body fail whenever the sender's
   * JSON formatting differs from `JSON.stringify` (whitespace, key order, unicode escapes).
   */
  rawBody?: string;
  rawBodyExact: boolean;
}

export interface EndpointReply {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Largest body an endpoint accepts. billwerk sends one small event per request and HubSpot batches
 * at most 100 CRM events (a few dozen KB); HubSpot's own cap is the 6 MB invocation payload
 * (docs/platform.md "Limits"). Anything bigger is refused before it is parsed, hashed or handled.
 */
export const MAX_ENDPOINT_BODY_BYTES = 1024 * 1024;

/** The request body is larger than MAX_ENDPOINT_BODY_BYTES; the edge answers 413. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly bytes: number) {
    super(`request body of ${bytes} bytes is larger than ${MAX_ENDPOINT_BODY_BYTES}`);
  }
}

export function toEndpointRequest(context: HubSpotEndpointContext): EndpointRequest {
  const headers = lowerCaseHeaders(context.headers);
  refuseDeclaredOversize(headers['content-length']);
  const { body, rawBody, rawBodyExact } = readBody(context, headers['content-type']);
  if (rawBody !== undefined) refuseOversize(rawBody);
  return {
    method: (context.method ?? 'GET').toUpperCase(),
    headers,
    query: firstValues(context.params),
    body,
    ...(rawBody !== undefined ? { rawBody } : {}),
    rawBodyExact,
  };
}

export function toHubSpotEndpointReply(reply: EndpointReply): HubSpotEndpointReply {
  const isText = typeof reply.body === 'string';
  const body = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json';
  return {
    statusCode: reply.status,
    body,
    headers: { 'content-type': contentType, ...lowerCaseHeaders(reply.headers) },
  };
}

/** A declared Content-Length over the cap is refused without looking at the body at all. */
function refuseDeclaredOversize(contentLength: string | undefined): void {
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > MAX_ENDPOINT_BODY_BYTES) throw new BodyTooLargeError(declared);
}

function refuseOversize(text: string): void {
  // A string's UTF-8 size is at least its length: the cheap check first.
  if (text.length <= MAX_ENDPOINT_BODY_BYTES / 3) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ENDPOINT_BODY_BYTES) throw new BodyTooLargeError(bytes);
}

function readBody(
  context: HubSpotEndpointContext,
  contentType: string | undefined,
): { body: unknown; rawBody?: string; rawBodyExact: boolean } {
  if (typeof context.rawBody === 'string') {
    refuseOversize(context.rawBody);
    return { body: parseMaybeJson(context.rawBody, contentType), rawBody: context.rawBody, rawBodyExact: true };
  }
  const body = context.body;
  if (body === undefined || body === null || body === '') return { body: undefined, rawBodyExact: false };
  if (typeof body === 'string') {
    refuseOversize(body);
    // A string body is what was sent (HubSpot only parses JSON bodies).
    return { body: parseMaybeJson(body, contentType), rawBody: body, rawBodyExact: true };
  }
  return { body, rawBody: JSON.stringify(body), rawBodyExact: false };
}

function parseMaybeJson(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType && !/json/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function firstValues(params: Record<string, string | string[] | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = String(first);
  }
  return out;
}
