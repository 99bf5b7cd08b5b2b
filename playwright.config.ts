import { defineConfig } from '@playwright/test'

/**
 * Browser tests in web mode: `npm run test:e2e`. Each test starts its own `serve` (a fresh runtime, see
 * tests/e2e/support/fixtures.ts) and drives the UI in Debian's Chromium; `npx playwright install` is not needed.
 * The `package` project runs tests/e2e-package/, written as a user of the package writes them: they import nothing
 * but `session-inspector/playwright` (docs/testing.md).
 */
export default defineConfig({
  projects: [
    { name: 'e2e', testDir: 'tests/e2e' },
    { name: 'package', testDir: 'tests/e2e-package' }
  ],
  globalSetup: './tests/e2e/support/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores: one for the runtime, one for the browser.
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  }
})
