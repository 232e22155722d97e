// Drill runs on the live engine: drill incidents are marked and kept apart from real ones, deadlines scale with the
// time factor, pause/end/restart behave, and nothing about a drill reaches patients, regulators or the figures.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeLifeline } from '../src/app/compose.js';
import { createLogger } from '../src/log/logger.js';
import { parseNotifyConfig } from '../src/notify/index.js';
import { importRoster } from '../src/people/importer.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import { advanceTo } from '../src/simulate/run.js';
import { freshDatabase } from './support/databases.js';
import { minutes, T0, testPlatform, type TestPlatform } from './support/platform.js';

const HIS_DRILL = fs.readFileSync('scenarios/drills/his-database-down.yaml', 'utf8');
const MI_DRILL = `name: 演练：医保结算中断
start: 2026-03-02T09:00:00+08:00
steps:
  - at: 0m
    signal: {source: zabbix, system: MI_SETTLEMENT, severity: red, status: firing, summary: 演练：医保结算不可用}
  - at: 30m
    impact: {system: MI_SETTLEMENT, scope: hospital_wide}
  - at: 60m
    expect: {level: L2}
`;
const iso = (ms: number) => new Date(ms).toISOString();

describe('drill runs on the live engine', () => {
  let p: TestPlatform;
  let hook: http.Server;
  const received: { subject: string; short: string }[] = [];
  const step = async (ms: number) => {
    await p.advance(ms);
    await p.drills.tick();
  };

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const notify = parseNotifyConfig({
      channels: { hook: { kind: 'webhook', config: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}` } } },
      routing: { default: ['hook'] },
      concurrency: 1,
    });
    p = await testPlatform('sqlite', undefined, { notify, secret: 'drills-core-secret-0123456789' });
    const roster = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
    expect(await importRoster(p.db, p.paging.people.store, p.plan, roster, { filename: 'roster.xlsx' })).toMatchObject({ applied: true });
  }, 120_000);
  afterAll(async () => {
    await p?.dispose();
    await new Promise((r) => hook?.close(r));
  });

  it('a drill signal opens a marked drill incident; a real red alarm mid-drill opens its own, graded and paged first', async () => {
    const run = await p.drills.startRun({ scenarioYaml: HIS_DRILL, organiser: '李主任' });
    expect(run).toMatchObject({ state: 'running', nextStep: 1, timeFactor: 1 });
    expect(run.incidents).toHaveLength(1);
    const drill = await p.incidents.get(run.incidents[0].id);
    expect(drill.drill).toEqual({ runId: run.id, timeFactor: 1 });
    expect(drill.timeline.map((t) => t.kind)).toContain('drill.started');
    // a real alarm on the same system: its own incident, not the drill's
    await p.signals.append([{ source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', at: iso(p.clock.now()) }]);
    await p.engine.processPending();
    const all = await p.incidents.list({ state: 'open' });
    expect(all).toHaveLength(2);
    const real = all.find((i) => i.drill === null)!;
    expect(all[0].id).toBe(real.id); // real incidents first on every list
    expect(real).toMatchObject({ level: 'L2', provisional: true });
    expect(real.id).not.toBe(drill.id);
    // paging (started now, with both incidents' pages queued): the real pages go out before the drill's, which carry the plan's prefix
    await p.paging.start();
    await p.paging.worker.runDue();
    await p.paging.worker.idle();
    expect(received.length).toBeGreaterThan(1);
    const firstDrill = received.findIndex((m) => m.subject.startsWith('【演练】'));
    const lastReal = received.length - 1 - [...received].reverse().findIndex((m: { subject: string }) => !m.subject.startsWith('【演练】'));
    expect(firstDrill).toBeGreaterThan(-1);
    expect(lastReal).toBeLessThan(firstDrill);
    expect(received[firstDrill].short).toMatch(/^【演练】.*本条为应急演练消息/);
    await p.engine.act(real.id, { type: 'close', reason: 'test done' }, 'commander', 'commander');
    await p.drills.endRun(run.id, '李主任');
  }, 120_000);

  it('pause shifts the remaining steps; end closes the drill incidents and emits drill.ended', async () => {
    const events: string[] = [];
    const off = p.bus.subscribe((e) => e.type === 'drill.ended' && e.runId && events.push(e.runId));
    const run = await p.drills.startRun({ scenarioYaml: HIS_DRILL, organiser: '李主任' });
    await step(minutes(10));
    await p.drills.pauseRun(run.id, '李主任');
    await step(minutes(30)); // paused: the 20m impact does not go in
    let now = await p.drills.getRun(run.id);
    expect(now.nextStep).toBe(1);
    expect(now.incidents[0].tallies).toEqual({});
    await p.drills.resumeRun(run.id, '李主任');
    await step(minutes(9)); // 10 + 9 = 19 of scenario time: not yet
    expect((await p.drills.getRun(run.id)).nextStep).toBe(1);
    await step(minutes(1) + 1_000);
    now = await p.drills.getRun(run.id);
    expect(now.nextStep).toBe(2);
    expect(now.incidents[0].tallies).toMatchObject({ outpatient: 120, emergency: 8 });
    const timeline = (await p.incidents.get(now.incidents[0].id)).timeline.map((t) => t.kind);
    expect(timeline).toEqual(expect.arrayContaining(['drill.paused', 'drill.resumed']));
    const ended = await p.drills.endRun(run.id, '李主任');
    off();
    expect(ended.state).toBe('ended');
    expect(events).toEqual([run.id]);
    const incident = await p.incidents.get(ended.incidents[0].id);
    expect(incident.state).toBe('closed');
    expect(incident.timeline.map((t) => t.kind)).toContain('drill.ended');
    expect(incident.obligations.filter((o) => o.state === 'pending')).toEqual([]);
    // nothing more is injected after the end
    await step(minutes(30));
    expect((await p.drills.getRun(run.id)).nextStep).toBe(2);
  }, 120_000);

  it('time factor 10 divides O3.1 (and shows it as scaled); a drill is left out of the status page, announcements, regulators and history', async () => {
    const statusBefore = JSON.stringify((await p.statusPage.page.current()).doc.services);
    const run = await p.drills.startRun({ scenarioYaml: MI_DRILL, organiser: '李主任', timeFactor: 10 });
    const incident = await p.incidents.get(run.incidents[0].id);
    const o31 = incident.obligations.find((o) => o.ruleId === 'O3.1')!;
    expect(Date.parse(o31.dueAt!) - Date.parse(o31.triggeredAt)).toBe(30_000); // 5 min / 10
    expect(o31.scaledFrom).toBe('PT5M');
    // hours of scenario time with MI settlement down hospital-wide
    for (let i = 0; i < 12; i++) await step(minutes(5));
    const later = await p.incidents.get(incident.id);
    expect(later.obligations.filter((o) => o.ruleId.startsWith('RR.'))).toEqual([]);
    expect(later.drill).toEqual({ runId: run.id, timeFactor: 10 });
    expect(JSON.stringify((await p.statusPage.page.current()).doc.services)).toBe(statusBefore);
    const drafts = await p.db.selectFrom('announcements').select('id').where('incident_id', '=', incident.id).execute();
    expect(drafts).toEqual([]);
    const history = await p.history.list({});
    expect(history.items.some((i: { id: string }) => i.id === incident.id)).toBe(false);
    await p.drills.endRun(run.id, '李主任');
  }, 120_000);
});

describe('a restart resumes injection', () => {
  it('stop, compose again on the same database: the run goes on from its next step', async () => {
    const { db, drop } = await freshDatabase('sqlite');
    const plan = loadDefaultPlan();
    const clock = new VirtualClock(T0);
    const config = {
      server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1:8080' },
      db,
      dataDir: '.',
      plan: {},
      log: { level: 'silent' as const },
      timezone: 'Asia/Shanghai',
      clockOffsetMs: 0,
    };
    const compose = () => composeLifeline({ config, plan, clock, log: createLogger('silent'), mode: 'manual', secret: 'drills-core-secret-0123456789' });
    try {
      let p = await compose();
      const run = await p.drills.startRun({ scenarioYaml: HIS_DRILL, organiser: '李主任' });
      await advanceTo(p, clock, T0 + minutes(5));
      await p.stop();
      p = await compose();
      await p.start();
      await advanceTo(p, clock, T0 + minutes(26));
      await p.drills.tick(); // the 20m impact and the 25m resolve, at once, in order
      const after = await p.drills.getRun(run.id);
      expect(after.nextStep).toBe(3);
      expect(after.incidents[0]).toMatchObject({ state: 'recovering', tallies: { outpatient: 120 } });
      await p.stop();
    } finally {
      await drop();
    }
  }, 120_000);
});

describe('on PostgreSQL', () => {
  it('a run starts, opens its drill incident with scaled deadlines, and ends', async () => {
    const p = await testPlatform('postgres');
    try {
      const run = await p.drills.startRun({ scenarioYaml: HIS_DRILL, organiser: '李主任', timeFactor: 10 });
      const incident = await p.incidents.get(run.incidents[0].id);
      expect(incident.drill).toEqual({ runId: run.id, timeFactor: 10 });
      const o31 = incident.obligations.find((o) => o.ruleId === 'O3.1')!;
      expect(Date.parse(o31.dueAt!) - Date.parse(o31.triggeredAt)).toBe(30_000);
      await p.advance(minutes(2) + 1_000);
      await p.drills.tick();
      expect((await p.drills.getRun(run.id)).nextStep).toBe(2); // the 20m impact at 2m of real time
      const ended = await p.drills.endRun(run.id, '李主任');
      expect(ended.incidents.map((i) => i.state)).toEqual(['closed']);
      expect((await p.drills.listRuns()).map((r) => [r.id, r.state])).toEqual([[run.id, 'ended']]);
    } finally {
      await p.dispose();
    }
  }, 120_000);
});
