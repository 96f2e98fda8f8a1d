/**
 * HubSpot's published OpenAPI specs (shared/hubspot-openapi) as a contract: find the operation of a
 * (method, path), validate JSON bodies against its schemas. The specs use only `type`, `enum`,
 * `format`, `required`, `properties`, `additionalProperties`, `items` and local `$ref`s, so a small
 * validator covers them exactly.
 *
 * Request bodies are checked strictly: a field the schema does not declare is an error (HubSpot's
 * specs never declare `additionalProperties: false`, but a field they do not know is a typo or a
 * guess on our side). Responses are checked leniently (HubSpot adds fields over time).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** HubSpot's specs live in the `shared` folder beside this repository (or HUBSPOT_OPENAPI_DIR). */
export const SPEC_DIR = process.env.HUBSPOT_OPENAPI_DIR ?? fileURLToPath(new URL('../../../shared/hubspot-openapi', import.meta.url));
/** Without the specs the contract tests skip with a warning, except in CI, where they must run. */
export const SPECS_FOUND = existsSync(SPEC_DIR);
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
if (!SPECS_FOUND) {
  if (IN_CI) throw new Error(`HubSpot's OpenAPI specs are missing at ${SPEC_DIR} (set HUBSPOT_OPENAPI_DIR)`);
  console.warn(`OpenAPI contract tests skipped: no specs at ${SPEC_DIR} (set HUBSPOT_OPENAPI_DIR)`);
}
const SPEC_FILES = [
  'crm-objects-v3.json',
  'crm-associations-v4.json',
  'crm-associations-v3.json',
  'crm-properties-v3.json',
  'crm-pipelines-v3.json',
];

export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
}

export interface Operation {
  method: string;
  /** Spec path template, e.g. `/crm/v3/objects/{objectType}/batch/read`. */
  path: string;
  file: string;
  parameters: Parameter[];
  requestSchema?: Schema;
  responses: Record<string, Schema | undefined>;
  resolve(schema: Schema): Schema;
}

interface SpecDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }>; $ref?: string }>;
      }
    >
  >;
  components: { schemas: Record<string, Schema>; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
}

function load(file: string): Operation[] {
  const doc = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as SpecDoc;
  const resolve = (schema: Schema): Schema => {
    let current = schema;
    for (let depth = 0; current.$ref && depth < 20; depth++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current =
        doc.components.schemas[name] ??
        (() => {
          throw new Error(`${file}: unresolved ${current.$ref}`);
        })();
    }
    return current;
  };
  const contentSchema = (content?: Record<string, { schema?: Schema }>) =>
    content?.['application/json']?.schema ?? content?.['*/*']?.schema;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        file,
        resolve,
        parameters: op.parameters ?? [],
        requestSchema: contentSchema(op.requestBody?.content),
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, r]) => {
            const ref = r.$ref?.replace('#/components/responses/', '');
            const content = ref ? doc.components.responses?.[ref]?.content : r.content;
            return [status, contentSchema(content)];
          }),
        ),
      })),
  );
}

export const OPERATIONS: Operation[] = SPECS_FOUND ? SPEC_FILES.flatMap(load) : [];

const segments = (path: string) => path.replace(/\/+$/, '').split('/').slice(1);
const isParam = (segment: string) => /^\{.+\}$/.test(segment) || segment.startsWith(':');

/** The operation serving a concrete request path such as `/crm/v3/objects/deals/123`. Literal segments win over parameters. */
export function findOperation(method: string, path: string): Operation | undefined {
  const wanted = segments(path);
  const candidates = OPERATIONS.filter((op) => {
    if (op.method !== method.toUpperCase()) return false;
    const parts = segments(op.path);
    return parts.length === wanted.length && parts.every((p, i) => isParam(p) || p === decodeURIComponent(wanted[i]!));
  });
  // `/properties/{objectType}/groups` beats `/properties/{objectType}/{propertyName}`.
  return candidates.sort((a, b) => literalCount(b.path) - literalCount(a.path))[0];
}

