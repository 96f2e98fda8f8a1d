/** The happy path's final state as a test assertion (the checks themselves: scenarios.ts, shared with bench/deal.bench.ts). */
import { expect } from 'vitest';
import { finalStateProblems, type FinalStateOptions, type Scenario, type Sims } from './scenarios.js';

export function expectFinalState(ctx: Sims, scenario: Scenario, options: FinalStateOptions = {}): void {
  expect(finalStateProblems(ctx, scenario, options)).toEqual([]);
}
