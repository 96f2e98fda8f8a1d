/** One line of bench-results.json. Lower is better unless the unit says otherwise. */
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  target: number;
  /** How it was measured, printed under the table (not written to bench-results.json). */
  note?: string;
}

/** Every `bench/*.bench.ts` module exports `run`; bench/run.ts collects them. */
export type BenchModule = { run(): Promise<BenchResult[]> };
