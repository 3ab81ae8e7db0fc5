// ESLint for the whole package: TypeScript (typescript-eslint), Vue single-file components
// (eslint-plugin-vue), and no formatting rules (Prettier formats; eslint-config-prettier turns
// ESLint's off). The layering is checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-installers/**',
      'build/**',
      'artifacts/**',
      'vendor/**',
      'test-results/**',
      'playwright-report/**',
      'node_modules/**',
      'resources/**',
      'data/**',
      '.ci/node/**',
      'renderer/src/styles/ui-font/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Unused names are dead code; a leading underscore marks one kept on purpose (a callback's position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Japanese text legitimately holds full-width spaces (U+3000) in strings, patterns and comments.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipComments: true, skipRegExps: true, skipTemplates: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests, benches and scripts talk to the terminal, and tests read answers as `any` JSON.
    files: ['test/**', 'bench/**', 'scripts/**', '.ci/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
