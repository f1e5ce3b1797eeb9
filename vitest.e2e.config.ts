import { defineConfig } from 'vitest/config';

// Browser journeys: separate from `npm test`, which needs no browser. Run with `npm run test:e2e`.
const jsonOutput = process.env.VITEST_JSON_OUTPUT;

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    // Starts the app once for every file (or prints why the suite is skipped).
    globalSetup: ['e2e/support/global-setup.ts'],
    pool: 'forks',
    // One app and one Chromium at a time: the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...(jsonOutput ? { reporters: ['default', 'json'], outputFile: { json: jsonOutput } } : {}),
  },
});
