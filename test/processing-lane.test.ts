import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../src/events/bus.js';
import { readCursor } from '../src/incidents/admission.js';
import { IncidentEngine, type EngineHooks } from '../src/incidents/engine.js';
import { FileJournal, journalFileFor, TableJournal } from '../src/intake/journal/store.js';
import { readJournal, SignalLog } from '../src/intake/journal/signal-log.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { migrate, openDatabase, type Db } from '../src/storage/index.js';
import { DIALECTS, freshDatabase, postgresUnavailable, type DialectName } from './support/databases.js';
import { T0 } from './support/platform.js';
import { tempDir } from './support/server.js';

/**
 * The processing lane (src/incidents/lane.ts): in a storm, what can open or change an incident goes ahead of
 * what only adds to an open one, every signal still processed exactly once and each alert's in order; and
 * the cost of a storm's alert does not grow with its incident.
 */

const plan = loadDefaultPlan();

/** The engine and the intake journal as Lifeline assembles them (src/app/compose.ts), and what they did. */
interface Rig {
  db: Db;
  signals: SignalLog;
  engine: IncidentEngine;
  /** Incidents opened, with the cursor when their first page was requested (in the transaction that opened them). */
  opened: { incidentId: string; cursor: number }[];
  stop(): Promise<void>;
}

async function rig(where: { dialect: DialectName } | { dir: string }, hooks: EngineHooks = {}, plugin?: KyselyPlugin): Promise<Rig> {
  const clock = new VirtualClock(T0);
  const dropped = 'dialect' in where ? await freshDatabase(where.dialect) : null;
  const config = dropped ? dropped.db : { kind: 'sqlite' as const, file: path.join((where as { dir: string }).dir, 'lifeline.sqlite') };
  const opened = openDatabase(config);
  await migrate(opened.db, opened.kind);
  const db = plugin ? opened.db.withPlugin(plugin) : opened.db;
  const journal = config.kind === 'sqlite' && config.file !== ':memory:' ? new FileJournal(journalFileFor(config.file), plan) : new TableJournal(opened.db, opened.withSqlite, plan);
  const signals = new SignalLog(journal, clock, () => undefined);
  await signals.open();
  const out: Rig['opened'] = [];
  const engine = new IncidentEngine(
    db,
    plan,
    clock,
    new EventBus(),
    {
      ...hooks,
      onPages: async (trx, pages) => {
        for (const p of pages) if (p.reason === 'incident.opened') out.push({ incidentId: p.incidentId!, cursor: await readCursor(trx) });
      },
    },
    plugin ? (work) => db.transaction().execute(work) : opened.relaxed,
    signals,
  );
  await engine.clampJournalCursor(signals.end);
  await signals.ready();
  return {
    db,
    signals,
    engine,
    opened: out,
    async stop() {
      await signals.close();
      await opened.close();
      await dropped?.drop();
    },
  };
}

let serial = 0;
const alert = (system: string, over: Partial<NormalisedSignal> = {}): NormalisedSignal => {
  const n = serial++;
  return { source: 'am', system, component: `part-${n}`, severity: 'orange', status: 'firing', summary: `${system} 慢`, dedupKey: `a${n}`, at: new Date(T0).toISOString(), ...over };
};

/** Appends rows of the storming system, `perRow` new alerts each, a few requests in flight (as senders do). */
async function storm(r: Rig, rows: number, perRow: number, system = 'EMR'): Promise<void> {
  for (let i = 0; i < rows; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, rows - i) }, () => r.signals.append(Array.from({ length: perRow }, () => alert(system)))));
  }
}

