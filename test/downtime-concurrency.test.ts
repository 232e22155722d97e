import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/logger.js';
import { composeLifeline, type Lifeline } from '../src/app/compose.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { systemClock } from '../src/shared/clock.js';
import { createBlock } from '../src/downtime/numbers.js';
import { freshDatabase, postgresUnavailable } from './support/databases.js';

/** One issuing process: opens the platform on the shared database, then issues from the block in parallel. */
const WORKER = `
import { createLogger } from './src/log/logger.js';
import { composeLifeline } from './src/app/compose.js';
import { loadDefaultPlan } from './src/plan/load.js';
import { systemClock } from './src/shared/clock.js';
import { issueNumbers } from './src/downtime/numbers.js';
const { DB_URL, BLOCK, START_AT, NAME } = process.env;
const config = { server: { host: '127.0.0.1', port: 0, publicUrl: 'http://x' }, db: { kind: 'postgres', url: DB_URL }, dataDir: '.', plan: {}, log: { level: 'silent' }, timezone: 'Asia/Shanghai', clockOffsetMs: 0 };
const p = await composeLifeline({ config, plan: loadDefaultPlan(), clock: systemClock, log: createLogger('silent'), mode: 'cli' });
const ctx = p.downtime;
await new Promise((r) => setTimeout(r, Math.max(0, Number(START_AT) - Date.now())));
const issued = [];
await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
  for (let k = 0; k < 25; k++) {
    const rows = await issueNumbers(ctx, BLOCK, { count: 1 + ((lane + k) % 3) }, NAME + '-' + lane);
    issued.push(...rows.map((r) => r.number));
  }
}));
await p.stop();
process.stdout.write(JSON.stringify(issued));
`;

function runWorker(env: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

describe.skipIf(Boolean(postgresUnavailable))('downtime numbers issued concurrently by two processes on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let p: Lifeline;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const config = { server: { host: '127.0.0.1', port: 0, publicUrl: 'http://x' }, db: db.db, dataDir: '.', plan: {}, log: { level: 'silent' as const }, timezone: 'Asia/Shanghai', clockOffsetMs: 0 };
    p = await composeLifeline({ config, plan: loadDefaultPlan(), clock: systemClock, log: createLogger('silent'), mode: 'cli' });
  });
  afterAll(async () => {
    await p?.stop();
    await db?.drop();
  });

  it('never issues a number twice', async () => {
    const ctx = p.downtime;
    const block = await createBlock(ctx, { kind: 'mrn', start: 1, end: 2000, department: 'OPD_REG' }, 'admin');
    const env = { DB_URL: (db.db as { url: string }).url, BLOCK: block.id, START_AT: String(Date.now() + 4000) };
    const [a, b] = await Promise.all([runWorker({ ...env, NAME: 'A' }), runWorker({ ...env, NAME: 'B' })]);
    const all = [...a, ...b];
    // each process: 8 lanes × 25 issues of 1–3 numbers
    let perProcess = 0;
    for (let lane = 0; lane < 8; lane++) for (let k = 0; k < 25; k++) perProcess += 1 + ((lane + k) % 3);
    expect(a).toHaveLength(perProcess);
    expect(b).toHaveLength(perProcess);
    expect(new Set(all).size).toBe(all.length);
    const seqs = all.map((n) => Number(n.slice(2))).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 2 * perProcess }, (_, i) => i + 1)); // no gap, no duplicate
    const rows = await ctx.db.selectFrom('downtime_numbers').select(['number', 'issued_by']).execute();
    expect(rows).toHaveLength(2 * perProcess);
    expect(new Set(rows.map((r) => r.issued_by.slice(0, 1)))).toEqual(new Set(['A', 'B'])); // both really issued
    const after = await ctx.db.selectFrom('downtime_number_blocks').select('next_seq').where('id', '=', block.id).executeTakeFirstOrThrow();
    expect(Number(after.next_seq)).toBe(2 * perProcess + 1);
  }, 120_000);
});
