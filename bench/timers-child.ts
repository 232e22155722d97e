// Measures firing lateness of N pending obligation timers, due spread over a window, and peak RSS.
// Mode "bare": plain setTimeout per timer. Mode "lifeline": rows in SQLite fired by the platform's scheduler.
import path from 'node:path';
import { createLogger } from '../src/log/logger.js';
import { composeLifeline, type Lifeline } from '../src/app/compose.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { systemClock } from '../src/shared/clock.js';
import { pendingObligation } from '../src/obligations/rows.js';
import { IncidentWork } from '../src/incidents/work.js';
import type { IncidentsTable, ObligationsTable } from '../src/storage/index.js';

const mode = process.argv[2];
const count = Number(process.argv[3] ?? 100_000);
const windowMs = Number(process.argv[4] ?? 10_000);
const leadMs = 3000;
const firing = Number(process.env.BENCH_FIRING ?? 5000);
const HOUR = 3_600_000;
/** Of `count` pending timers, `firing` fall due inside the window (spread evenly); the rest hours later. */
const dueFor = (i: number, start = Number(process.env.BENCH_START ?? 0)): number =>
  i % Math.round(count / firing) === 0 ? start + Math.floor((i * windowMs) / count) : start + windowMs + HOUR + ((i * 7919) % count) * 1000;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function bare(): Promise<number[]> {
  const start = Date.now() + leadMs;
  const lateness: number[] = [];
  await new Promise<void>((resolve) => {
    let left = 0;
    const handles: NodeJS.Timeout[] = [];
    for (let i = 0; i < count; i++) {
      const due = dueFor(i, start);
      const fires = due < start + windowMs;
      if (fires) left++;
      handles.push(
        setTimeout(() => {
          lateness.push(Date.now() - due);
          if (--left === 0) {
            handles.forEach(clearTimeout);
            resolve();
          }
        }, due - Date.now()),
      );
    }
  });
  return lateness;
}

async function lifeline(dir: string, setupOnly: boolean): Promise<number[]> {
  const plan = loadDefaultPlan();
  const config = {
    server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1' },
    db: { kind: 'sqlite' as const, file: path.join(dir, 'bench.sqlite') },
    dataDir: dir,
    plan: {},
    log: { level: 'silent' as const },
    timezone: 'Asia/Shanghai',
    clockOffsetMs: 0,
  };
  const p = await composeLifeline({ config, plan, clock: systemClock, log: createLogger('silent'), mode: 'server' });
  const perIncident = 10;
  const start = Number(process.env.BENCH_START ?? 0);
  if (!setupOnly) return runTimers(p, start);
  const incidents: IncidentsTable[] = [];
  const obligations: ObligationsTable[] = [];
  for (let n = 0; n < count / perIncident; n++) {
    const w = IncidentWork.create(plan, { title: `bench ${n}`, at: Date.now(), scope: 'department' });
    incidents.push({ ...w.row });
    for (let k = 0; k < perIncident; k++) {
      const i = n * perIncident + k;
      obligations.push(pendingObligation({ id: 'O3.2', actor: 'tech_oncall' }, { incidentId: w.row.id, triggerAt: Date.now(), anchorAt: Date.now(), dueAt: dueFor(i), sequence: 0 }));
    }
  }
  await p.db.transaction().execute(async (trx) => {
    for (let i = 0; i < incidents.length; i += 500)
      await trx
        .insertInto('incidents')
        .values(incidents.slice(i, i + 500))
        .execute();
    for (let i = 0; i < obligations.length; i += 500)
      await trx
        .insertInto('obligations')
        .values(obligations.slice(i, i + 500))
        .execute();
  });
  await p.stop();
  return [];
}

async function runTimers(p: Lifeline, start: number): Promise<number[]> {
  await p.start();
  const deadline = start + windowMs;
  await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 200));
  for (;;) {
    const left = await p.db
      .selectFrom('obligations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'pending')
      .where('due_at', '<', deadline)
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const pending = await p.db
    .selectFrom('obligations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  console.error(`still pending after the window: ${pending.n}`);
  const rows = await p.db.selectFrom('obligations').select('late_ms').where('state', '=', 'breached').execute();
  await p.stop();
  return rows.map((r) => Number(r.late_ms));
}

const lateness = (mode === 'bare' ? await bare() : await lifeline(process.argv[5], mode === 'setup')).sort((a, b) => a - b);
if (mode === 'setup') process.exit(0);
clearInterval(sampler);
console.log(JSON.stringify({ mode, count, fired: lateness.length, p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: lateness.at(-1), peakRssMb: Math.round(peakRss / 1048576) }));
