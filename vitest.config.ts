import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'integrations/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // one file at a time on a two-core machine: two made PostgreSQL set-ups (schema + migrations) of one file wait past
    // the hook timeout behind the other's browser and server start-ups
  },
});
