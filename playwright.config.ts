import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

// Playwright cannot download its own browser on every machine; Debian's Chromium is used
// where it is installed, Playwright's bundled one elsewhere.
const SYSTEM_CHROMIUM = '/usr/bin/chromium'
// PW_PORT lets several checkouts on one machine test their own build side by side.
const PORT = Number(process.env.PW_PORT ?? 4173)

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  // A wait, never a sample: on a loaded machine (two cores, other builds) a lesson and its graph
  // take several seconds to appear, and a busy machine must not fail a test. What moves in time
  // is driven by the page's fake clock instead (e2e/graph.spec.ts).
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npm run build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    // A production build on two cores, then the preview server.
    timeout: 180_000,
  },
})
