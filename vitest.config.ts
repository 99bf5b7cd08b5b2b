import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration suites bind real sockets and spawn worker threads; two cores, so keep forks modest.
    pool: 'forks',
    maxWorkers: 2
  }
})
