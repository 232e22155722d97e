import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'integrations/**/*.test.ts'],
    testTimeout: 30_000,
    // a PostgreSQL set-up (schema + migrations) may wait behind the other file's browser and server start-ups
    hookTimeout: 180_000,
    pool: 'forks',
    // most suites wait on servers, child processes, browsers and databases: two files at a time even on two cores
    maxWorkers: 2,
  },
});
