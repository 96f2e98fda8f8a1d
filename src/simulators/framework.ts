/**
 * The machinery both simulators share: a route table answering Fetch API Requests, a call log,
 * a sliding-window rate limit answering 429 + Retry-After, seeded per-route latency and fault
 * injection (delay, fail, time out, drop; per route, for the n-th call). A simulator is
 * transport-free; `msw.ts` serves it to tests and `server.ts` over plain HTTP (shared by processes).
 * Conventions: docs/architecture.md "Simulator conventions".
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
  /** What latency class the route belongs to; default from method and path (see `routeKind`). */
  kind?: RouteKind;
}

/** Latency classes: reads (GET, batch reads, previews), searches, writes (everything else). */
export type RouteKind = 'read' | 'search' | 'write';

/**
 * How long one call takes, in ms: `fixed`, `uniform` between min and max, or `tail`: a fixed part
 * plus an exponentially distributed part with mean `meanTailMs` (HubSpot-like: 20 ms + mean 40 ms).
 */
export type LatencyDistribution =
  { kind: 'fixed'; ms: number } | { kind: 'uniform'; minMs: number; maxMs: number } | { kind: 'tail'; fixedMs: number; meanTailMs: number };

/**
 * Latency per call, most specific first: `routes[pattern]` (e.g. `'POST /api/v1/orders'`), then the
 * route's kind (`read`, `search`, `write`), then `default`; none of them: no latency. Half is spent
 * before the handler runs and half after (request and response travel), so a write takes effect in
 * the middle of its call. `seed` makes the draws replayable.
 */
export interface LatencyProfile {
  default?: LatencyDistribution;
  read?: LatencyDistribution;
  search?: LatencyDistribution;
  write?: LatencyDistribution;
  routes?: Record<string, LatencyDistribution>;
  seed?: number;
}

/** Which calls a fault applies to: a route pattern (`'POST /api/v1/orders/:id/commit'`) or a RegExp tested against the path and against `METHOD path`. */
export type CallMatch = string | RegExp;

/** What happens to a matched call. `delay` answers normally after `ms` extra. */
export type FaultKind =
  { kind: 'fail'; status?: number; body?: unknown } | { kind: 'timeout'; ms?: number } | { kind: 'drop' } | { kind: 'delay'; ms: number };

export interface FaultRule {
  /** Default: every route (exempt routes never get faults). */
  on?: CallMatch;
  /** The first matching call (counted from now) that gets the fault: 1 = the next one (default). */
  nth?: number;
  /** How many matching calls in a row get it, from the n-th on (default 1; Infinity = all). */
  count?: number;
  fault: FaultKind;
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

interface ActiveFault {
  on?: CallMatch;
  /** Matching calls still to let through before the fault applies. */
  skip: number;
  remaining: number;
  fault: FaultKind;
}

export class SimulatedNetworkError extends Error {}

/** Thrown by a route handler to answer with an error body (keeps handlers linear). */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(`simulated ${status}`);
  }
}