const incidentOf = async (r: Rig, system: string) => {
  const rows = await r.db
    .selectFrom('incident_systems')
    .innerJoin('incidents', 'incidents.id', 'incident_systems.incident_id')
    .select(['incidents.id', 'incidents.state'])
    .where('incident_systems.system', '=', system)
    .execute();
  return rows[0];
};
const alertRow = (r: Rig, dedupKey: string) => r.db.selectFrom('alerts').selectAll().where('dedup_key', '=', dedupKey).executeTakeFirstOrThrow();
/** The outcomes of an alert's signals, in journal order. */
const outcomes = async (r: Rig, dedupKey: string) => {
  const ids = (await readJournal(r)).filter((e) => e.dedup_key === dedupKey).map((e) => e.id);
  const rows = await r.db.selectFrom('signals').select(['id', 'status', 'outcome']).where('dedup_key', '=', dedupKey).execute();
  expect(rows).toHaveLength(ids.length);
  return ids.map((id) => rows.find((s) => s.id === id)).map((s) => ({ status: s?.status, outcome: s?.outcome }));
};
const count = async (r: Rig, table: 'signals' | 'signal_lane' | 'alerts') =>
  Number(
    (
      await r.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

let open: Rig[] = [];
afterEach(async () => {
  for (const r of open) await r.stop();
  open = [];
});
const started = async (...args: Parameters<typeof rig>) => {
  const r = await rig(...args);
  open.push(r);
  return r;
};

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`processing lane on ${dialect}`, () => {
    it('a red alarm of a quiet system behind thousands of rows of a storm opens its incident before the storm is processed', async () => {
      const r = await started({ dialect });
      await r.signals.append([alert('EMR')]);
      await r.engine.processPending(); // EMR's incident is open: the storm only adds to it
      expect(r.opened).toEqual([{ incidentId: expect.any(String), cursor: 1 }]); // no backlog: in journal order
      await storm(r, 2_000, 2);
      const backlogEnd = r.signals.end;
      await r.signals.append([alert('HIS', { severity: 'red', dedupKey: 'his-down' })]);
      await r.engine.processPending();

      const his = await incidentOf(r, 'HIS');
      const page = r.opened.find((o) => o.incidentId === his!.id)!;
      expect(page.cursor).toBeLessThan(backlogEnd / 2); // the first ordinary round took a few hundred signals, then the lane went
      expect(await outcomes(r, 'his-down')).toEqual([{ status: 'firing', outcome: 'opened' }]);
      // every signal once, and the ledger empty once the cursor has passed what the lane took
      expect(await count(r, 'signals')).toBe(4_002);
      expect(await count(r, 'alerts')).toBe(4_002);
      expect(await count(r, 'signal_lane')).toBe(0);
      expect(await readCursor(r.db)).toBe(r.signals.end);
      expect(await r.engine.processPending()).toBe(0);
    });

    it('a storm of a second system behind the first: the lane opens its incident with its first row, and takes no more of it', async () => {
      const r = await started({ dialect });
      let most = 0;
      r.engine.hooks.pace = async () => void (most = Math.max(most, await count(r, 'signal_lane')));
      await r.signals.append([alert('EMR')]);
      await r.engine.processPending();
      await storm(r, 1_000, 2);
      const lisFrom = r.signals.end;
      await storm(r, 1_000, 2, 'LIS');
      await r.engine.processPending();
      const lis = await incidentOf(r, 'LIS');
      expect(r.opened.find((o) => o.incidentId === lis!.id)!.cursor).toBeLessThan(lisFrom);
      expect(most).toBe(2); // the first row of LIS (two signals), nothing after it
      expect(await count(r, 'signals')).toBe(4_001);
    });

    it("keeps each alert's order: a firing and a resolve of the same alert behind a storm end resolved, whichever way they go", async () => {
      const r = await started({ dialect });
      await r.signals.append([alert('EMR'), alert('LIS', { dedupKey: 'lis-0' })]);
      await r.engine.processPending(); // EMR and LIS have open incidents
      await storm(r, 600, 2);
      await r.signals.append([alert('HIS', { severity: 'red', dedupKey: 'his-1' })]); // urgent: HIS has no incident
      await r.signals.append([alert('LIS', { dedupKey: 'lis-1' })]); // not urgent: LIS has its incident
      await storm(r, 600, 2);
      await r.signals.append([alert('HIS', { severity: 'red', dedupKey: 'his-1', status: 'resolved' })]); // urgent
      await r.signals.append([alert('LIS', { dedupKey: 'lis-1', status: 'resolved' })]); // urgent: the lane takes LIS's firing with it
      await storm(r, 600, 2);
      await r.engine.processPending();

      expect((await alertRow(r, 'his-1')).status).toBe('resolved');
      expect((await alertRow(r, 'lis-1')).status).toBe('resolved');
      expect(await outcomes(r, 'his-1')).toEqual([
        { status: 'firing', outcome: 'opened' },
        { status: 'resolved', outcome: 'attached' },
      ]);
      expect(await outcomes(r, 'lis-1')).toEqual([
        { status: 'firing', outcome: 'attached' },
        { status: 'resolved', outcome: 'attached' },
      ]);
      expect((await incidentOf(r, 'HIS'))!.state).toBe('recovering');
      expect(await count(r, 'signals')).toBe(2 + 3 * 1_200 + 4);
      expect(await count(r, 'signal_lane')).toBe(0);
    });

    it('a signal older than one the lane processed of its alert (its system changed) is recorded as superseded, without effect', async () => {
      const r = await started({ dialect });
      await r.signals.append([alert('EMR'), alert('LIS', { dedupKey: 'lis-0' })]);
      await r.engine.processPending();
      await storm(r, 400, 2);
      await r.signals.append([alert('LIS', { dedupKey: 'moved', component: 'api' })]); // not urgent: stays in journal order
      await storm(r, 400, 2);
      await r.signals.append([alert('HIS', { dedupKey: 'moved', component: 'api', severity: 'red' })]); // the same alert, now HIS: urgent
      await storm(r, 400, 2);
      await r.engine.processPending();

      expect(await outcomes(r, 'moved')).toEqual([
        { status: 'firing', outcome: 'superseded' },
        { status: 'firing', outcome: 'opened' },
      ]);
      expect(await alertRow(r, 'moved')).toMatchObject({ system: 'HIS', severity: 'red', status: 'firing' });
    });
  });
}

