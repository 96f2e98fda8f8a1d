/** One table of operations serves both deployments: it must list every app function as HubSpot sees it. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { needsAdmin, OPERATIONS } from '../../src/functions/operations.js';

const DIR = new URL('../../src/app/functions/', import.meta.url);
const hsmeta = readdirSync(DIR)
  .filter((f) => f.endsWith('-hsmeta.json'))
  .map(
    (f) =>
      JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as {
        uid: string;
        config: { entrypoint: string; endpoint?: { path: string; methods: string[] } };
      },
  );

describe('the operations table', () => {
  it('has exactly one entry per app function uid', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(hsmeta.map((h) => h.uid).sort());
  });

  it.each(hsmeta.map((h) => [h.uid, h] as const))(
    '%s: same kind, path and methods as its hsmeta file, and the main of its entrypoint',
    async (uid, meta) => {
      const operation = (OPERATIONS as Record<string, (typeof OPERATIONS)[keyof typeof OPERATIONS]>)[uid]!;
      if (meta.config.endpoint) {
        expect(operation).toMatchObject({ kind: 'endpoint', path: meta.config.endpoint.path, methods: meta.config.endpoint.methods });
      } else {
        expect(operation.kind).toBe('private');
      }
      const name = /([\w-]+)\.js$/.exec(meta.config.entrypoint)![1]!;
      const module = (await import(`../../src/functions/${name}.ts`)) as { main: unknown };
      expect(operation.main).toBe(module.main);
    },
  );

  it('marks exactly the setup-changing and portal-wide actions as admin-only', () => {
    const adminOnly = Object.entries(OPERATIONS)
      .filter(([, op]) => op.kind === 'private' && op.admin === true)
      .map(([uid]) => uid);
    expect(adminOnly.sort()).toEqual(['run_setup', 'save_mappings', 'start_product_sync']);
    expect(needsAdmin(OPERATIONS.reconcile, { action: 'run' })).toBe(true);
    expect(needsAdmin(OPERATIONS.reconcile, { action: 'status' })).toBe(false);
    expect(needsAdmin(OPERATIONS.reconcile, { action: 'anything else' })).toBe(true);
  });
});
