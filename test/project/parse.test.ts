import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findFunctionEntries } from '../../scripts/build-functions.js';
import { checkProject } from './projectCheck.js';

const root = path.resolve(import.meta.dirname, '../..');
const copies: string[] = [];

/** A copy of the project's HubSpot files in a temp dir, to break without touching the repo. */
async function copyProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hsproject-'));
  copies.push(dir);
  await cp(path.join(root, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  await cp(path.join(root, 'src'), path.join(dir, 'src'), {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)([/\\]|$)/.test(source),
  });
  return dir;
}

afterEach(async () => {
  await Promise.all(copies.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('HubSpot project (offline check with @hubspot/project-parsing-lib)', () => {
  it('parses without errors, every hsmeta file becomes a component, uids are unique, entrypoints exist', async () => {
    const { problems, components } = await checkProject(root);
    expect(problems).toEqual([]);
    expect(Object.values(components)).toContain('APPLICATION');
  });

  it('every app function entrypoint maps to a TypeScript source the build can bundle', async () => {
    const entries = await findFunctionEntries(root);
    const functionMetas = (await readdir(path.join(root, 'src/app/functions'))).filter((f) => f.endsWith('-hsmeta.json'));
    expect(entries.map((e) => path.basename(e.hsmeta)).sort()).toEqual(functionMetas.sort());
  });

  it('fails on an hsmeta file that is not valid JSON (which the parser alone silently skips)', async () => {
    const dir = await copyProject();
    const app = path.join(dir, 'src/app/app-hsmeta.json');
    await writeFile(app, (await readFile(app, 'utf8')).replace('"type"', '"type" "'));

    const { problems } = await checkProject(dir);

    expect(problems.join('\n')).toMatch(/app-hsmeta\.json/);
  });

  it('fails on a duplicate uid and on a card entrypoint that does not exist', async () => {
    const dir = await copyProject();
    const appDir = path.join(dir, 'src/app');
    const app = JSON.parse(await readFile(path.join(appDir, 'app-hsmeta.json'), 'utf8')) as { uid: string };
    await writeFile(
      path.join(appDir, 'cards/broken-card-hsmeta.json'),
      JSON.stringify({
        uid: app.uid,
        type: 'card',
        config: { name: 'Broken', location: 'crm.record.sidebar', entrypoint: '/app/cards/Missing.tsx', objectTypes: ['deals'] },
      }),
    );

    const duplicate = await checkProject(dir);
    expect(duplicate.problems.join('\n')).toMatch(new RegExp(app.uid));

    await writeFile(
      path.join(appDir, 'cards/broken-card-hsmeta.json'),
      JSON.stringify({
        uid: 'broken_card',
        type: 'card',
        config: { name: 'Broken', location: 'crm.record.sidebar', entrypoint: '/app/cards/Missing.tsx', objectTypes: ['deals'] },
      }),
    );
    const missing = await checkProject(dir);
    expect(missing.problems).toEqual([
      expect.stringMatching(/broken-card-hsmeta\.json: entrypoint "\/app\/cards\/Missing\.tsx" does not exist/),
    ]);
  });
});
