/**
 * Regulator reports as obligations (issue 16): the plan's `regulatory_reports` start as obligations when their
 * conditions come to hold — at opening or later (a level reached, a national grade recorded, a flag set, the incident
 * closed) — once per incident, with the plan's recipients and deadlines, and only a recorded submission of that very
 * report meets it. Real SQLite and PostgreSQL, the composed platform, a virtual clock.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentView } from '../src/incidents/types.js';
import { DEFAULT_PLAN_PATH, parsePlanText } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const HOUR = minutes(60);
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const miDown: NormalisedSignal = { source: 'zabbix', system: 'MI_SETTLEMENT', component: 'gateway', severity: 'red', status: 'firing', summary: '医保结算网关中断', dedupKey: 'zbx-mi-rr' };
const FILE = { name: '医保局报告.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 report as sent') };

const reports = (i: IncidentView) => i.obligations.filter((o) => o.ruleId.startsWith('RR.'));
const report = (i: IncidentView, ruleId: string) => i.obligations.find((o) => o.ruleId === ruleId);

/** The default plan, parsed again with one header change (the loader makes the report obligations from it). */
function planWith(change: (text: string) => string): Plan {
  const { plan, issues } = parsePlanText(change(readFileSync(DEFAULT_PLAN_PATH, 'utf8')), 'changed.yaml');
  if (!plan) throw new Error(JSON.stringify(issues));
  return plan;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`regulator reports as obligations (${dialect})`, () => {
    let p: TestPlatform;
    beforeEach(async () => {
      p = await testPlatform(dialect);
    });
    afterEach(async () => p?.dispose());

    const get = (id: string) => p.incidents.get(id);
    /** A staff report of an MI-settlement outage of one department (graded L3 by L3.a). */
    const openMiLocal = () => p.engine.openIncident({ title: '门诊医保结算失败', systems: [{ system: 'MI_SETTLEMENT', state: 'down' }], scope: 'department' }, '值班员');

    it('an L2 MI-settlement outage owes the MI bureau its report, due 2 h after detection, with the plan recipient and actor', async () => {
      await p.signals.append([{ ...miDown, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      const [summary] = await p.incidents.list();
      const i = await get(summary!.id);
      expect(i.level).toBe('L2'); // a hospital-wide red core alarm: L1.a armed, graded L2 (provisional)
      const rr = report(i, 'RR.mi');
      expect(rr, JSON.stringify(reports(i))).toMatchObject({ state: 'pending', actorRole: 'publicity_lead', dueAt: iso(T0 + 2 * HOUR) });
      expect(rr?.action?.zh).toContain('医保局');
      // nothing else a regulator is owed: no L1 (health commission), no national grade, no flag
      expect(reports(i).map((o) => o.ruleId)).toEqual(['RR.mi']);
      const listed = await p.regulators.list(i.id);
      expect(listed.reports).toMatchObject([{ ruleId: 'RR.mi', recipients: ['医保局/医保经办机构'], dueAt: iso(T0 + 2 * HOUR), state: 'pending', submissions: [] }]);
      // the deadline passes unmet: breached like any obligation
      await p.advance(2 * HOUR + 1000);
      expect(report(await get(i.id), 'RR.mi')?.state).toBe('breached');
    });

    it('an L3 on MI settlement owes nothing until the level reaches L2; then RR.mi starts, counted from detection', async () => {
      const id = await openMiLocal();
      let i = await get(id);
      expect(i.level).toBe('L3');
      expect(report(i, 'RR.mi')).toBeUndefined();
      await p.advance(minutes(30));
      i = await get(id);
      expect(i.level).toBe('L3');
      expect(report(i, 'RR.mi')).toBeUndefined();
      await p.advance(minutes(6)); // not restored 30 min after O3.1 fell due: E3to2 raises it to L2 (seed 三(二)1)
      i = await get(id);
      expect(i.level).toBe('L2');
      const rr = report(i, 'RR.mi');
      expect(rr).toMatchObject({ state: 'pending', dueAt: iso(T0 + 2 * HOUR) });
      expect(Date.parse(rr!.triggeredAt)).toBeGreaterThan(T0 + minutes(30));
      expect(i.obligations.filter((o) => o.ruleId === 'RR.mi')).toHaveLength(1);
    });

    it('a system added later starts it too; relapses and repeated re-checks never start a report twice', async () => {
      const id = await p.engine.openIncident({ title: 'HIS 局部故障', systems: [{ system: 'LIS', state: 'down' }], scope: 'department' }, '值班员');
      await p.engine.act(id, { type: 'set_level', level: 'L2', reason: '指挥部定为二级' } as never, '赵刚', 'commander');
      expect(report(await get(id), 'RR.mi')).toBeUndefined(); // L2, but MI settlement is not affected
      await p.advance(minutes(20));
      await p.engine.recordImpact(id, { systems: [{ system: 'MI_SETTLEMENT', state: 'down' }] }, '值班员');
      const rr = report(await get(id), 'RR.mi');
      expect(rr).toMatchObject({ state: 'pending', dueAt: iso(T0 + 2 * HOUR), triggeredAt: iso(T0 + minutes(20)) });
      await p.regulators.submit(id, 'RR.mi', { to: '医保局/医保经办机构', reference: '医保报〔2026〕1号', file: FILE }, '李明');
      // restored, then down again: a new outage re-arms the opening duties, never the report
      await p.engine.act(id, { type: 'restore' } as never, '张伟', 'tech_oncall');
      await p.advance(minutes(5));
      await p.engine.recordImpact(id, { systems: [{ system: 'MI_SETTLEMENT', state: 'down' }] }, '值班员');
      const i = await get(id);
      expect(i.outage).toBe(2);
      expect(i.obligations.filter((o) => o.ruleId === 'RR.mi')).toMatchObject([{ state: 'met' }]);
    });

    it('recording the submission meets that report only; the evidence action alone meets no report', async () => {
      await p.signals.append([{ ...miDown, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      const id = (await p.incidents.list())[0]!.id;
      await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '全院医保结算中断' } as never, '赵刚', 'commander');
      let i = await get(id);
      expect(reports(i).map((o) => o.ruleId)).toEqual(['RR.mi', 'RR.health']); // L1: the health commission too
      // the plan's evidence action, recorded the generic way, is refused: it would not say which report
      await expect(p.engine.act(id, { type: 'regulator_report_submitted' } as never, '李明', 'publicity_lead')).rejects.toMatchObject({
        status: 400,
        code: 'REGULATOR_REPORT_VIA_SUBMISSION',
        issues: [{ path: 'type' }],
      });
      i = await get(id);
      expect(reports(i).every((o) => o.state === 'pending')).toBe(true);
      await p.advance(minutes(40));
      const before = (await get(id)).obligations.filter((o) => !o.ruleId.startsWith('RR.'));
      await p.regulators.submit(id, 'RR.mi', { submittedAt: T0 + minutes(35), to: '市医保局', reference: 'YB-2026-0001', note: '电话通知后补交书面报告', file: FILE }, '李明');
      i = await get(id);
      expect(report(i, 'RR.mi')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(35)), metBy: '李明' });
      expect(report(i, 'RR.health')?.state).toBe('pending'); // shares the evidence, not met
      expect(i.obligations.filter((o) => !o.ruleId.startsWith('RR.'))).toEqual(before); // O1.4 and every other duty untouched
      const entry = i.timeline.find((e) => e.kind === 'regulator.report_submitted');
      expect(entry).toMatchObject({ actor: '李明', data: { obligation: 'RR.mi', to: '市医保局', reference: 'YB-2026-0001', submittedAt: T0 + minutes(35) } });
      const listed = await p.regulators.list(id);
      const mi = listed.reports.find((r) => r.ruleId === 'RR.mi')!;
      expect(mi.submissions).toMatchObject([
        { to: '市医保局', reference: 'YB-2026-0001', submittedBy: '李明', submittedAt: iso(T0 + minutes(35)), file: { name: FILE.name, size: FILE.bytes.length } },
      ]);
      const file = await p.regulators.file(id, mi.submissions[0]!.id);
      expect(file.bytes.equals(FILE.bytes)).toBe(true);
      expect(file.sha256).toBe(mi.submissions[0]!.file.sha256);
      // the record of what was sent is evidence: the database refuses to change or remove it (migration 024)
      const row = p.db.selectFrom('regulator_report_submissions');
      await expect(p.db.updateTable('regulator_report_submissions').set({ reference: 'YB-2026-9999' }).execute()).rejects.toThrow(/append-only/);
      await expect(p.db.deleteFrom('regulator_report_submissions').execute()).rejects.toThrow(/append-only/);
      expect((await row.select('reference').execute()).map((r) => r.reference)).toEqual(['YB-2026-0001']);
    });

    it('a report sent after its deadline is met late; one sent before it but recorded after the breach counts as met on time', async () => {
      await p.signals.append([{ ...miDown, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      const id = (await p.incidents.list())[0]!.id;
      await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '全院' } as never, '赵刚', 'commander');
      await p.advance(3 * HOUR);
      let i = await get(id);
      expect(report(i, 'RR.mi')?.state).toBe('breached');
      expect(report(i, 'RR.health')?.state).toBe('breached');
      await p.regulators.submit(id, 'RR.mi', { submittedAt: T0 + 90 * 60_000, to: '医保局', reference: 'A-1', file: FILE }, '李明');
      await p.regulators.submit(id, 'RR.health', { to: '卫健委', reference: 'B-1', file: FILE }, '李明');
      i = await get(id);
      expect(report(i, 'RR.mi')).toMatchObject({ state: 'met', metAt: iso(T0 + 90 * 60_000) });
      expect(report(i, 'RR.health')).toMatchObject({ state: 'breached', metAt: iso(T0 + 3 * HOUR) });
    });

    it('national grade 较大 recorded later starts the CAC report, due 4 h after detection; lowering the grade cancels nothing', async () => {
      const id = await openMiLocal();
      await p.advance(minutes(10));
      await p.engine.recordImpact(id, { nationalGrade: '一般' }, '赵刚');
      let i = await get(id);
      expect(i.nationalGrade).toEqual({ grade: '一般', at: iso(T0 + minutes(10)), by: '赵刚' });
      expect(report(i, 'RR.cac')).toBeUndefined();
      await p.advance(minutes(10));
      await p.engine.recordImpact(id, { nationalGrade: '较大' }, '赵刚');
      i = await get(id);
      expect(i.level).toBe('L3'); // the national grade is no hospital level
      expect(report(i, 'RR.cac')).toMatchObject({ state: 'pending', actorRole: 'deputy_commander', dueAt: iso(T0 + 4 * HOUR), triggeredAt: iso(T0 + minutes(20)) });
      expect((await p.regulators.list(id)).reports.find((r) => r.ruleId === 'RR.cac')?.recipients).toEqual(['属地省级网信部门']);
      await p.engine.recordImpact(id, { nationalGrade: '一般' }, '赵刚');
      i = await get(id);
      expect(i.nationalGrade?.grade).toBe('一般');
      expect(report(i, 'RR.cac')?.state).toBe('pending');
      expect(i.timeline.filter((e) => e.kind === 'impact.national_grade').map((e) => (e.data as { grade: string }).grade)).toEqual(['一般', '较大', '一般']);
      await expect(p.engine.recordImpact(id, { nationalGrade: '很大' }, '赵刚')).rejects.toMatchObject({ status: 400, issues: [{ path: 'nationalGrade' }] });
    });

    it('a flag starts the PIPL and police reports (ASAP, shown overdue after the plan’s overdue_after)', async () => {
      const id = await openMiLocal();
      await p.advance(minutes(15));
      await p.engine.recordImpact(id, { flags: ['data_leak_suspected', 'suspected_crime'] }, '赵刚');
      const i = await get(id);
      expect(report(i, 'RR.pipl')).toMatchObject({ dueAt: iso(T0 + DAY), state: 'pending' });
      expect(report(i, 'RR.police')).toMatchObject({ dueAt: iso(T0 + HOUR), state: 'pending' });
      const listed = await p.regulators.list(id);
      expect(listed.reports.find((r) => r.ruleId === 'RR.pipl')).toMatchObject({ asap: true, recipients: ['履行个人信息保护职责的部门', '受影响的个人'] });
    });

    it('closing owes the CAC summary 30 days after close, only where the CAC report applied; it is met on the closed incident', async () => {
      const graded = await openMiLocal();
      const plain = await p.engine.openIncident({ title: 'LIS 局部故障', systems: [{ system: 'LIS', state: 'down' }], scope: 'department' }, '值班员');
      await p.engine.recordImpact(graded, { nationalGrade: '重大' }, '赵刚');
      await p.regulators.submit(graded, 'RR.cac', { to: '属地省级网信部门', reference: '网信报〔2026〕7号', file: FILE }, '赵刚');
      for (const id of [graded, plain]) await p.engine.act(id, { type: 'restore' } as never, '张伟', 'tech_oncall');
      await p.advance(2 * HOUR);
      for (const id of [graded, plain]) await p.engine.act(id, { type: 'close' } as never, '赵刚', 'commander');
      const closedAt = T0 + 2 * HOUR;
      let i = await get(graded);
      expect(i.state).toBe('closed');
      expect(report(i, 'RR.cac.summary')).toMatchObject({ state: 'pending', dueAt: iso(closedAt + 30 * DAY), actorRole: 'deputy_commander' });
      expect(report(await get(plain), 'RR.cac.summary')).toBeUndefined();
      await p.advance(10 * DAY);
      await p.regulators.submit(graded, 'RR.cac.summary', { to: '属地省级网信部门', reference: '网信总结〔2026〕2号', file: FILE }, '赵刚');
      i = await get(graded);
      expect(report(i, 'RR.cac.summary')).toMatchObject({ state: 'met', metAt: iso(closedAt + 10 * DAY) });
      expect(report(i, 'RR.cac')?.state).toBe('met');
    });

    it('a hospital that is critical information infrastructure reports to CAC within 1 h, to the protection department and the police', async () => {
      await p.dispose();
      p = await testPlatform(
        dialect,
        planWith((t) => t.replace('hospital_is_cii: false', 'hospital_is_cii: true')),
      );
      const id = await openMiLocal();
      await p.engine.recordImpact(id, { nationalGrade: '较大' }, '赵刚');
      expect(report(await get(id), 'RR.cac')?.dueAt).toBe(iso(T0 + HOUR));
      expect((await p.regulators.list(id)).reports[0]).toMatchObject({ ruleId: 'RR.cac', recipients: ['保护工作部门', '公安机关'] });
    });
  });
}
