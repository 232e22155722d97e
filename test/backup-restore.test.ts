import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { composeLifeline, type Lifeline } from '../src/app/compose.js';
import type { Config } from '../src/config/index.js';
import { createBlock, issueNumbers } from '../src/downtime/numbers.js';
import { createLogger } from '../src/log/logger.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { T0, minutes } from './support/platform.js';

const plan = loadDefaultPlan();
const temps: string[] = [];
const tempDir = (name: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `lifeline-${name}-`));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** `lifeline …` in its own process, on the given configuration. */
function cli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lifeline.js', ...args], { env: { ...process.env, LIFELINE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function open(db: Config['db'], dataDir: string, clock = new VirtualClock(T0 + minutes(2))): Promise<Lifeline> {
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1:8080' },
    db,
    dataDir,
    plan: {},
    log: { level: 'silent' },
    timezone: 'Asia/Shanghai',
    clockOffsetMs: 0,
  };
  return composeLifeline({ config, plan, clock, log: createLogger('silent'), mode: 'manual' });
}

/** Every row of the table, every column (whatever columns the table has by now), in a stable order. */
async function rows(p: Lifeline, table: string, orderBy = 'id'): Promise<Record<string, unknown>[]> {
  // biome-ignore lint/suspicious/noExplicitAny: the table name is a parameter of the comparison
  return (p.db as any).selectFrom(table).selectAll().orderBy(orderBy).execute();
}

const red = (system: string, key: string): NormalisedSignal => ({ source: 'zabbix', system, component: 'db', severity: 'red', status: 'firing', summary: `${system} 数据库服务中断`, dedupKey: key });

/** Incidents with pending timers, an acknowledgement on the timeline, and downtime numbers issued from a block. */
async function populate(p: Lifeline): Promise<string> {
  const at = new Date(T0).toISOString();
  await p.signals.append([{ ...red('HIS', 'zbx-his'), at }]);
  await p.signals.append([{ ...red('LIS', 'zbx-lis'), at }]);
  await p.engine.processPending();
  const list = await p.incidents.list({ state: 'all' });
  expect(list.length).toBeGreaterThanOrEqual(2);
  await p.engine.act(list[0].id, { type: 'acknowledge' }, '张工', 'tech_oncall');
  const block = await createBlock(p.downtime, { kind: 'mrn', start: 1, end: 100_000 }, 'admin');
  await issueNumbers(p.downtime, block.id, { count: 5 }, 'admin');
  return block.id;
}

async function snapshot(p: Lifeline) {
  return {
    incidents: await rows(p, 'incidents'),
    obligations: await rows(p, 'obligations'),
    timeline: await rows(p, 'timeline'),
    counters: await rows(p, 'downtime_counters', 'name'),
    numbers: await rows(p, 'downtime_numbers'),
  };
}

