import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/log/logger.js';
import { composeLifeline, type Lifeline } from '../src/app/compose.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import { alertKey } from '../src/signals/journal-signal.js';
import { readJournal } from '../src/intake/journal/signal-log.js';
import { signalState } from '../src/intake/journal/settled-states.js';
import { journalFileFor, TableJournal } from '../src/intake/journal/store.js';
import { SignalLog } from '../src/intake/journal/signal-log.js';
import { fixture } from '../src/intake/formats/fixture.js';
import { alertmanager, generic, zabbix } from '../src/intake/formats/index.js';
import { ValidationError } from '../src/shared/errors.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';
import { tempDir } from './support/server.js';

const iso = (ms: number) => new Date(ms).toISOString();
const hisDown: NormalisedSignal = { source: 'prom', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库不可达', dedupKey: 'fp-1' };

/**
 * A sender's body re-sent unchanged (what Alertmanager does every group_interval) is answered without being
 * written again while the state it says stands on an open incident; a change, or a closed incident, makes it count.
 */
async function resentBodies(p: Lifeline): Promise<void> {
  const clock = p.clock as VirtualClock;
  const intake = p.intake;
  const prom = (await intake.sources.create({ name: 'prom', type: 'alertmanager', severityMap: {}, rules: [], options: {} })).source;
  const script = (await intake.sources.create({ name: 'cron', type: 'generic', severityMap: {}, rules: [], options: {} })).source;
  const firing = JSON.stringify(fixture('alertmanager/firing.json'));
  const resolved = JSON.stringify(fixture('alertmanager/resolved.json'));
  const journal = async () => (await readJournal(p)).length;

  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 });
  await p.engine.processPending(); // settled on its incident
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 }); // a repeat: not written
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 });
  expect(await journal()).toBe(1);

  expect(await intake.accept(prom, alertmanager, resolved)).toEqual({ accepted: 1 });
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 }); // fires again: a change, written
  expect(await journal()).toBe(3);
  await p.engine.processPending();
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 });
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 });
  expect(await journal()).toBe(3);
  const [incident] = await p.incidents.list({ state: 'open' });
  await p.engine.act(incident!.id, { type: 'close', reason: '误报' }, 'tester', 'commander'); // nothing counts as settled now
  expect(await intake.accept(prom, alertmanager, firing)).toEqual({ accepted: 1 });
  expect(await journal()).toBe(4);

  // a signal without a time of its own is written again once a minute (its last-seen time)
  const beat = JSON.stringify({ summary: 'HIS 挂号接口超时', system: 'HIS', dedupKey: 'his-api' });
  await intake.accept(script, generic, beat);
  await p.engine.processPending();
  clock.set(clock.now() + 30_000);
  await intake.accept(script, generic, beat); // a repeat
  clock.set(clock.now() + 500);
  await intake.accept(script, generic, beat);
  expect(await journal()).toBe(5);
  clock.set(clock.now() + 30_000); // a minute after it was written
  await intake.accept(script, generic, beat);
  expect(await journal()).toBe(6);
}

