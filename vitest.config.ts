import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run without any server; every other tier (activities on real
// PostgreSQL and the catcher, workflows on the dev server, replay, end-to-end through HTTP)
// shares one real PostgreSQL, Temporal dev server and SMTP catcher started once per run by
// the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/activities/**/*.test.ts',
            'test/workflows/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/browser/**/*.test.ts',
          ],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/worker-logs.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
