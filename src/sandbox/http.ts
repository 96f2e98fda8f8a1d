/** A very small router over node:http for the sandbox server (JSON in, JSON/HTML/JS out). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface Reply {
  status: number;
  body: string | object;
  headers?: Record<string, string>;
}

export type Handler = (request: Request) => Promise<Reply> | Reply;

/** A client mistake with a message that names what to fix (answered as 400/404 with that message). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handle: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` may contain `:name` segments and end in `*` (the rest, as `params.rest`). */
  on(method: string, path: string, handle: Handler): this {
    const names: string[] = [];
    const pattern = path
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })
      .replace(/\*$/, () => {
        names.push('rest');
        return '(.*)';
      });
    this.routes.push({ method, regex: new RegExp(`^${pattern}$`), names, handle });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let reply: Reply;
    try {
      reply = await this.dispatch({
        method: req.method ?? 'GET',
        path: url.pathname,
        params: {},
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
    } catch (error) {
      reply =
        error instanceof HttpError
          ? { status: error.status, body: { message: error.message } }
          : { status: 500, body: { message: `The sandbox failed: ${error instanceof Error ? error.message : String(error)}` } };
      if (!(error instanceof HttpError)) console.error(error);
    }
    const isText = typeof reply.body === 'string';
    res.writeHead(reply.status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
      'cache-control': 'no-store',
      ...reply.headers,
    });
    res.end(isText ? reply.body : JSON.stringify(reply.body));
  }

  private async dispatch(request: Request): Promise<Reply> {
    const sameOrigin = this.routes.filter((r) => r.regex.test(request.path));
    const route = sameOrigin.find((r) => r.method === request.method || r.method === '*');
    if (!route) {
      if (sameOrigin.length) return { status: 405, body: { message: `${request.method} is not allowed on ${request.path}` } };
      return { status: 404, body: { message: `Nothing at ${request.path}` } };
    }
    const match = route.regex.exec(request.path)!;
    route.names.forEach((name, i) => (request.params[name] = decodeURIComponent(match[i + 1]!)));
    return route.handle(request);
  }
}

/** Parses the JSON body with `schema`; a bad body is a 400 naming the fields. */
export function jsonBody<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = request.rawBody ? JSON.parse(request.rawBody) : {};
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

export const json = (body: object, status = 200): Reply => ({ status, body });
export const html = (body: string): Reply => ({ status: 200, body, headers: { 'content-type': 'text/html; charset=utf-8' } });
export const javascript = (body: string): Reply => ({ status: 200, body, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
export const css = (body: string): Reply => ({ status: 200, body, headers: { 'content-type': 'text/css; charset=utf-8' } });
