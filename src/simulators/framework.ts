/**
 * The machinery both simulators share: a route table answering Fetch API Requests, a call log,
 * a sliding-window rate limit answering 429 + Retry-After, and fault injection. A simulator is
 * transport-free; `msw.ts` serves it to tests and `server.ts` over plain HTTP.
 */

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  /** Parsed JSON, or form fields for `application/x-www-form-urlencoded`, or undefined. */
  body: unknown;
  rawBody: string;
}

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: SimRequest) => SimReply | Promise<SimReply>;

export interface Route {
  method: string;
  /** Path with `:name` segments, e.g. `/crm/v3/objects/:objectType/batch/read`. */
  path: string;
  handle: RouteHandler;
  /** Exempt from rate limiting and faults (e.g. the OAuth token endpoint when testing API faults). */
  exempt?: boolean;
  /** A limit of the route's own, checked before the simulator-wide one (e.g. HubSpot's search limit). */
  limit?: RouteLimit;
}

/** A rate limit that only some routes share, with the API's own way of answering when it is exceeded. */
export interface RouteLimit {
  /** The rejection when the call would exceed the limit (the call is then not counted); otherwise counts it. */
  check(now: number): SimReply | undefined;
  /** Answers of these routes leave out the simulator-wide rate-limit headers (HubSpot's search answers carry none). */
  hidesRateLimitHeaders?: boolean;
}

export interface CallRecord {
  method: string;
  /** The route pattern that answered, e.g. `POST /crm/v3/objects/:objectType/batch/update`. */
  route: string;
  path: string;
  status: number;
  at: number;
  body?: unknown;
}

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

type Fault = { kind: 'status'; status: number; body?: unknown } | { kind: 'timeout'; ms: number } | { kind: 'network' };

export class SimulatedNetworkError extends Error {}

/** Thrown by a route handler to answer with an error body (keeps handlers linear). */
export class SimError extends Error {
  constructor(readonly status: number, readonly body: unknown, readonly headers?: Record<string, string>) {
    super(`simulated ${status}`);
  }
}

/** Error bodies in the simulated API's own shape (billwerk is PascalCase, HubSpot camelCase). */
export interface SimulatorOptions {
  notFoundBody?: (method: string, path: string) => unknown;
  invalidJsonBody?: unknown;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Simulator {
  readonly calls: CallRecord[] = [];
  rateLimit: RateLimit | undefined;
  private readonly routes: CompiledRoute[];
  private faults: { match?: RegExp; fault: Fault }[] = [];
  private recent: number[] = [];

  constructor(
    readonly name: string,
    routes: Route[],
    private readonly now: () => number = Date.now,
    private readonly options: SimulatorOptions = {},
  ) {
    this.routes = routes.map((route) => compile(route));
  }

  /** The next `count` calls (to paths matching `match`, if given) answer `status`. */
  failNext(count: number, status = 500, options: { match?: RegExp; body?: unknown } = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ match: options.match, fault: { kind: 'status', status, body: options.body } });
  }

  /** The next `count` calls hang for `ms` before failing like a dropped connection. */
  timeoutNext(count: number, ms = 30_000, match?: RegExp): void {
    for (let i = 0; i < count; i++) this.faults.push({ match, fault: { kind: 'timeout', ms } });
  }

  /** The next `count` calls fail at the network level (connection reset). */
  dropNext(count: number, match?: RegExp): void {
    for (let i = 0; i < count; i++) this.faults.push({ match, fault: { kind: 'network' } });
  }

  clearFaults(): void {
    this.faults = [];
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Calls whose route pattern (e.g. `POST /api/v1/orders`) or path matches. */
  count(match?: string | RegExp): number {
    if (!match) return this.calls.length;
    return this.calls.filter((c) => (typeof match === 'string' ? c.route === match : match.test(`${c.method} ${c.path}`))).length;
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const rawBody = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const found = this.match(request.method, url.pathname);
    const record = (status: number, body?: unknown) => {
      this.calls.push({ method: request.method, route: found ? `${found.route.method} ${found.route.path}` : `${request.method} ?`, path: url.pathname, status, at: this.now(), body });
    };

    if (!found) {
      record(404);
      return json(404, this.options.notFoundBody?.(request.method, url.pathname) ?? { message: `No route for ${request.method} ${url.pathname}`, category: 'OBJECT_NOT_FOUND' });
    }

    if (!found.route.exempt) {
      const fault = this.takeFault(url.pathname);
      if (fault) {
        if (fault.kind === 'status') {
          record(fault.status);
          return json(fault.status, fault.body ?? { message: 'Simulated server error', status: 'error' });
        }
        record(0);
        if (fault.kind === 'timeout') await abortableDelay(fault.ms, request.signal);
        throw new SimulatedNetworkError(`${this.name}: simulated ${fault.kind === 'timeout' ? 'timeout' : 'connection reset'}`);
      }
      const rejected = found.route.limit?.check(this.now());
      if (rejected) {
        record(rejected.status);
        return json(rejected.status, rejected.body, rejected.headers);
      }
      const limited = this.checkRateLimit();
      if (limited) {
        record(429);
        return limited;
      }
    }

    let body: unknown;
    try {
      body = parseBody(rawBody, request.headers.get('content-type'));
    } catch {
      record(400);
      return json(400, this.options.invalidJsonBody ?? { message: 'Invalid JSON body', category: 'VALIDATION_ERROR', status: 'error' });
    }
    const req: SimRequest = { method: request.method, path: url.pathname, params: found.params, query: url.searchParams, headers: request.headers, body, rawBody };
    let reply: SimReply;
    try {
      reply = await found.route.handle(req);
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      reply = { status: error.status, body: error.body, headers: error.headers };
    }
    record(reply.status, body);
    const limitHeaders = found.route.limit?.hidesRateLimitHeaders ? {} : this.rateLimitHeaders();
    return json(reply.status, reply.body, { ...limitHeaders, ...reply.headers });
  }

  private match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { route, params };
    }
    return undefined;
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => !f.match || f.match.test(path));
    if (index < 0) return undefined;
    return this.faults.splice(index, 1)[0]!.fault;
  }

  private checkRateLimit(): Response | undefined {
    if (!this.rateLimit) return undefined;
    const now = this.now();
    const { limit, windowMs } = this.rateLimit;
    this.recent = this.recent.filter((t) => t > now - windowMs);
    if (this.recent.length >= limit) {
      const waitMs = this.recent[0]! + windowMs - now;
      return json(
        429,
        { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
        // Retry-After is whole seconds on the wire; the millisecond header lets scaled-down benchmark windows work.
        { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))), 'X-Retry-After-Ms': String(Math.max(1, waitMs)), ...this.rateLimitHeaders() },
      );
    }
    this.recent.push(now);
    return undefined;
  }

  private rateLimitHeaders(): Record<string, string> {
    if (!this.rateLimit) return {};
    return {
      'X-HubSpot-RateLimit-Max': String(this.rateLimit.limit),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.rateLimit.limit - this.recent.length)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.rateLimit.windowMs),
    };
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${pattern}/?$`, 'i'), names };
}

function parseBody(raw: string, contentType: string | null): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return JSON.parse(raw);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204 || body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json;charset=utf-8', ...headers } });
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
