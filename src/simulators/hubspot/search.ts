/**
 * The CRM search semantics: filter groups are ORed, filters inside a group ANDed; string EQ/NEQ/IN
 * compare case-insensitively; number/date properties compare numerically (dates as epoch ms);
 * CONTAINS_TOKEN matches a whole word, `*` is a wildcard.
 * Sources: https://developers.hubspot.com/docs/api/crm/search (operators, 200 per page, 10,000 cap);
 * @hubspot/api-client README (sorts as "name" / "-name" strings, `after` "0" on the first page).
 */
import { invalid } from './errors.js';
import type { SimProperty } from './model.js';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string | number | boolean;
  values?: (string | number)[];
  highValue?: string | number;
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

/** HubSpot accepts `"name"`, `"-name"` (descending) or `{ propertyName, direction }`. */
export function toSorts(raw: unknown): SearchSort[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return invalid('sorts must be an array');
  return raw.map((s): SearchSort => {
    if (typeof s === 'string')
      return s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' } : { propertyName: s, direction: 'ASCENDING' };
    if (s && typeof s === 'object' && typeof (s as SearchSort).propertyName === 'string') {
      const direction = (s as SearchSort).direction ?? 'ASCENDING';
      if (direction !== 'ASCENDING' && direction !== 'DESCENDING') return invalid(`Invalid sort direction ${String(direction)}`);
      return { propertyName: (s as SearchSort).propertyName, direction };
    }
    return invalid('Each sort needs a propertyName');
  });
}

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

export function validateFilters(filterGroups: unknown): SearchFilter[][] {
  if (filterGroups === undefined) return [];
  if (!Array.isArray(filterGroups)) return invalid('filterGroups must be an array');
  // Since 2024-08-26: up to 5 filter groups, 10 filters per group, 25 filters in total
  // (https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api).
  if (filterGroups.length > 5) return invalid('Too many filter groups: at most 5 are allowed');
  let total = 0;
  const groups = filterGroups.map((group: unknown) => {
    const filters = (group as { filters?: unknown })?.filters;
    if (!Array.isArray(filters)) return invalid('Each filter group needs a filters array');
    if (filters.length > 10) return invalid('Too many filters in a group: at most 10 are allowed');
    total += filters.length;
    return filters.map((f: unknown) => {
      const filter = f as SearchFilter;
      if (!filter || typeof filter.propertyName !== 'string') return invalid('Each filter needs a propertyName');
      if (!OPERATORS.has(filter.operator)) return invalid(`Unknown filter operator ${String(filter.operator)}`);
      return filter;
    });
  });
  if (total > 25) return invalid('Too many filters: at most 25 are allowed in total');
  return groups;
}

type Lookup = (name: string) => SimProperty | undefined;

export function matches(props: Record<string, string>, groups: SearchFilter[][], lookup: Lookup): boolean {
  if (groups.length === 0) return true;
  return groups.some((group) => group.every((f) => matchesFilter(props[f.propertyName], f, lookup(f.propertyName))));
}

function matchesFilter(actual: string | undefined, f: SearchFilter, prop: SimProperty | undefined): boolean {
  const has = actual !== undefined && actual !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && equal(actual, f.value, prop);
    case 'NEQ':
      return !has || !equal(actual, f.value, prop);
    case 'IN':
      return has && (f.values ?? []).some((v) => equal(actual, v, prop));
    case 'NOT_IN':
      return !has || !(f.values ?? []).some((v) => equal(actual, v, prop));
    case 'LT':
      return has && compare(actual, f.value, prop) < 0;
    case 'LTE':
      return has && compare(actual, f.value, prop) <= 0;
    case 'GT':
      return has && compare(actual, f.value, prop) > 0;
    case 'GTE':
      return has && compare(actual, f.value, prop) >= 0;
    case 'BETWEEN':
      return has && compare(actual, f.value, prop) >= 0 && compare(actual, f.highValue, prop) <= 0;
    case 'CONTAINS_TOKEN':
      return has && containsToken(actual, String(f.value ?? ''));
    case 'NOT_CONTAINS_TOKEN':
      return !has || !containsToken(actual, String(f.value ?? ''));
    default:
      return false;
  }
}

function isNumeric(prop: SimProperty | undefined): boolean {
  return prop?.type === 'number' || prop?.type === 'date' || prop?.type === 'datetime';
}

/** Comparable form: epoch ms for dates, numbers for numbers, lower-case text otherwise. */
export function sortKey(value: string | number | boolean | undefined, prop: SimProperty | undefined): number | string {
  if (value === undefined) return '';
  if (prop?.type === 'date' || prop?.type === 'datetime') {
    const n = Number(value);
    return Number.isFinite(n) ? n : Date.parse(String(value));
  }
  if (prop?.type === 'number') return Number(value);
  return String(value).toLowerCase();
}

function equal(actual: string, expected: string | number | boolean | undefined, prop: SimProperty | undefined): boolean {
  if (expected === undefined) return false;
  if (isNumeric(prop)) return sortKey(actual, prop) === sortKey(expected, prop);
  return actual.toLowerCase() === String(expected).toLowerCase();
}

function compare(actual: string, expected: string | number | boolean | undefined, prop: SimProperty | undefined): number {
  const a = sortKey(actual, prop);
  const b = sortKey(expected, prop);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function containsToken(actual: string, token: string): boolean {
  const wanted = token.toLowerCase();
  if (wanted.includes('*')) {
    const pattern = new RegExp(
      `^${wanted
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return pattern.test(actual.toLowerCase()) || tokens(actual).some((t) => pattern.test(t));
  }
  return tokens(actual).includes(wanted) || actual.toLowerCase() === wanted;
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
