/** `npm run deploy -- --mode service`: the uploaded variant has no app functions and calls the service. */
import { mkdtemp, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_DOORS, buildServiceVariant, USERS_SCOPE } from '../../scripts/deploy.js';
import { checkProject } from '../project/projectCheck.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the project's HubSpot files with a profile of our own (the repo has no real profile). */
async function projectWithProfile(variables: Record<string, unknown>, where: 'src' | 'root' = 'src'): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'connector-project-'));
  dirs.push(root);
  await cp(path.join(ROOT, 'hsproject.json'), path.join(root, 'hsproject.json'));
  await cp(path.join(ROOT, 'src', 'app'), path.join(root, 'src', 'app'), { recursive: true, filter: (f) => !f.includes('node_modules') });
  await writeFile(path.join(root, ...(where === 'src' ? ['src'] : []), 'hsprofile.pro.json'), JSON.stringify({ accountId: 1, variables }));
  return root;
}

describe('the service-mode variant', () => {
  it('has no app functions, lists the service in permittedUrls.fetch, asks for the users scope and calls the service', async () => {
    const root = await projectWithProfile({
      CONNECTOR_SERVICE_URL: 'https://billwerk.example.com/',
      HUBSPOT_WEBHOOK_TARGET_URL: 'https://billwerk.example.com/hubspot-events',
    });
    const variant = await buildServiceVariant({ root, profile: 'pro' });
    dirs.push(variant.dir);

    expect(variant.serviceUrl).toBe('https://billwerk.example.com');
    expect(await readdir(path.join(variant.dir, 'src', 'app'))).not.toContain('functions');
    const app = JSON.parse(await readFile(path.join(variant.dir, 'src/app/app-hsmeta.json'), 'utf8'));
    expect(app.config.permittedUrls.fetch).toEqual(['https://billwerk.example.com']);
    expect(app.config.auth.requiredScopes).toContain(USERS_SCOPE);
    for (const door of BACKEND_DOORS) {
      expect(await readFile(path.join(variant.dir, 'src', door), 'utf8')).toContain(
        'const __CONNECTOR_SERVICE_URL__: string | undefined = "https://billwerk.example.com";',
      );
    }

    const check = await checkProject(variant.dir);
    expect(check.problems).toEqual([]);
    const types = Object.values(check.components);
    expect(types).toEqual(expect.arrayContaining(['APPLICATION', 'CARD', 'SETTINGS']));
    expect(types.filter((t) => /FUNCTION/i.test(t))).toEqual([]);
  });

  it.each([
    ['missing', {}],
    ['not https', { CONNECTOR_SERVICE_URL: 'http://billwerk.example.com' }],
    ['localhost', { CONNECTOR_SERVICE_URL: 'https://localhost:8080' }],
  ])('refuses a profile whose CONNECTOR_SERVICE_URL is %s', async (_name, variables) => {
    const root = await projectWithProfile(variables);
    await expect(buildServiceVariant({ root, profile: 'pro', outDir: path.join(root, 'out') })).rejects.toThrow(/CONNECTOR_SERVICE_URL/);
  });

  it('reads a profile kept at the repository root as well', async () => {
    const root = await projectWithProfile({ CONNECTOR_SERVICE_URL: 'https://billwerk.example.com' }, 'root');
    const variant = await buildServiceVariant({ root, profile: 'pro' });
    dirs.push(variant.dir);
    expect(variant.serviceUrl).toBe('https://billwerk.example.com');
  });

  it('leaves the project itself unchanged (hosted mode stays as it is)', async () => {
    const root = await projectWithProfile({ CONNECTOR_SERVICE_URL: 'https://billwerk.example.com' });
    const before = await readFile(path.join(root, 'src/app/app-hsmeta.json'), 'utf8');
    const variant = await buildServiceVariant({ root, profile: 'pro' });
    dirs.push(variant.dir);
    expect(await readFile(path.join(root, 'src/app/app-hsmeta.json'), 'utf8')).toBe(before);
    expect(await readdir(path.join(root, 'src/app'))).toContain('functions');
  });
});
