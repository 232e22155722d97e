// Two or more processes opening a fresh SQLite database at once (an operator runs `lifeline token add` while
// `lifeline start` is still migrating) must not both migrate it: each used to fail now and then with
// `table "signals" already exists`. Real processes: the lock is between them, not inside one event loop.
import { describe, expect, it } from 'vitest';
import { lifeline, tempDir } from './support/server.js';

describe('migrating a fresh SQLite database from several processes at once', () => {
  it('every process succeeds and the database holds what each wrote', async () => {
    for (let round = 0; round < 2; round++) {
      const env = { LIFELINE_DATA_DIR: tempDir('lifeline-migration-race-') };
      const names = ['first', 'second', 'third'].map((n) => `${n}-${round}`);
      const outcomes = await Promise.allSettled(names.map((name) => lifeline(env, ['token', 'add', name, '--role', 'admin'])));
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      const list = await lifeline(env, ['token', 'list']);
      for (const name of names) expect(list).toContain(name);
    }
  }, 120_000);
});
