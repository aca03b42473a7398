import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@cryptotrace/core': src('./packages/core/src/index.ts'),
      '@cryptotrace/adapters': src('./packages/adapters/src/index.ts'),
      '@cryptotrace/fixtures': src('./fixtures/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'fixtures/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // After the summary, one line saying how many tests skipped because ../shared is absent.
    reporters: ['default', './test/support/shared-reporter.ts'],
  },
});