describe('processing lane on the file journal', () => {
  it('signals processed in the lane are not processed again after a restart on the same data directory', async () => {
    const dir = tempDir('lifeline-lane-');
    const pace = async () => undefined;
    let r = await rig({ dir }, { pace });
    await r.signals.append([alert('EMR')]);
    await r.engine.processPending();
    const first = await readCursor(r.db);
    await storm(r, 1_500, 2);
    await r.signals.append([alert('HIS', { severity: 'red', dedupKey: 'his-down' })]);
    await storm(r, 200, 2);
    await r.signals.append([alert('HIS', { severity: 'red', dedupKey: 'his-down', status: 'resolved' })]);
    let rounds = 0;
    r.engine.hooks.pace = async () => {
      if (++rounds === 3) throw new Error('crash'); // processing stops here, as a killed process would
    };
    await expect(r.engine.processPending()).rejects.toThrow('crash'); // the lane's round, an ordinary one, the lane's again
    expect(r.opened).toHaveLength(2); // EMR before the storm, then HIS in the lane
    expect((await alertRow(r, 'his-down')).status).toBe('resolved'); // in the lane too
    const cursor = await readCursor(r.db);
    expect(cursor).toBeGreaterThan(first);
    expect(cursor).toBeLessThan(r.signals.end / 2);
    expect(await count(r, 'signal_lane')).toBe(2);
    await r.stop();

    r = await rig({ dir }, {}); // a new process on the same files: the ledger says what the lane did
    open.push(r);
    expect(await readCursor(r.db)).toBe(cursor);
    await r.engine.processPending();
    expect(r.opened).toHaveLength(0); // HIS was not opened again
    expect(await outcomes(r, 'his-down')).toEqual([
      { status: 'firing', outcome: 'opened' },
      { status: 'resolved', outcome: 'attached' },
    ]);
    expect((await alertRow(r, 'his-down')).status).toBe('resolved');
    expect((await incidentOf(r, 'HIS'))!.state).toBe('recovering');
    expect(await count(r, 'signals')).toBe(3_403);
    expect((await readJournal(r)).length).toBe(3_403);
    expect(await count(r, 'signal_lane')).toBe(0);
    const timeline = await r.db.selectFrom('timeline').select('kind').where('kind', '=', 'incident.opened').execute();
    expect(timeline).toHaveLength(2);
  });
});

describe("cost of a storm's alert", () => {
  /** Counts the rows the engine's queries return. */
  class RowsRead implements KyselyPlugin {
    rows = 0;
    transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
    transformResult: KyselyPlugin['transformResult'] = async (args) => {
      this.rows += args.result.rows.length;
      return args.result;
    };
  }

  it('does not grow with the incident: the rows read to process 1,000 new alerts are the same at 1,000 and at 5,000 alerts', async () => {
    const read = new RowsRead();
    const r = await started({ dialect: 'sqlite' }, {}, read);
    const slice = async () => {
      await storm(r, 500, 2);
      const before = read.rows;
      await r.engine.processPending();
      return read.rows - before;
    };
    await r.signals.append([alert('EMR')]);
    await r.engine.processPending();
    const atStart = await slice();
    for (let i = 0; i < 3; i++) await slice();
    const later = await slice();
    expect(await count(r, 'alerts')).toBe(5_001);
    expect(later).toBeLessThanOrEqual(atStart * 1.1);
    expect(later).toBeLessThan(4 * 1_000); // a few rows per alert, not its incident's
  });
});
