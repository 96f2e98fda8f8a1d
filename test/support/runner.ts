/**
 * Race tests and other real-world tests run the BUILT functions the way HubSpot does: each call a
 * fresh process with the 10 s limit, both simulators over HTTP with one portal-wide rate limit and
 * the latency profile. `useRunner()` builds the bundles once per source state (cached, see
 * src/runner/build.ts) and gives every test fresh simulators:
 *
 *   const rig = useRunner({ searchLagMs: 2000 });
 *   it('…', async () => {
 *     const [a, b] = await Promise.all([rig.invokePrivate('apply_deal', call), rig.invokePrivate('apply_deal', call)]);
 *     expect(rig.billwerk.store.list('contracts', entity)).toHaveLength(1);
 *   });
 *
 * Each invocation answers `{ reply, durationMs, peakRssMb, overMemory, killed, error?, requireMs? }`.
 * Details: docs/runner.md.
 */
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { ensureBuilt } from '../../src/runner/build.js';
import { startRig, type Rig, type RigOptions } from '../../src/runner/rig.js';

export type { Invocation } from '../../src/runner/runner.js';
export type { Rig, RigOptions } from '../../src/runner/rig.js';

/** A fresh rig per test (simulators seeded, served over HTTP, runner on the cached build). */
export function useRunner(options: RigOptions = {}): Rig {
  const holder = {} as { rig: Rig; distDir: string };
  beforeAll(async () => {
    holder.distDir = options.runner?.distDir ?? (await ensureBuilt());
  }, 120_000);
  beforeEach(async () => {
    holder.rig = await startRig({ ...options, runner: { ...options.runner, distDir: holder.distDir } });
  });
  afterEach(async () => holder.rig.close());
  // The rig changes per test; hand out a view that always reads the current one.
  return new Proxy({} as Rig, { get: (_, key) => holder.rig[key as keyof Rig] });
}
