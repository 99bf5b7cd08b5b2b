import { defineConfig } from '@playwright/test'

/** Electron smoke tests: `npx playwright test -c playwright.electron.config.ts`. They skip, saying why, without a binary. */
export default defineConfig({
  testDir: 'tests/electron',
  // The first test builds the app with electron-vite before launching it.
  timeout: 180_000,
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  outputDir: 'test-results/electron'
})