/** Issues numbers one at a time until told to stop: a platform writing while the backup runs. */
function writer(p: Lifeline, blockId: string) {
  let stop = false;
  let issued = 0;
  const done = (async () => {
    while (!stop) {
      await issueNumbers(p.downtime, blockId, { count: 1 }, 'writer');
      issued++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      stop = true;
      await done;
      return issued;
    },
  };
}

/** After a restore: everything from before the backup is there and equal, the numbers issued meanwhile form an unbroken run, and the counter continues. */
async function expectRestored(p: Lifeline, before: Awaited<ReturnType<typeof snapshot>>, blockId: string) {
  const after = await snapshot(p);
  expect(after.incidents).toEqual(before.incidents);
  expect(after.obligations).toEqual(before.obligations);
  expect(after.timeline).toEqual(before.timeline);
  expect(after.counters).toEqual(before.counters);
  const pending = after.obligations.filter((o) => o.state === 'pending');
  expect(pending.length).toBeGreaterThan(0);
  for (const o of pending) expect(Number(o.due_at)).toBeGreaterThan(T0); // the timers, with their due times
  // the numbers issued before the backup, and a consistent run of those issued during it
  const numbers = after.numbers.filter((n) => n.block_id === blockId);
  for (const n of before.numbers) expect(after.numbers).toContainEqual(n);
  const seqs = numbers.map((n) => Number(n.seq)).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  const block = await p.db.selectFrom('downtime_number_blocks').selectAll().where('id', '=', blockId).executeTakeFirstOrThrow();
  expect(Number(block.next_seq)).toBe(seqs.length + 1);
  // the next number continues the counter: none is issued twice
  const [next] = await issueNumbers(p.downtime, blockId, { count: 1 }, 'after-restore');
  expect(next!.seq).toBe(seqs.length + 1);
  expect(numbers.map((n) => n.number)).not.toContain(next!.number);
  return seqs.length;
}

describe('lifeline backup and restore on SQLite', () => {
  it('backs up while the platform writes, restores into a fresh data dir with everything equal, refuses tampered backups, running servers and occupied data dirs', async () => {
    const source = tempDir('backup-src');
    fs.writeFileSync(path.join(source, 'secret'), 'a-secret-of-this-hospital-0123456789\n', { mode: 0o600 });
    fs.writeFileSync(path.join(source, 'notify.yaml'), 'channels: []\n');
    const db: Config['db'] = { kind: 'sqlite', file: path.join(source, 'lifeline.sqlite') };
    const p = await open(db, source);
    const blockId = await populate(p);
    const before = await snapshot(p);
    const journalBefore = Number((new SQLite(path.join(source, 'lifeline.intake.sqlite'), { readonly: true }).prepare('select count(*) as n from signal_batches').get() as { n: number }).n);
    expect(journalBefore).toBe(2);

    const backupDir = path.join(tempDir('backup-out'), 'b1');
    const port = String(await freePort());
    const w = writer(p, blockId);
    await new Promise((r) => setTimeout(r, 50));
    const b = await cli(['backup', backupDir], { LIFELINE_DATA_DIR: source, LIFELINE_PORT: port });
    const duringBackup = await w.stop();
    await p.stop();
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(duringBackup).toBeGreaterThan(0);
    expect(b.stdout).toContain(`backup written to ${backupDir}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'lifeline-backup', database: 'sqlite', lifelineVersion: expect.any(String) });
    expect(manifest.migrations).toContain('001_core');
    expect(manifest.files.map((f: { name: string; role: string }) => [f.name, f.role]).sort()).toEqual([
      ['lifeline.intake.sqlite', 'journal'],
      ['lifeline.sqlite', 'database'],
      ['notify.yaml', 'config'],
      ['secret', 'secret'],
    ]);
    expect(manifest.rows['lifeline.sqlite']).toMatchObject({ incidents: before.incidents.length, obligations: before.obligations.length, timeline: before.timeline.length });
    expect(manifest.rows['lifeline.intake.sqlite']).toEqual({ signal_batches: 2 });

    // restore into a fresh data dir
    const target = path.join(tempDir('restore'), 'data');
    const r = await cli(['restore', backupDir], { LIFELINE_DATA_DIR: target, LIFELINE_PORT: port });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('every file matched its sha256');
    expect(fs.readFileSync(path.join(target, 'secret'), 'utf8')).toBe('a-secret-of-this-hospital-0123456789\n');
    expect(fs.statSync(path.join(target, 'secret')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(target, 'notify.yaml'), 'utf8')).toBe('channels: []\n');
    const restoredDb: Config['db'] = { kind: 'sqlite', file: path.join(target, 'lifeline.sqlite') };
    const q = await open(restoredDb, target);
    try {
      const run = await expectRestored(q, before, blockId);
      expect(run).toBeGreaterThanOrEqual(before.numbers.length);
      expect(await q.signals.open()).toBe(2); // the intake journal came back too

      // a running platform on the data dir: refused, nothing touched
      const busy = await cli(['restore', backupDir, '--force'], { LIFELINE_DATA_DIR: target, LIFELINE_PORT: port });
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/lifeline\.sqlite: in use by a running Lifeline/);
    } finally {
      await q.stop();
    }
    expect(fs.readdirSync(target).filter((n) => n.startsWith('pre-restore-'))).toEqual([]);

    // an occupied data dir needs --force; the replaced files are kept
    const occupied = await cli(['restore', backupDir], { LIFELINE_DATA_DIR: target, LIFELINE_PORT: port });
    expect(occupied.status).toBe(1);
    expect(occupied.stderr).toContain(`${target}: the data dir is not empty`);
    const forced = await cli(['restore', backupDir, '--force'], { LIFELINE_DATA_DIR: target, LIFELINE_PORT: port });
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    const kept = fs.readdirSync(target).filter((n) => n.startsWith('pre-restore-'));
    expect(kept).toHaveLength(1);
    expect(fs.readdirSync(path.join(target, kept[0]!))).toEqual(expect.arrayContaining(['lifeline.sqlite', 'lifeline.intake.sqlite', 'secret']));
    const q2 = await open(restoredDb, target);
    try {
      expect(await snapshot(q2).then((s) => s.incidents)).toEqual(before.incidents);
    } finally {
      await q2.stop();
    }

    // a tampered backup: one byte of the database changed, same size
    const tampered = path.join(tempDir('tampered'), 'b');
    fs.cpSync(backupDir, tampered, { recursive: true });
    const file = path.join(tampered, 'lifeline.sqlite');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const fresh = path.join(tempDir('restore-tampered'), 'data');
    const t = await cli(['restore', tampered], { LIFELINE_DATA_DIR: fresh, LIFELINE_PORT: port });
    expect(t.status).toBe(1);
    expect(t.stderr).toContain(`${file}: sha256`);
    expect(t.stderr).toContain('does not match the manifest');
    expect(fs.existsSync(path.join(fresh, 'lifeline.sqlite'))).toBe(false);
    // a backup without its manifest (unfinished) is refused too
    fs.rmSync(path.join(tampered, 'manifest.json'));
    const unfinished = await cli(['restore', tampered], { LIFELINE_DATA_DIR: fresh, LIFELINE_PORT: port });
    expect(unfinished.status).toBe(1);
    expect(unfinished.stderr).toContain('manifest.json: missing');
  }, 300_000);
});
