import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_DIR as specsDir, SPECS_FOUND } from '../openapi/openapi.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Every OAuth scope HubSpot's own OpenAPI specs name in their `security` requirements. */
async function scopesInSpecs(): Promise<Set<string>> {
  const scopes = new Set<string>();
  for (const file of (await readdir(specsDir)).filter((f) => f.endsWith('.json'))) {
    const text = await readFile(path.join(specsDir, file), 'utf8');
    for (const match of text.matchAll(/"oauth2"\s*:\s*\[([^\]]*)\]/g)) {
      for (const scope of match[1]!.matchAll(/"([^"]+)"/g)) scopes.add(scope[1]!);
    }
  }
  return scopes;
}

describe.skipIf(!SPECS_FOUND)('app-hsmeta.json scopes', () => {
  it('are scope names HubSpot’s CRM API specs actually use (a typo would fail the install)', async () => {
    const app = JSON.parse(await readFile(path.join(root, 'src/app/app-hsmeta.json'), 'utf8')) as {
      config: { auth: { requiredScopes: string[]; optionalScopes: string[]; conditionallyRequiredScopes: string[] } };
    };
    const { requiredScopes, optionalScopes, conditionallyRequiredScopes } = app.config.auth;
    const known = await scopesInSpecs();
    expect(known.size).toBeGreaterThan(20);
    const unknown = [...requiredScopes, ...optionalScopes, ...conditionallyRequiredScopes].filter((s) => !known.has(s));
    expect(unknown).toEqual([]);
  });
});
