import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// The engine (src/model, src/sim) is pure: it never touches React, the DOM or the UI,
// so it runs the same in the Web Worker, in Vitest and on the command line.
const pureLayerRestrictions = {
  patterns: [
    {
      group: ['react', 'react-dom', 'react-dom/*', 'react/*'],
      message: 'model/sim never import React.',
    },
    {
      group: ['@xyflow/*', 'zustand', 'zustand/*', 'd3', 'd3-*', 'i18next', 'react-i18next'],
      message: 'model/sim never import UI libraries.',
    },
    {
      group: ['**/ui/**', '**/app/**'],
      message: 'Dependencies point inward: model/sim never import ui or app.',
    },
  ],
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/model/**/*.ts', 'src/sim/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': ['error', pureLayerRestrictions],
      // No DOM, no hidden nondeterminism in the engine.
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'model/sim never touch the DOM.' },
        { name: 'document', message: 'model/sim never touch the DOM.' },
        { name: 'navigator', message: 'model/sim never touch the DOM.' },
        { name: 'requestAnimationFrame', message: 'The engine is a pure function.' },
        { name: 'setTimeout', message: 'The engine is a pure function.' },
        { name: 'setInterval', message: 'The engine is a pure function.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded generator in the context.' },
        { object: 'Date', property: 'now', message: 'The engine never reads the clock.' },
      ],
    },
  },
  {
    // worker.ts is the one sim file that touches `self`.
    files: ['src/sim/worker.ts'],
    languageOptions: { globals: { ...globals.worker } },
  },
)
