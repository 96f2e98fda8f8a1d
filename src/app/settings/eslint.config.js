// Lint rules for UI extensions, as `hs project lint` runs them (`npx eslint .` in this folder):
// HubSpot's own ui-extensions rules on top of the usual JS/TypeScript/React presets, formatting left to prettier.
import js from '@eslint/js';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';
import prettier from 'eslint-config-prettier';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import unusedImports from 'eslint-plugin-unused-imports';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const unusedName = '^_';

export default defineConfig([
  js.configs.recommended,
  tseslint.configs.recommended,
  tseslint.configs.stylistic,
  react.configs.flat.recommended,
  react.configs.flat['jsx-runtime'],
  { settings: { react: { version: 'detect' } } },
  ...hubspotUiExtensions,
  reactHooks.configs.flat['recommended-latest'],
  {
    plugins: { 'unused-imports': unusedImports },
    rules: {
      // TypeScript types replace prop-types.
      'react/prop-types': 'off',
      // One rule for unused code, which can also remove unused imports with --fix.
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      'unused-imports/no-unused-imports': 'error',
      'unused-imports/no-unused-vars': [
        'warn',
        { vars: 'all', varsIgnorePattern: unusedName, args: 'after-used', argsIgnorePattern: unusedName },
      ],
    },
  },
  prettier,
]);
