import { defineConfig } from 'vitest/config'

// Engine and command-line tests run in Node: they need no DOM.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Lessons are fetched by address (src/app/lesson-sources.ts): served from disk here.
    setupFiles: ['src/test/fetch-sources.ts'],
    testTimeout: 20000,
  },
})
