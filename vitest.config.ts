import { defineConfig } from 'vitest/config'

// Engine and command-line tests run in Node: they need no DOM.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
  },
})