function literalCount(path: string): number {
  return segments(path).filter((s) => !isParam(s)).length;
}

/** The operation whose template has the same shape as a route pattern such as `/crm/v3/objects/:objectType/batch/read`. */
export function findTemplate(method: string, routePath: string): Operation | undefined {
  const wanted = segments(routePath);
  return OPERATIONS.find((op) => {
    if (op.method !== method.toUpperCase()) return false;
    const parts = segments(op.path);
    return parts.length === wanted.length && parts.every((p, i) => (isParam(p) ? isParam(wanted[i]!) : p === wanted[i]));
  });
}

export interface ValidateOptions {
  /** Reject object fields the schema does not declare. */
  strict: boolean;
}

/** Problems of `value` against `schema` (empty when valid), each naming the JSON path. */
export function validate(value: unknown, schema: Schema, op: Pick<Operation, 'resolve'>, options: ValidateOptions, at = '$'): string[] {
  const s = op.resolve(schema);
  const problems: string[] = [];
  if (s.enum && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
      const record = value as Record<string, unknown>;
      for (const name of s.required ?? []) if (!(name in record)) problems.push(`${at}.${name}: required`);
      for (const [name, v] of Object.entries(record)) {
        const declared = s.properties?.[name];
        if (declared) problems.push(...validate(v, declared, op, options, `${at}.${name}`));
        else if (typeof s.additionalProperties === 'object')
          problems.push(...validate(v, s.additionalProperties, op, options, `${at}.${name}`));
        else if (options.strict && s.properties) problems.push(`${at}.${name}: not in the schema`);
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      return s.items ? value.flatMap((v, i) => validate(v, s.items!, op, options, `${at}[${i}]`)) : problems;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
      else if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${at}: not a date-time`);
      return problems;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: expected an integer, got ${JSON.stringify(value)}`);
      return problems;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: expected a number, got ${JSON.stringify(value)}`);
      return problems;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
      return problems;
    default:
      return problems;
  }
}

export interface RecordedRequest {
  method: string;
  url: string;
  body?: unknown;
}

/** Everything wrong with one request against the specs (empty = documented and valid). */
export function checkRequest(request: RecordedRequest): string[] {
  const url = new URL(request.url);
  const label = `${request.method} ${url.pathname}`;
  const op = findOperation(request.method, url.pathname);
  if (!op) return [`${label}: no such operation in HubSpot's OpenAPI specs`];
  const problems: string[] = [];
  const queryNames = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of new Set(url.searchParams.keys()))
    if (!queryNames.has(name)) problems.push(`${label}: query parameter ${name} is not documented`);
  for (const p of op.parameters)
    if (p.in === 'query' && p.required && !url.searchParams.has(p.name))
      problems.push(`${label}: required query parameter ${p.name} missing`);
  if (op.requestSchema) {
    if (request.body === undefined) problems.push(`${label}: body required`);
    else problems.push(...validate(request.body, op.requestSchema, op, { strict: true }).map((p) => `${label} body ${p}`));
  } else if (request.body !== undefined) {
    problems.push(`${label}: the operation takes no body`);
  }
  return problems;
}

/** Problems of a response body against the schema documented for its status (or `default`). */
export function checkResponse(method: string, url: string, status: number, body: unknown): string[] {
  const path = new URL(url).pathname;
  const op = findOperation(method, path);
  if (!op) return [`${method} ${path}: no such operation`];
  const schema = op.responses[String(status)] ?? (status >= 400 ? op.responses.default : undefined);
  if (!schema) {
    if (status === 204 || (status < 300 && body === undefined)) return [];
    return [`${method} ${path}: status ${status} is not documented`];
  }
  return validate(body, schema, op, { strict: false }).map((p) => `${method} ${path} → ${status} ${p}`);
}