/** Error bodies in the simulated API's own shape (billwerk is PascalCase, HubSpot camelCase). */
export interface SimulatorOptions {
  notFoundBody?: (method: string, path: string) => unknown;
  invalidJsonBody?: unknown;
  /** How latency and `delay` faults wait (default setTimeout; tests pass a fake clock's advance). */
  sleep?: (ms: number) => Promise<void>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Simulator {
  readonly calls: CallRecord[] = [];
  rateLimit: RateLimit | undefined;
  private readonly routes: CompiledRoute[];
  private faults: ActiveFault[] = [];
  private recent: number[] = [];
  private latencyProfile: LatencyProfile | undefined;
  private random: () => number = Math.random;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly name: string,
    routes: Route[],
    private readonly now: () => number = Date.now,
    private readonly options: SimulatorOptions = {},
  ) {
    this.routes = routes.map((route) => compile(route));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Latency of every later call (undefined: none). Re-seeds the generator from `profile.seed`. */
  set latency(profile: LatencyProfile | undefined) {
    this.latencyProfile = profile;
    this.random = profile?.seed === undefined ? Math.random : seededRandom(profile.seed);
  }

  get latency(): LatencyProfile | undefined {
    return this.latencyProfile;
  }

  /** The one way to inject a fault: `delay`, `fail`, `timeout` or `drop` the n-th (and following) matching calls. */
  inject(rule: FaultRule): void {
    const nth = rule.nth ?? 1;
    if (!Number.isInteger(nth) || nth < 1) throw new Error(`inject: nth must be 1 or more, got ${nth}`);
    this.faults.push({ on: rule.on, skip: nth - 1, remaining: rule.count ?? 1, fault: rule.fault });
  }

  /** The next `count` calls (to paths matching `match`, if given) answer `status`. */
  failNext(count: number, status = 500, options: { match?: RegExp; body?: unknown } = {}): void {
    this.inject({ on: options.match, count, fault: { kind: 'fail', status, body: options.body } });
  }

  /** The next `count` calls hang for `ms` before failing like a dropped connection. */
  timeoutNext(count: number, ms = 30_000, match?: RegExp): void {
    this.inject({ on: match, count, fault: { kind: 'timeout', ms } });
  }

  /** The next `count` calls fail at the network level (connection reset). */
  dropNext(count: number, match?: RegExp): void {
    this.inject({ on: match, count, fault: { kind: 'drop' } });
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
      this.calls.push({
        method: request.method,
        route: found ? `${found.route.method} ${found.route.path}` : `${request.method} ?`,
        path: url.pathname,
        status,
        at: this.now(),
        body,
      });
    };

    if (!found) {
      record(404);
      return json(
        404,
        this.options.notFoundBody?.(request.method, url.pathname) ?? {
          message: `No route for ${request.method} ${url.pathname}`,
          category: 'OBJECT_NOT_FOUND',
        },
      );
    }

    const pattern = `${found.route.method} ${found.route.path}`;
    const latencyMs = this.drawLatency(found.route, pattern);
    const travel = async (share: number) => {
      if (latencyMs > 0) await this.sleep(latencyMs * share);
    };

    if (!found.route.exempt) {
      const fault = this.takeFault(pattern, request.method, url.pathname);
      if (fault?.kind === 'delay') await this.sleep(fault.ms);
      else if (fault) {
        await travel(1);
        if (fault.kind === 'fail') {
          const status = fault.status ?? 500;
          record(status);
          return json(status, fault.body ?? { message: 'Simulated server error', status: 'error' });
        }
        record(0);
        if (fault.kind === 'timeout') await abortableDelay(fault.ms ?? 30_000, request.signal);
        throw new SimulatedNetworkError(`${this.name}: simulated ${fault.kind === 'timeout' ? 'timeout' : 'connection reset'}`);
      }
    }
    await travel(0.5);
    const reply = await this.answer(found, request, url, rawBody, record);
    await travel(0.5);
    return reply;
  }

  private async answer(
    found: { route: CompiledRoute; params: Record<string, string> },
    request: Request,
    url: URL,
    rawBody: string,
    record: (status: number, body?: unknown) => void,
  ): Promise<Response> {
    if (!found.route.exempt) {
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
    const req: SimRequest = {
      method: request.method,
      path: url.pathname,
      params: found.params,
      query: url.searchParams,
      headers: request.headers,
      body,
      rawBody,
    };
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

  /** Every matching rule counts the call; the first one whose turn it is applies. */
  private takeFault(pattern: string, method: string, path: string): FaultKind | undefined {
    let taken: ActiveFault | undefined;
    for (const rule of this.faults) {
      if (!matchesCall(rule.on, pattern, method, path)) continue;
      if (rule.skip > 0) rule.skip--;
      else if (!taken) taken = rule;
    }
    if (!taken) return undefined;
    if (--taken.remaining <= 0) this.faults.splice(this.faults.indexOf(taken), 1);
    return taken.fault;
  }

  private drawLatency(route: CompiledRoute, pattern: string): number {
    const profile = this.latencyProfile;
    if (!profile) return 0;
    const distribution = profile.routes?.[pattern] ?? profile[route.kind ?? routeKind(route.method, route.path)] ?? profile.default;
    return distribution ? drawMs(distribution, this.random) : 0;
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
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
        // Retry-After is whole seconds on the wire; the millisecond header lets scaled-down benchmark windows work.
        {
          'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
          'X-Retry-After-Ms': String(Math.max(1, waitMs)),
          ...this.rateLimitHeaders(),
        },
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

/** Default latency class: searches by path, batch reads and previews read, GET reads, the rest writes. */
export function routeKind(method: string, path: string): RouteKind {
  if (/\/search$/i.test(path)) return 'search';
  if (method === 'GET' || method === 'HEAD' || /\/batch\/read$|\/preview$/i.test(path)) return 'read';
  return 'write';
}

/** One draw from `distribution` with the uniform generator `random` (values in [0, 1)). */
export function drawMs(distribution: LatencyDistribution, random: () => number): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + random() * (distribution.maxMs - distribution.minMs);
    case 'tail':
      return distribution.fixedMs - distribution.meanTailMs * Math.log(1 - random());
  }
}

/** mulberry32: a small seeded PRNG, so a trial with the same seed draws the same latencies. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matchesCall(on: CallMatch | undefined, pattern: string, method: string, path: string): boolean {
  if (on === undefined) return true;
  if (typeof on === 'string') return on === pattern;
  return on.test(path) || on.test(`${method} ${path}`);
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
