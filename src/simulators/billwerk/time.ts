/** billwerk's id and time formats, and period arithmetic, for the simulator. */
import type { Period } from '../../core/billwerk/schemas.js';

/** billwerk timestamps carry 7 fraction digits: `2026-11-29T10:00:00.0000000Z`. */
export function toBillwerkTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const UNITS = ['Day', 'Week', 'Month', 'Year'] as const;
export type PeriodUnit = (typeof UNITS)[number];

export function isPeriodUnit(unit: unknown): unit is PeriodUnit {
  return typeof unit === 'string' && (UNITS as readonly string[]).includes(unit);
}

/** `ms` moved forward by `count` periods (calendar months/years in UTC). */
export function addPeriod(ms: number, period: Period, count = 1): number {
  const quantity = period.Quantity * count;
  const date = new Date(ms);
  switch (period.Unit) {
    case 'Day':
      return ms + quantity * 86_400_000;
    case 'Week':
      return ms + quantity * 7 * 86_400_000;
    case 'Year':
      date.setUTCFullYear(date.getUTCFullYear() + quantity);
      return date.getTime();
    case 'Month':
    default:
      date.setUTCMonth(date.getUTCMonth() + quantity);
      return date.getTime();
  }
}

/** A period in (approximate) months, to compare fee and billing periods. */
export function periodInMonths(period: Period): number {
  switch (period.Unit) {
    case 'Day':
      return period.Quantity / 30;
    case 'Week':
      return (period.Quantity * 7) / 30;
    case 'Year':
      return period.Quantity * 12;
    default:
      return period.Quantity;
  }
}

/**
 * 24-hex ids like billwerk's (MongoDB ObjectIds): 8 hex of seconds, then a counter, so ids sort in
 * creation order, which makes `from` paging stable.
 */
export function createIdGenerator(now: () => number): () => string {
  const prefix = Math.floor(now() / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  let counter = 0;
  return () => prefix + (++counter).toString(16).padStart(16, '0');
}

export const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;
