// The one lint config for the TypeScript outside the UI extensions: core, functions, simulators,
// sandbox, service, runner, scripts, bench and tests. `npm run lint` runs it (docs/architecture.md, "Rules").
// Cards and settings keep HubSpot's own config for `hs project lint` (src/app/{cards,settings}/eslint.config.js);
// this file only checks their boundary (they import no core). Formatting is prettier's (`npm run format:check`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];
const UI_EXTENSIONS = ['src/app/cards/**/*.{ts,tsx}', 'src/app/settings/**/*.{ts,tsx}', 'src/app/pages/**/*.{ts,tsx}'];

/** `no-restricted-imports` patterns: a folder may not import these (relative paths, any depth). */
const layer = (message, ...folders) => ({ group: folders.flatMap((f) => [`**/${f}`, `**/${f}/**`]), message });

/**
 * `connector/mapper-imports-no-use-case`: a use-case is a module that takes the clients (`Deps`, from
 * core/deps.ts); a mapper may import its types but no value from it. Pure helpers beside the use-cases
 * (customer/fields.ts, customer/checks.ts, ...) stay importable.
 */
const usesDeps = new Map();
function isUseCase(file) {
  if (!usesDeps.has(file)) usesDeps.set(file, existsSync(file) && /from '(\.\.?\/)+deps\.js'/.test(readFileSync(file, 'utf8')));
  return usesDeps.get(file);
}
const connector = {
  rules: {
    'mapper-imports-no-use-case': {
      meta: {
        type: 'problem',
        schema: [],
        messages: { useCase: '{{name}} is a use-case (it takes Deps): mappers are pure toX functions and import no use-case.' },
      },
      create(context) {
        return {
          ImportDeclaration(node) {
            const name = node.source.value;
            if (!name.startsWith('.') || node.importKind === 'type') return;
            if (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')) return;
            const target = path.resolve(path.dirname(context.filename), name).replace(/\.js$/, '.ts');
            if (isUseCase(target)) context.report({ node, messageId: 'useCase', data: { name } });
          },
        };
      },
    },
  },
};

const CORE_EDGES = layer(
  'src/core imports no edge: functions, simulators, sandbox, service or runner depend on core, never the reverse.',
  'functions',
  'simulators',
  'sandbox',
  'service',
  'runner',
  'app',
);
/** Only src/core/{billwerk,hubspot}/client.ts talk to the outside world. */
const IO_PACKAGES = [
  'axios',
  '@hubspot/api-client',
  ...['http', 'https', 'net', 'fs', 'fs/promises', 'child_process'].flatMap((name) => [name, `node:${name}`]),
].map((name) => ({
  name,
  message: 'Only the two clients (src/core/billwerk/client.ts, src/core/hubspot/client.ts) do I/O; use-cases receive them as Deps.',
}));

export default defineConfig([
  globalIgnores([
    '**/node_modules/**',
    '**/dist/**',
    'coverage/**',
    'test-results/**',
    // Deliberately bad code that test/lint/rules.test.ts proves each rule on.
    'test/lint/fixtures/**',
  ]),

  {
    files: TS,
    ignores: UI_EXTENSIONS,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // Our imports name the emitted `.js`; the resolver finds the `.ts`/`.tsx` beside it.
      'import-x/resolver-next': [
        createNodeResolver({ extensionAlias: { '.js': ['.ts', '.tsx', '.js'] }, extensions: ['.ts', '.tsx', '.js'] }),
      ],
    },
    rules: {
      // Bugs: a promise nobody awaits loses its error; a promise where a boolean/void is expected always passes.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // `React` stays imported in .tsx files written for the classic JSX runtime.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|React$)', caughtErrors: 'none' }],
      'no-fallthrough': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',

      // `any` flows in from JSON.parse, msw and test doubles on purpose; tsc's strict mode covers the rest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Sanitisers strip control characters on purpose (mappings, log redaction).
      'no-control-regex': 'off',
      // Style, not bugs.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },

  // Tests: vitest's `expect(...).rejects` and async `it` callbacks are fine, and test doubles may be empty.
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // Boundaries (docs/architecture.md): the core is plain TypeScript that knows nothing of its edges.
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: IO_PACKAGES, patterns: [CORE_EDGES] }],
      // The edge passes configuration in (readConfig, the logger's level); the core never reads the environment.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'src/core reads no process.env: take the value as a parameter from the edge.' },
      ],
    },
  },
  // The two clients are the core's only I/O.
  {
    files: ['src/core/billwerk/client.ts', 'src/core/hubspot/client.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CORE_EDGES] }] },
  },
  {
    files: ['src/core/mappers/**'],
    plugins: { connector },
    rules: {
      'connector/mapper-imports-no-use-case': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: IO_PACKAGES,
          patterns: [
            CORE_EDGES,
            layer(
              'Mappers do no I/O: import types from the clients’ api.ts/schemas.ts, not their client.ts.',
              'billwerk/client',
              'billwerk/client.js',
              'hubspot/client',
              'hubspot/client.js',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/simulators/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'Simulators are the fake outside world: they import no functions, sandbox or service.',
              'functions',
              'sandbox',
              'service',
              'runner',
            ),
          ],
        },
      ],
    },
  },
  {
    files: UI_EXTENSIONS,
    ignores: ['**/node_modules/**'],
    languageOptions: { parser: tseslint.parser },
    // Registered (rules stay off: HubSpot's config runs them) so their eslint-disable comments resolve.
    plugins: { 'react-hooks': reactHooks },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'Cards and settings are built by HubSpot on their own: they import nothing outside src/app (no core, functions, simulators or sandbox).',
              'core',
              'functions',
              'simulators',
              'sandbox',
              'service',
              'runner',
            ),
          ],
        },
      ],
    },
  },

  prettier,
]);