/**
 * The intake journal (src/intake/signal-log.ts, journal-store.ts) and the engine's admission of it
 * (src/incidents/admission.ts): every accepted signal is kept; re-sends of an unchanged alert are absorbed.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`intake journal on ${dialect}`, () => {
    let p: TestPlatform;
    beforeEach(async () => {
      p = await testPlatform(dialect);
    });
    afterEach(async () => p.dispose());

    const at = (signal: NormalisedSignal, ms = p.clock.now()) => ({ ...signal, at: iso(ms) });
    const rows = () => p.db.selectFrom('signals').select(['status', 'outcome', 'dedup_key']).orderBy('id').execute();
    const alert = () => p.db.selectFrom('alerts').selectAll().where('dedup_key', '=', 'fp-1').executeTakeFirstOrThrow();

    it('absorbs re-sends of an unchanged alert: kept in the journal, last-seen time advanced, no signal rows', async () => {
      await p.signals.append([at(hisDown)]);
      await p.engine.processPending();
      p.clock.set(T0 + minutes(4));
      await p.signals.append([at(hisDown)]);
      p.clock.set(T0 + minutes(8));
      await p.signals.append([at(hisDown), at(hisDown)]);
      expect(await p.engine.processPending()).toBe(3);
      expect(await rows()).toEqual([{ status: 'firing', outcome: 'opened', dedup_key: 'fp-1' }]);
      expect(Number((await alert()).last_at)).toBe(T0 + minutes(8));
      expect((await readJournal(p)).map((s) => s.at)).toEqual([T0, T0 + minutes(4), T0 + minutes(8), T0 + minutes(8)]);
    });

    it("a sender's body re-sent unchanged is not written again while its state stands; a change or a close makes it count", async () => {
      await resentBodies(p);
    });

    it('an exact repeat of a stored state is acknowledged without writing; a closed incident makes the next one count', async () => {
      const lis = { ...hisDown, system: 'LIS', dedupKey: 'lis-1' };
      expect(await p.signals.append([hisDown, hisDown])).toEqual({ written: 2, repeats: 0 }); // not settled yet
      await p.engine.processPending(); // now HIS stands on an open incident
      expect(await p.signals.append([hisDown, { ...lis, system: 'NOPE' }])).toEqual({ written: 1, repeats: 1 });
      await p.engine.processPending(); // the LIS one is unmapped: not settled, so its repeat is written again
      expect(
        await p.signals.append([
          { ...lis, system: 'NOPE' },
          { ...hisDown, summary: '仍不可达' },
        ]),
      ).toEqual({ written: 2, repeats: 0 });
      await p.engine.processPending();
      expect(await p.signals.append([{ ...hisDown, summary: '仍不可达' }])).toEqual({ written: 0, repeats: 1 });
      p.clock.set(T0 + 59_999); // without a time of its own, a repeat is written again after a minute (last-seen time)
      expect(await p.signals.append([{ ...hisDown, summary: '仍不可达' }])).toEqual({ written: 0, repeats: 1 });
      p.clock.set(T0 + 60_000);
      expect(await p.signals.append([{ ...hisDown, summary: '仍不可达' }])).toEqual({ written: 1, repeats: 0 });
      await p.engine.processPending();
      expect(Number((await alert()).last_at)).toBe(T0 + 60_000);
      const [incident] = await p.incidents.list({ state: 'all' });
      await p.engine.act(incident!.id, { type: 'close', reason: '误报' }, 'tester', 'commander');
      expect(await p.signals.append([{ ...hisDown, summary: '仍不可达' }])).toEqual({ written: 1, repeats: 0 });
      await p.engine.processPending();
      expect(await p.incidents.list({ state: 'responding' })).toHaveLength(1); // the alert still fires: a new incident
      expect(await readJournal(p)).toHaveLength(7);
    });

    it("after a real change in a round, the alert's later signals take the full path, in order", async () => {
      await p.signals.append([at(hisDown)]);
      await p.engine.processPending();
      p.clock.set(T0 + minutes(3));
      await p.signals.append([at(hisDown), at({ ...hisDown, status: 'resolved' }), at(hisDown)]);
      await p.engine.processPending();
      expect((await rows()).map((r) => `${r.status}:${r.outcome}`)).toEqual(['firing:opened', 'resolved:attached', 'firing:attached']);
      expect((await alert()).status).toBe('firing');
      const [incident] = await p.incidents.list({ state: 'all' });
      expect(incident!.state).toBe('responding');
    });

    it('a failed round moves neither the cursor nor anything else; the next round admits each signal once', async () => {
      let fail = true;
      p.engine.hooks.suppress = async () => {
        if (fail) throw new Error('disk full');
        return null;
      };
      await p.signals.append([at(hisDown), at({ ...hisDown, dedupKey: 'fp-2', system: 'LIS' })]);
      await expect(p.engine.processPending()).rejects.toThrow('disk full');
      expect(await rows()).toEqual([]);
      fail = false;
      expect(await p.engine.processPending()).toBe(2);
      expect((await rows()).map((r) => r.dedup_key)).toEqual(['fp-1', 'fp-2']);
      expect(await p.engine.processPending()).toBe(0);
    });

    it('GET /healthz tells how far processing is behind intake', async () => {
      const app = await buildApp(p, { logger: false });
      const progress = async () => (await app.inject({ method: 'GET', url: '/healthz' })).json().intake;
      await p.signals.append([at(hisDown), at({ ...hisDown, dedupKey: 'fp-2' })]);
      const before = await progress();
      expect(before.journalEnd).toBeGreaterThan(before.admittedUpTo);
      await p.engine.processPending();
      expect(await progress()).toEqual({ journalEnd: before.journalEnd, admittedUpTo: before.journalEnd, unprocessedSignals: 0 });
      await app.close();
    });

    it('when the engine falls behind, memory is let go and the store is read in order until it catches up', async () => {
      const log = new SignalLog(new TableJournal(p.db, undefined, p.plan), p.clock, () => undefined, 3);
      await log.open();
      const keys = [];
      for (let i = 0; i < 4; i++) {
        await log.append([at({ ...hisDown, dedupKey: `k${i}` }), at({ ...hisDown, dedupKey: `k${i}b` })]);
        keys.push(`k${i}`, `k${i}b`);
      }
      const read = (cursor: number) => p.db.transaction().execute((trx) => log.after(cursor, 1000, trx));
      const all = await read(0); // 8 signals > 3 buffered: read from the store
      expect(all.flatMap((b) => b.entries.map((e) => e.dedup_key))).toEqual(keys);
      const last = all.at(-1)!.seq;
      expect(await read(last)).toEqual([]); // caught up: memory holds what comes next
      await log.append([at({ ...hisDown, dedupKey: 'k9' })]);
      expect((await read(last)).flatMap((b) => b.entries.map((e) => e.dedup_key))).toEqual(['k9']);
      expect((await read(0)).length).toBe(5); // a cursor before the buffer is answered from the store, in full
    });

    it('reading a long backlog from the store in small rounds admits every row once, in order, while more arrive', async () => {
      const log = new SignalLog(new TableJournal(p.db, undefined, p.plan), p.clock, () => undefined, 3);
      let cursor = await log.open();
      const sent: string[] = [];
      const send = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const key = `r${sent.length}`;
          sent.push(key);
          await log.append([at({ ...hisDown, dedupKey: key })]);
        }
      };
      await send(230); // more than one read of the store
      const seen: string[] = [];
      for (let round = 0; round < 200; round++) {
        const batches = await p.db.transaction().execute((trx) => log.after(cursor, 7, trx));
        if (round === 5 || round === 40) await send(4); // arrivals while the backlog is read
        if (batches.length === 0) break;
        seen.push(...batches.flatMap((b) => b.entries.map((e) => e.dedup_key)));
        cursor = batches.at(-1)!.seq;
      }
      expect(seen).toEqual(sent);
    });
  });
}

describe('intake journal in its own SQLite file (read and written by two worker threads)', () => {
  let dir: string;
  const open = async () => {
    const config = {
      server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1:8080' },
      db: { kind: 'sqlite' as const, file: path.join(dir, 'lifeline.sqlite') },
      dataDir: dir,
      plan: {},
      log: { level: 'silent' as const },
      timezone: 'Asia/Shanghai',
      clockOffsetMs: 0,
    };
    return composeLifeline({ config, plan: loadDefaultPlan(), clock: new VirtualClock(T0), log: createLogger('silent'), mode: 'manual' });
  };
  let p: Lifeline | null = null;
  beforeEach(() => {
    dir = tempDir('lifeline-journal-');
  });
  afterEach(async () => {
    await p?.stop();
    p = null;
  });

  it('keeps what was accepted across a restart; the next process admits it from the file', async () => {
    p = await open();
    p.scheduler.stop();
    await p.signals.append([
      { ...hisDown, at: iso(T0) },
      { ...hisDown, dedupKey: 'fp-2', system: 'PACS', at: iso(T0) },
    ]);
    expect(fs.existsSync(journalFileFor(path.join(dir, 'lifeline.sqlite')))).toBe(true);
    await p.stop(); // nothing processed yet
    p = await open();
    p.scheduler.stop();
    expect(await p.engine.processPending()).toBe(2);
    const incidents = await p.incidents.list({ state: 'all' });
    expect(incidents.flatMap((i) => i.systems.map((s) => s.system)).sort()).toEqual(['HIS', 'PACS']);
    expect(await readJournal(p)).toHaveLength(2);
  });

  it('a journal file replaced by an older or empty one does not make the engine skip what arrives next', async () => {
    p = await open();
    p.scheduler.stop();
    await p.signals.append([
      { ...hisDown, at: iso(T0) },
      { ...hisDown, dedupKey: 'fp-2', at: iso(T0) },
    ]);
    await p.signals.append([{ ...hisDown, dedupKey: 'fp-3', at: iso(T0) }]);
    await p.engine.processPending();
    await p.stop();
    const file = journalFileFor(path.join(dir, 'lifeline.sqlite'));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    p = await open();
    p.scheduler.stop();
    await p.signals.append([{ ...hisDown, system: 'LIS', dedupKey: 'lis-1', at: iso(T0) }]);
    await p.engine.processPending();
    const systems = (await p.incidents.list({ state: 'all' })).flatMap((i) => i.systems.map((s) => s.system)).sort();
    expect(systems).toEqual(['HIS', 'LIS']);
  });

  it("its threads read senders' bodies: stored and processed, refusals name the field, acknowledgements go by the main thread, settled re-sends are not written again", async () => {
    p = await open();
    p.scheduler.stop();
    const intake = p.intake;
    const am = (await intake.sources.create({ name: 'prom', type: 'alertmanager', severityMap: {}, rules: [], options: {} })).source;
    const zbx = (await intake.sources.create({ name: 'zbx', type: 'zabbix', severityMap: {}, rules: [], options: {} })).source;
    const firing = JSON.stringify(fixture('alertmanager/firing.json'));

    expect(await intake.accept(am, alertmanager, firing)).toEqual({ accepted: 1 });
    const bad = JSON.stringify({ ...(fixture('alertmanager/firing.json') as object), alerts: [{ status: 'burning', labels: {} }] });
    const refused = await intake.accept(am, alertmanager, bad).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((i) => i.path)).toContain('alerts[0].status');
    expect(await readJournal(p)).toHaveLength(1);

    expect(await p.engine.processPending()).toBe(1);
    const [incident] = await p.incidents.list({ state: 'open' });
    expect(incident!.systems.map((s) => s.system)).toEqual(['HIS']);
    expect(await intake.accept(am, alertmanager, firing)).toEqual({ accepted: 1 }); // Alertmanager's re-send
    expect(await readJournal(p)).toHaveLength(1);

    expect(await intake.accept(zbx, zabbix, JSON.stringify(fixture('zabbix/update-ack.json')))).toEqual({ accepted: 1 });
    const journal = await readJournal(p);
    expect(journal.map((e) => e.dedup_key)).toEqual(['fef0370d14c887c0', '123456#ack']);
    expect(journal[1]!.labels.lifeline_ack_of).toBe('123456');
  });

  it("starting the platform starts the journal's threads, so the first alert after a start does not wait for them", async () => {
    p = await open();
    p.scheduler.stop();
    const intake = p.intake;
    const am = (await intake.sources.create({ name: 'prom', type: 'alertmanager', severityMap: {}, rules: [], options: {} })).source;
    const journal = (p.signals as unknown as { store: { threads: object | null } }).store;
    expect(journal.threads).toBeNull(); // a platform that only opens the database (CLI) starts none
    await p.start(); // `lifeline start`
    const started = journal.threads;
    expect(started).not.toBeNull();
    expect(await intake.accept(am, alertmanager, JSON.stringify(fixture('alertmanager/firing.json')))).toEqual({ accepted: 1 });
    expect(journal.threads).toBe(started);
    expect(await readJournal(p)).toHaveLength(1);
  });

  it('a journal thread that dies is replaced by the next request; nothing accepted is lost', async () => {
    p = await open();
    p.scheduler.stop();
    const intake = p.intake;
    const am = (await intake.sources.create({ name: 'prom', type: 'alertmanager', severityMap: {}, rules: [], options: {} })).source;
    const body = (fingerprint: string) =>
      JSON.stringify({ ...(fixture('alertmanager/firing.json') as object), alerts: [{ ...(fixture('alertmanager/firing.json') as { alerts: object[] }).alerts[0], fingerprint }] });
    expect(await intake.accept(am, alertmanager, body('fp-a'))).toEqual({ accepted: 1 });
    const journal = (p.signals as unknown as { store: { threads: { writer: { terminate(): Promise<number> } } | null } }).store;
    await journal.threads!.writer.terminate();
    for (let i = 0; i < 500 && journal.threads !== null; i++) await new Promise((r) => setTimeout(r, 10)); // its exit is heard
    expect(journal.threads).toBeNull();
    expect(await intake.accept(am, alertmanager, body('fp-b'))).toEqual({ accepted: 1 });
    expect((await readJournal(p)).map((e) => e.dedup_key)).toEqual(['fp-a', 'fp-b']);
    await p.engine.processPending();
    expect((await p.db.selectFrom('signals').select('dedup_key').orderBy('dedup_key').execute()).map((r) => r.dedup_key)).toEqual(['fp-a', 'fp-b']);
  });

  it("signals posted through the API that repeat settled states are answered on the main thread, which follows the reader thread's settled states", async () => {
    p = await open();
    p.scheduler.stop();
    const store = (p.signals as unknown as { store: { nextId: number; forgotten: number; answer(replies: unknown[]): void } }).store;
    const firing = { ...hisDown, at: iso(T0 - 1000) };
    const sentToThreads = async (signals: NormalisedSignal[]) => {
      const before = store.nextId;
      const outcome = await p!.signals.append(signals);
      return { ...outcome, threads: store.nextId - before };
    };
    const other = (n: number) => [{ ...hisDown, dedupKey: `other-${n}`, at: iso(T0) }]; // its answer comes after the reader's news sent before it

    expect(await sentToThreads([firing])).toEqual({ written: 1, repeats: 0, threads: 1 });
    await p.engine.processPending(); // settled: the reader reports it through the writer
    await sentToThreads(other(1));
    expect(await sentToThreads([firing])).toEqual({ written: 0, repeats: 1, threads: 0 });

    expect(await sentToThreads([{ ...firing, status: 'resolved' }])).toEqual({ written: 1, repeats: 0, threads: 1 }); // the reader unsettles the alert
    expect(await sentToThreads([firing])).toEqual({ written: 1, repeats: 0, threads: 1 }); // firing again: a change, not a repeat
    await p.engine.processPending();
    await sentToThreads(other(2));
    expect(await sentToThreads([firing])).toEqual({ written: 0, repeats: 1, threads: 0 });

    const stale = store.forgotten;
    p.signals.forgetStates(); // an incident closed
    store.answer([{ changes: [['set', alertKey('prom', 'fp-1'), signalState(firing, p.clock.now()), T0]], forgotten: stale }]); // news the reader sent before it heard: ignored
    expect(await sentToThreads([firing])).toEqual({ written: 1, repeats: 0, threads: 1 });
  });

  it('re-sends of one state that keep coming while it is processed stop being written once it is settled', async () => {
    p = await open();
    p.scheduler.stop();
    const signal = { ...hisDown, at: iso(T0 - 1000) };
    expect(await p.signals.append([signal])).toEqual({ written: 1, repeats: 0 });
    expect(await p.signals.append([signal])).toEqual({ written: 1, repeats: 0 }); // not settled yet
    const [firstRound] = await Promise.all([p.engine.processPending(), p.signals.append([signal])]); // one more while it is processed
    expect(firstRound).toBeGreaterThan(0);
    await p.engine.processPending();
    expect(await p.signals.append([signal])).toEqual({ written: 0, repeats: 1 });
    expect(await p.signals.append([{ ...signal, status: 'resolved' }])).toEqual({ written: 1, repeats: 0 });
    expect(await readJournal(p)).toHaveLength(4);
  });
});
