import { defineConfig } from 'vitest/config';

/**
 * The timing-only tests: they print what they measure and assert nothing about speed, so they run in
 * `npm run bench` (run-benchmarks.js, row `timings`), never in `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
