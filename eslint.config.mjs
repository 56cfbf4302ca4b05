// ESLint flat config (issue 14 item 1): the recommended rules of @eslint/js and typescript-eslint,
// without type information (fast on 2 cores; the type checker is `npm run typecheck`). Import
// boundaries between feature folders are dependency-cruiser's job (.dependency-cruiser.cjs), run by
// `npm run lint` after ESLint. Formatting is Prettier's: no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'content/**',
      'data/**',
      'coverage/**',
      'test/browser/screenshots/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding kept on purpose: `for (const _ of s)`, a body
      // validated by its DTO but not read (`@Body() _dto`), `{ label: _label, ...rest }`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `any` is an error: the code has none outside three commented escapes (a JSON shape in a
      // test, autocannon's untyped options); use `unknown` and narrow, or say why on the line.
      '@typescript-eslint/no-explicit-any': 'error',
      // Regexes over YAML and indented text read best with the literal spaces they match.
      'no-regex-spaces': 'off',
    },
  },
  {
    // Node scripts in CommonJS (test/support/ensure-chromium.js runs before any install step).
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['views/assets/**'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // Progressive-enhancement scripts served to browsers as they are (ES5, no build step).
    files: ['views/assets/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 5,
      sourceType: 'script',
      // ES5 syntax, but Promise and fetch exist in every browser that runs a service worker.
      globals: { ...globals.es2015, ...globals.browser, ...globals.serviceworker },
    },
  },
);
