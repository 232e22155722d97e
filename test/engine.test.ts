import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';
import type { NormalisedSignal } from '../src/signals/types.js';

const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-1' };
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`incident engine on ${dialect}`, () => {
    let p: TestPlatform;
    beforeEach(async () => {
      p = await testPlatform(dialect);
    });
    afterEach(async () => p.dispose());

    async function send(signal: NormalisedSignal) {
      await p.signals.append([{ ...signal, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
    }
    const only = async () => {
      const list = await p.incidents.list({ state: 'all' });
      expect(list).toHaveLength(1);
      return p.incidents.get(list[0].id);
    };
    const obligation = (i: Awaited<ReturnType<typeof only>>, rule: string) => i.obligations.find((o) => o.ruleId === rule)!;

    it('opens a provisional L2 for a red HIS signal, with O3.1–O3.3 due at 5, 15 and 35 minutes', async () => {
      await send(hisDown);
      const i = await only();
      expect(i).toMatchObject({ level: 'L2', provisional: true, decidedBy: 'L1.a', state: 'responding', scope: 'hospital_wide' });
      expect(i.nextChange).toEqual({ at: iso(T0 + 2 * 3600_000 + 1), level: 'L1', rule: 'L1.a' });
      expect(obligation(i, 'O3.1')).toMatchObject({ state: 'pending', dueAt: iso(T0 + minutes(5)) });
      // nobody has acknowledged yet: O3.2/O3.3 count from O3.1's deadline
      expect(obligation(i, 'O3.2')).toMatchObject({ state: 'pending', dueAt: iso(T0 + minutes(15)) });
      expect(obligation(i, 'O3.3')).toMatchObject({ state: 'pending', dueAt: iso(T0 + minutes(35)) });
      expect(i.timeline.some((t) => t.kind === 'incident.opened')).toBe(true);
    });

    it('an acknowledgement meets O3.1 and moves O3.2/O3.3 to count from it', async () => {
      await send(hisDown);
      await p.advance(minutes(3));
      const { id } = await only();
      await p.engine.act(id, { type: 'acknowledge' }, '张工', 'tech_oncall');
      const i = await only();
      expect(obligation(i, 'O3.1')).toMatchObject({ state: 'met', metBy: '张工', metAt: iso(T0 + minutes(3)) });
      expect(obligation(i, 'O3.2').dueAt).toBe(iso(T0 + minutes(13)));
      expect(obligation(i, 'O3.3').dueAt).toBe(iso(T0 + minutes(33)));
    });

    it('becomes L1 at 2 h + ε on its own and stays L1 after recovery', async () => {
      await send(hisDown);
      await p.advance(2 * 3600_000);
      expect((await only()).level).toBe('L2');
      await p.advance(1);
      let i = await only();
      expect(i).toMatchObject({ level: 'L1', provisional: false, decidedBy: 'L1.a' });
      expect(i.levelHistory.at(-1)).toMatchObject({ level: 'L1', rule: 'L1.a', at: iso(T0 + 2 * 3600_000 + 1) });
      await send({ ...hisDown, status: 'resolved' });
      i = await only();
      expect(i).toMatchObject({ state: 'recovering', level: 'L1' });
      expect(obligation(i, 'O1.1')).toBeDefined();
    });

    it('breaching O3.3 escalates to L2 by E3to2 (not provisional)', async () => {
      await send({ ...hisDown, system: 'LIS', severity: 'orange', dedupKey: 'lis-slow' });
      expect((await only()).level).toBe('L3');
      await p.advance(minutes(35));
      expect(obligation(await only(), 'O3.3').state).toBe('pending'); // "within 30 min" includes the last instant
      await p.advance(1);
      const i = await only();
      expect(obligation(i, 'O3.3')).toMatchObject({ state: 'breached', lateMs: 1 });
      expect(i).toMatchObject({ level: 'L2', provisional: false, decidedBy: 'E3to2' });
      expect(obligation(i, 'O2.1')).toMatchObject({ state: 'pending', dueAt: iso(T0 + minutes(45)) });
    });

    it('the same alert re-sent changes nothing twice; resolving marks the incident recovering', async () => {
      await send(hisDown);
      await send(hisDown);
      await send(hisDown);
      let i = await only();
      expect(i.alerts).toHaveLength(1);
      expect(i.timeline.filter((t) => t.kind === 'signal.firing')).toHaveLength(1);
      await send({ ...hisDown, status: 'resolved' });
      i = await only();
      expect(i.state).toBe('recovering');
      expect(obligation(i, 'O3.3').state).toBe('met');
    });

    it('keeps signals for unknown systems as unmapped, opening nothing', async () => {
      await send({ ...hisDown, system: undefined, host: 'db-07', dedupKey: 'x' });
      expect(await p.incidents.list({ state: 'all' })).toHaveLength(0);
      const rows = await p.db.selectFrom('signals').select(['outcome']).execute();
      expect(rows).toEqual([{ outcome: 'unmapped' }]);
    });

    it('L2.b fires at 50 patients, not 49', async () => {
      await send({ ...hisDown, system: 'LIS', dedupKey: 'lis-down' });
      const { id } = await only();
      await p.engine.recordImpact(id, { flags: ['reports_blocked'], tally: { outpatient: 49 } }, 'coordination_lead');
      expect((await only()).level).toBe('L3');
      await p.engine.recordImpact(id, { tally: { outpatient: 50 } }, 'coordination_lead');
      expect(await only()).toMatchObject({ level: 'L2', decidedBy: 'L2.b', provisional: false });
    });

    it("only the plan's roles may lower a level, and only with a reason", async () => {
      await send(hisDown);
      const { id } = await only();
      await expect(p.engine.act(id, { type: 'set_level', level: 'L3', reason: 'false alarm' }, 'x', 'tech_oncall')).rejects.toMatchObject({ status: 403 });
      await expect(p.engine.act(id, { type: 'set_level', level: 'L3', reason: '' }, 'x', 'commander')).rejects.toMatchObject({ status: 400, issues: [{ path: 'reason' }] });
      await p.engine.act(id, { type: 'set_level', level: 'L3', reason: '测试告警' }, '院长', 'commander');
      const i = await only();
      expect(i).toMatchObject({ level: 'L3', decidedBy: 'manual' });
      expect(i.levelHistory.at(-1)).toMatchObject({ rule: 'manual', actor: '院长', reason: '测试告警' });
      // the plan still says L1 once the outage passes 2 h
      await p.advance(2 * 3600_000 + 1);
      expect((await only()).level).toBe('L1');
    });

    it('every change is in the timeline with who and when', async () => {
      await send(hisDown);
      const { id } = await only();
      await p.advance(minutes(1));
      await p.engine.act(id, { type: 'check_in' }, '李工', 'tech_oncall');
      const i = await only();
      const entry = i.timeline.find((t) => t.kind === 'action.check_in')!;
      expect(entry).toMatchObject({ actor: '李工', at: iso(T0 + minutes(1)) });
      expect(obligation(i, 'O3.2')).toMatchObject({ state: 'met', metBy: '李工' });
    });

    it('runs the hourly machine-room round (OM.1) as a standing duty: missed → breached and the tech lead told; done → next hour', async () => {
      await p.engine.ensureDuties();
      await p.engine.ensureDuties(); // idempotent
      const duties = () => p.db.selectFrom('obligations').selectAll().where('incident_id', 'is', null).orderBy('id').execute();
      expect((await duties()).map((d) => [d.rule_id, d.state, d.due_at])).toEqual([['OM.1', 'pending', T0 + 60 * 60_000]]);
      await p.advance(60 * 60_000);
      expect((await duties())[0].state).toBe('pending'); // "within the hour" includes the hour itself
      await p.advance(1);
      let rows = await duties();
      expect(rows.map((d) => [d.state, d.due_at])).toEqual([
        ['breached', T0 + 60 * 60_000],
        ['pending', T0 + 120 * 60_000],
      ]);
      const pages = await p.db.selectFrom('timeline').select(['kind', 'message']).where('incident_id', 'is', null).where('kind', '=', 'page.requested').execute();
      expect(pages.map((pg) => pg.message).join(' | ')).toMatch(/monitoring_post.*\| .*tech_lead/); // the post is reminded, the lead told
      await p.advance(minutes(10));
      await p.engine.completeDuty('OM.1', '王值班');
      rows = await duties();
      expect(rows.map((d) => [d.state, d.met_by])).toEqual([
        ['breached', null],
        ['met', '王值班'],
        ['pending', null],
      ]);
      expect(rows[2].due_at).toBe(T0 + 130 * 60_000 + 1); // one hour after the round was logged
    });

    it('closing cancels nothing silently: unmet duties stay open and can still be met; a closed incident refuses what meets nothing', async () => {
      await send(hisDown);
      await send({ ...hisDown, status: 'resolved' });
      const { id } = await only();
      await p.engine.act(id, { type: 'close' }, '张工', 'tech_lead');
      const i = await only();
      expect(i.state).toBe('closed');
      expect(i.obligations.filter((o) => o.state === 'cancelled')).toEqual([]);
      const open = i.obligations.filter((o) => o.state === 'pending').map((o) => o.ruleId);
      expect(open).toEqual(expect.arrayContaining(['O3.1', 'O3.2', 'OR.1', 'OR.2', 'OR.3']));
      await p.engine.act(id, { type: 'acknowledge' }, 'x'); // O3.1 is still open: it can be met after the close
      expect((await only()).obligations.find((o) => o.ruleId === 'O3.1')?.state).toBe('met');
      await expect(p.engine.act(id, { type: 'acknowledge' }, 'x')).rejects.toMatchObject({ status: 409, code: 'INCIDENT_CLOSED' });
      await expect(p.engine.act(id, { type: 'set_level', level: 'L1', reason: 'x' } as never, 'x', 'commander')).rejects.toMatchObject({ status: 409 });
    });
  });
}
