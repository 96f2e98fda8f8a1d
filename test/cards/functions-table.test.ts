/**
 * The cards call app functions only through the uids in src/app/cards/shared/functions.ts (the hook's
 * type allows no other); each must be a private app function component, and no card may name a uid
 * outside the table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/app/cards/shared/functions.js';

const FUNCTIONS_DIR = 'src/app/functions';
const components = readdirSync(FUNCTIONS_DIR)
  .filter((f) => f.endsWith('-hsmeta.json'))
  .map((f) => JSON.parse(readFileSync(join(FUNCTIONS_DIR, f), 'utf8')) as { uid: string; type: string; config: { endpoint?: unknown } });

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('function uids the cards call', () => {
  it.each(Object.entries(FUNCTIONS))('%s (%s) is a private app function', (_key, uid) => {
    const component = components.find((c) => c.uid === uid);
    expect(component, `no src/app/functions/*-hsmeta.json has uid ${uid}`).toBeDefined();
    expect(component!.type).toBe('app-function');
    expect(component!.config.endpoint, `${uid} is a public endpoint; cards call private functions`).toBeUndefined();
  });

  it('no card file names a function uid outside the table', () => {
    const known = new Set(components.map((c) => c.uid));
    const table = 'src/app/cards/shared/functions.ts';
    for (const file of sources('src/app/cards').filter((f) => f !== table)) {
      const literals = [...readFileSync(file, 'utf8').matchAll(/['"]([a-z]+(?:_[a-z]+)+)['"]/g)].map((m) => m[1]!);
      expect(
        literals.filter((l) => known.has(l)),
        file,
      ).toEqual([]);
    }
  });
});
