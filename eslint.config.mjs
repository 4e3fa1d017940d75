import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.mjs';

export default tseslint.config(
  { ignores: ['node_modules/**', 'hubspot-project/**', 'dist/**', 'coverage/**', '.local-crm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The direction of the layers (docs/architecture.md); part of `npm test` through `npm run lint`.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.mjs'],
    ignores: ['test/fixtures/**'],
    plugins: { layers },
    rules: { 'layers/direction': 'error' },
  },
);
