/**
 * Time budget per call (src/core/http/deadline.ts, docs/platform.md "Time budget per call"): every
 * function call runs within its budget, below HubSpot's 10 s limit, keeping a reserve at the end for
 * the use-case to write its error onto the record.
 */
import { DEFAULT_RESERVE_MS, runWithDeadline } from '../core/http/deadline.js';

export interface CallBudget {
  /** A card-called function: HubSpot stops a call after ~10 s (docs/platform.md "Limits"). */
  privateMs: number;
  /** An endpoint function: billwerk stops waiting for a webhook answer after 10 s. */
  endpointMs: number;
  /** Kept back at the end for the use-case to write its error onto the record. */
  reserveMs: number;
  /** Epoch-ms clock the budget is measured with (default Date.now). */
  now?: () => number;
}

export const DEFAULT_CALL_BUDGET: Readonly<CallBudget> = { privateMs: 9_000, endpointMs: 8_000, reserveMs: DEFAULT_RESERVE_MS };

let callBudget: CallBudget = { ...DEFAULT_CALL_BUDGET };

export function currentCallBudget(): Readonly<CallBudget> {
  return callBudget;
}

/** Other budgets (or a clock) for every function call; `undefined` restores the defaults. */
export function setCallBudget(budget: Partial<CallBudget> | undefined): void {
  callBudget = { ...DEFAULT_CALL_BUDGET, ...budget };
}

export function withinBudget<T>(budgetMs: number, fn: () => Promise<T>): Promise<T> {
  return runWithDeadline(budgetMs, fn, { reserveMs: callBudget.reserveMs, ...(callBudget.now ? { now: callBudget.now } : {}) });
}
