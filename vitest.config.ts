/**
 * Test projects, run one group after the other so that heavy tests never
 * compete for the 2 cores of a typical machine:
 *   unit         pure logic, fakes allowed, quick
 *   integration  real mediasoup worker, ffmpeg and S3 (RGW)
 *   browser      Chromium against the real service, one file at a time
 * Integration and browser tests share one RGW (test/helpers/s3-global-setup.ts),
 * which is started only when one of those projects has a file to run.
 */
import { defineConfig } from 'vitest/config';

const S3_GLOBAL_SETUP = './test/helpers/s3-global-setup.ts';

export default defineConfig({
  test: {
    // Leftover resources must not hold the run open after the last test.
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/browser/**'],
          sequence: { groupOrder: 1 },
          globalSetup: [S3_GLOBAL_SETUP],
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          globalSetup: [S3_GLOBAL_SETUP],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
