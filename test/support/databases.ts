import pg from 'pg';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config/index.js';

export const PG_URL = process.env.LIFELINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cases are skipped, or null when it is reachable. In CI an unreachable server is a failure. */
export const postgresUnavailable: string | null = await probePostgres();
if (postgresUnavailable) {
  if (process.env.CI) throw new Error(`PostgreSQL at ${PG_URL} is required in CI: ${postgresUnavailable}`);
  console.warn(`[skip] PostgreSQL cases skipped: ${PG_URL} unreachable (${postgresUnavailable})`);
}

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/**
 * A fresh, empty database of the dialect, stored as production stores it: an SQLite file in a new folder (so
 * the intake journal is the file journal with its threads, as on a server) or a new PostgreSQL schema.
 */
export async function freshDatabase(dialect: DialectName): Promise<{ db: Config['db']; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-test-db-'));
    return { db: { kind: 'sqlite', file: path.join(dir, 'lifeline.sqlite') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const sep = PG_URL.includes('?') ? '&' : '?';
  return {
    db: { kind: 'postgres', url: `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
