/**
 * `npm run lint` must fail on an import cycle, a boundary violation, a typed-lint error and a
 * formatting error anywhere in the tree. This lints deliberately bad files (test/lint/fixtures/,
 * laid out like the repository) with the repository's own eslint.config.js and prettier config,
 * and checks that each rule fires where it should and nowhere else.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/lint/fixtures');

/** `file -> ruleIds` of the errors ESLint reports for the fixtures folder. */
let errors: Record<string, string[]>;

beforeAll(async () => {
  // cwd = fixtures, so the config's folder patterns (src/core/**, ...) match the fixtures' layout.
  const eslint = new ESLint({ cwd: fixtures, overrideConfigFile: path.join(root, 'eslint.config.js') });
  const results = await eslint.lintFiles(['.']);
  errors = Object.fromEntries(
    results.map((result) => [
      path.relative(fixtures, result.filePath),
      result.messages.filter((message) => message.severity === 2).map((message) => message.ruleId ?? message.message),
    ]),
  );
}, 120_000);

describe('eslint.config.js', () => {
  it('finds an import cycle', () => {
    expect(errors['src/core/cycle/first.ts']).toEqual(['import-x/no-cycle']);
    expect(errors['src/core/cycle/second.ts']).toEqual(['import-x/no-cycle']);
  });

  it('stops the core from importing simulators (or any edge)', () => {
    expect(errors['src/core/readsSimulator.ts']).toEqual(['no-restricted-imports']);
  });

  it('stops the core from reading process.env and from doing I/O outside the two clients', () => {
    expect(errors['src/core/readsEnv.ts']).toEqual(['no-restricted-properties']);
    expect(errors['src/core/doesIo.ts']).toEqual(['no-restricted-imports']);
  });

  it('stops mappers from importing use-cases (modules that take Deps), but not their types or pure helpers', () => {
    expect(errors['src/core/mappers/toThing.ts']).toEqual(['connector/mapper-imports-no-use-case']);
    expect(errors['src/core/mappers/toLabel.ts']).toEqual([]);
  });

  it('stops cards from importing the core', () => {
    expect(errors['src/app/cards/ImportsCore.tsx']).toEqual(['no-restricted-imports']);
  });

  it('finds a floating promise and a switch that misses a case (rules that need type information)', () => {
    expect(errors['src/core/floatingPromise.ts']).toEqual([
      '@typescript-eslint/no-floating-promises',
      '@typescript-eslint/switch-exhaustiveness-check',
    ]);
  });

  it('leaves allowed imports alone', () => {
    expect(errors['src/core/deal/applyThing.ts']).toEqual([]);
    expect(errors['src/core/deal/fields.ts']).toEqual([]);
    expect(errors['src/simulators/fakeApi.ts']).toEqual([]);
  });

  it('does not lint the fixtures in the real run', async () => {
    const eslint = new ESLint({ cwd: root });
    expect(await eslint.isPathIgnored(path.join(fixtures, 'src/core/floatingPromise.ts'))).toBe(true);
    expect(await eslint.isPathIgnored(path.join(root, 'src/core/catalog.ts'))).toBe(false);
  });
});

describe('prettier config', () => {
  it('rejects a badly formatted file and accepts it once formatted', async () => {
    const file = path.join(fixtures, 'badlyFormatted.ts');
    const source = await readFile(file, 'utf8');
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    expect(options).toMatchObject({ singleQuote: true, printWidth: 140 });
    expect(await prettier.check(source, options)).toBe(false);
    expect(await prettier.check(await prettier.format(source, options), options)).toBe(true);
  });

  it('checks the tree but not the fixtures', async () => {
    const ignorePath = path.join(root, '.prettierignore');
    expect((await prettier.getFileInfo(path.join(fixtures, 'badlyFormatted.ts'), { ignorePath })).ignored).toBe(true);
    expect((await prettier.getFileInfo(path.join(root, 'src/core/catalog.ts'), { ignorePath })).ignored).toBe(false);
  });
});

describe('npm run lint', () => {
  it('runs eslint and the prettier check', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.lint).toBe('tsx scripts/lint.ts');
    const script = await readFile(path.join(root, 'scripts/lint.ts'), 'utf8');
    expect(script).toContain("bin('eslint'), '.'");
    expect(script).toContain("bin('prettier'), '--check'");
  });
});
