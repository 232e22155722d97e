import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DowntimeContext } from '../src/downtime/context.js';
import { startSession, moveSession, markStep, waive, openForClose } from '../src/downtime/sessions.js';
import { createBlock, issueNumbers, settleNumber, listBlocks } from '../src/downtime/numbers.js';
import { printForms, settleForm, createKit, kitSerial } from '../src/downtime/forms.js';
import { registerItem, enterItem, verifyItem, voidItem, chargeItem, setMiStatus, markMerged } from '../src/downtime/items.js';
import { reportTally } from '../src/downtime/tally.js';
import { incidentOverview, sessionDetail } from '../src/downtime/views.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`downtime domain on ${dialect}`, () => {
    let p: TestPlatform;
    let ctx: DowntimeContext;
    let incidentId: string;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      ctx = p.downtime;
      incidentId = await p.engine.openIncident({ title: 'HIS 数据库宕机', systems: [{ system: 'HIS', state: 'down' }] }, 'tech_oncall');
    });
    afterEach(async () => p.dispose());

    const close = (reason?: string) => p.engine.act(incidentId, { type: 'close', reason }, 'commander');

    it('proposes manual mode for every line that depends on a system that is down (through dependencies too)', async () => {
      const o = await incidentOverview(ctx, incidentId);
      const lines = new Set(o.proposals.map((x) => x.businessLine));
      expect([...lines].sort()).toEqual(['admission_discharge', 'charging', 'imaging', 'laboratory', 'mi_settlement', 'outpatient_doctor', 'pharmacy', 'registration', 'ward_nursing']);
      expect(o.proposals.find((x) => x.businessLine === 'mi_settlement')?.because).toEqual(['MI_SETTLEMENT']); // MI depends hard on HIS
      const db = await p.engine.openIncident({ title: 'storage', systems: [{ system: 'STORAGE', state: 'down' }] }, 'tech_oncall');
      const viaStorage = await incidentOverview(ctx, db);
      expect(viaStorage.proposals.some((x) => x.businessLine === 'imaging' && x.because.includes('PACS'))).toBe(true);
      await startSession(ctx, incidentId, { businessLine: 'registration', department: 'OPD_REG' }, 'liaison-a');
      const after = await incidentOverview(ctx, incidentId);
      expect(after.proposals.some((x) => x.businessLine === 'registration' && x.department === 'OPD_REG')).toBe(false);
      await expect(startSession(ctx, incidentId, { businessLine: 'registration', department: 'OPD_REG' }, 'x')).rejects.toMatchObject({ status: 409, code: 'SESSION_EXISTS' });
      await expect(startSession(ctx, incidentId, { businessLine: 'registration', department: 'LAB' }, 'x')).rejects.toMatchObject({ status: 400 });
    });

    it('runs a registration session from paper to reconciled, and the incident closes only then', async () => {
      const sid = await startSession(ctx, incidentId, { businessLine: 'registration', department: 'OPD_REG' }, 'liaison-a');
      const block = await createBlock(ctx, { kind: 'mrn', start: 1, end: 500, department: 'OPD_REG', window: '1号窗' }, 'admin');
      const numbers = await issueNumbers(ctx, block.id, { count: 20, sessionId: sid }, 'liaison-a');
      expect(numbers.map((n) => n.number)).toEqual(Array.from({ length: 20 }, (_, i) => `TM${String(i + 1).padStart(6, '0')}`));
      const { forms } = await printForms(ctx, { type: 'registration_slip', numbers: numbers.map((n) => n.id), sessionId: sid }, 'liaison-a');
      expect(forms).toHaveLength(20);
      expect(forms[0].serial).toMatch(/^RG-\d{6}$/);
      await markStep(ctx, sid, { step: 'reg.d1', done: true }, 'liaison-a');

      const blocked = await close().catch((e) => e);
      expect(blocked).toMatchObject({ status: 409, code: 'INCIDENT_CLOSE_BLOCKED' });
      expect(blocked.message).toMatch(/挂号\/Registration @ 门诊挂号收费处 \(OPD_REG\) is active \(0\/0 records verified, checks open: forms_vs_entries, temp_numbers_vs_ids\)/);

      await expect(moveSession(ctx, sid, 'recovery', 'liaison-a')).rejects.toMatchObject({ code: 'SYSTEM_STILL_DOWN' });
      await p.clock.advance(minutes(90));
      await p.engine.act(incidentId, { type: 'restore' }, 'tech_oncall');
      await moveSession(ctx, sid, 'recovery', 'liaison-a');
      await moveSession(ctx, sid, 'back_entry', 'liaison-a');

      const items = [];
      for (const f of forms) items.push(await registerItem(ctx, { serial: f.serial, eventAt: T0 + minutes(10) }, 'clerk-a'));
      await expect(registerItem(ctx, { serial: forms[0].serial }, 'clerk-a')).rejects.toMatchObject({ code: 'ALREADY_REGISTERED' });
      for (const [k, item] of items.entries()) await enterItem(ctx, item.id, { hospitalId: `P${1000 + k}` }, 'clerk-a');
      await expect(verifyItem(ctx, items[0].id, 'clerk-a')).rejects.toMatchObject({ code: 'SAME_PERSON' });
      await expect(moveSession(ctx, sid, 'reconciled', 'lead')).rejects.toMatchObject({ code: 'RECONCILIATION_OPEN' });
      for (const item of items) await verifyItem(ctx, item.id, 'clerk-b');

      const detail = await sessionDetail(ctx, sid);
      expect(detail.progress).toMatchObject({ total: 20, verified: 20, open: 0 });
      expect(detail.checks.every((c) => c.ok)).toBe(true);
      expect(detail.items[0]).toMatchObject({ lateEntry: true, overdueEntry: false, enteredBy: 'clerk-a', verifiedBy: 'clerk-b', eventAt: new Date(T0 + minutes(10)).toISOString() });
      expect(detail.mergeList).toHaveLength(20);
      await moveSession(ctx, sid, 'reconciled', 'lead');
      expect(await p.db.transaction().execute((trx) => openForClose(trx, ctx, incidentId))).toEqual([]);
      await close();
      expect((await p.incidents.get(incidentId)).state).toBe('closed');
      await expect(registerItem(ctx, { serial: 'RG-999999' }, 'x')).rejects.toMatchObject({ status: 404 });
    });

    it('reconciles receipts, tests, MI re-uploads and merges; voids and returns count as settled', async () => {
      const chg = await startSession(ctx, incidentId, { businessLine: 'charging', department: 'OPD_REG' }, 'a');
      const lab = await startSession(ctx, incidentId, { businessLine: 'laboratory', department: 'LAB' }, 'a');
      const reg = await startSession(ctx, incidentId, { businessLine: 'registration', department: 'ED_REG' }, 'a');
      const rBlock = await createBlock(ctx, { kind: 'receipt', start: 1, end: 100, department: 'OPD_REG' }, 'admin');
      const mBlock = await createBlock(ctx, { kind: 'mrn', start: 1001, end: 1100, department: 'ED_REG' }, 'admin');
      await expect(createBlock(ctx, { kind: 'mrn', start: 1050, end: 2000 }, 'admin')).rejects.toMatchObject({ code: 'RANGE_OVERLAPS' });
      const receipts = await issueNumbers(ctx, rBlock.id, { count: 3, sessionId: chg }, 'a');
      const mrns = await issueNumbers(ctx, mBlock.id, { count: 3, sessionId: reg }, 'a');
      await expect(issueNumbers(ctx, mBlock.id, { count: 1, sessionId: chg }, 'a')).rejects.toMatchObject({ code: 'BLOCK_DEPARTMENT' });
      await settleNumber(ctx, receipts[2].id, 'void', 'written wrong', 'a');
      await settleNumber(ctx, mrns[2].number, 'returned', undefined, 'a');
      await expect(settleNumber(ctx, mrns[2].id, 'void', 'again', 'a')).rejects.toMatchObject({ code: 'NUMBER_SETTLED' });
      const { forms: labForms } = await printForms(ctx, { type: 'lab_requisition', count: 2, sessionId: lab }, 'a');
      const { forms: logs } = await printForms(ctx, { type: 'activity_log', sessionId: lab }, 'a');

      await p.engine.act(incidentId, { type: 'restore' }, 'tech_oncall');
      for (const s of [chg, lab, reg]) {
        await moveSession(ctx, s, 'recovery', 'a');
        await moveSession(ctx, s, 'back_entry', 'a');
      }
      const r1 = await registerItem(ctx, { sessionId: chg, recordType: 'charge', tempNumber: receipts[0].number, eventAt: T0, mi: true }, 'a');
      const r2 = await registerItem(ctx, { sessionId: chg, recordType: 'charge', tempNumber: receipts[1].number, eventAt: T0 }, 'a');
      const l1 = await registerItem(ctx, { serial: labForms[0].serial, eventAt: T0 }, 'a');
      const l2 = await registerItem(ctx, { serial: labForms[1].serial, eventAt: T0 }, 'a');
      expect(l1).toMatchObject({ record_type: 'lab_order', charge_state: 'pending' });
      await expect(registerItem(ctx, { serial: logs[0].serial }, 'a')).rejects.toMatchObject({ code: 'FORM_NOT_A_RECORD' });
      const m1 = await registerItem(ctx, { sessionId: reg, recordType: 'registration', tempNumber: mrns[0].number, eventAt: T0 }, 'a');
      const m2 = await registerItem(ctx, { sessionId: reg, recordType: 'registration', tempNumber: mrns[1].number, eventAt: T0 }, 'a');
      await p.clock.advance(minutes(7 * 60));
      await enterItem(ctx, r1.id, { hospitalId: 'INV-1' }, 'a');
      await enterItem(ctx, r2.id, { hospitalId: 'INV-2' }, 'a');
      await enterItem(ctx, l1.id, { hospitalId: 'LAB-1', charged: true, chargeRef: 'C-1' }, 'a');
      await enterItem(ctx, l2.id, { hospitalId: 'LAB-2' }, 'a');
      await enterItem(ctx, m1.id, { hospitalId: 'P-77' }, 'a');
      await enterItem(ctx, m2.id, { hospitalId: 'P-77' }, 'a'); // the same person registered twice
      for (const i of [r1, r2, l1, l2, m1, m2]) await verifyItem(ctx, i.id, 'b');

      const view = async (id: string) => Object.fromEntries((await sessionDetail(ctx, id)).checks.map((c) => [c.id, c.discrepancies.map((d) => d.problem)]));
      expect(await view(chg)).toMatchObject({ receipts_vs_invoices: [], mi_reupload: ['mi_pending'] });
      expect(await view(lab)).toMatchObject({ tests_vs_charges: ['not_charged'], forms_vs_entries: ['not_filed'] });
      expect(await view(reg)).toMatchObject({ temp_numbers_vs_ids: ['merge_pending', 'merge_pending'] });
      const detail = await sessionDetail(ctx, chg);
      expect(detail.items.find((i) => i.id === r1.id)).toMatchObject({ overdueEntry: true, lateEntry: true });

      await setMiStatus(ctx, r1.id, 'uploaded', 'mi-office');
      await chargeItem(ctx, l2.id, { state: 'charged', ref: 'C-2' }, 'a');
      await settleForm(ctx, logs[0].serial, 'filed', undefined, 'a');
      await markMerged(ctx, m1.id, 'mpi');
      for (const s of [chg, lab, reg]) await moveSession(ctx, s, 'reconciled', 'lead');
      const o = await incidentOverview(ctx, incidentId);
      expect(o.openForClose).toEqual([]);
      expect(o.departments.find((d) => d.department === 'OPD_REG')).toMatchObject({ progress: { verified: 2, open: 0 }, checksOpen: 0 });

      // a late paper record re-opens a reconciled session
      await registerItem(ctx, { sessionId: reg, recordType: 'vital_signs', eventAt: T0 }, 'a');
      expect((await sessionDetail(ctx, reg)).state).toBe('back_entry');
      await expect(close()).rejects.toMatchObject({ code: 'INCIDENT_CLOSE_BLOCKED' });
      const v = await registerItem(ctx, { sessionId: reg, recordType: 'other', eventAt: T0 }, 'a');
      await voidItem(ctx, v.id, 'duplicate paper', 'a');
    });

    it('feeds per-department tallies into the incident grading as incident-wide sums', async () => {
      await reportTally(ctx, incidentId, { department: 'LAB', counts: { emergency: 10, outpatient: 20, critically_ill: 2 } }, 'liaison');
      await reportTally(ctx, incidentId, { department: 'ED', counts: { emergency: 15 } }, 'liaison');
      const sums = await reportTally(ctx, incidentId, { department: 'LAB', counts: { emergency: 12 } }, 'liaison');
      expect(sums).toEqual({ emergency: 27, outpatient: 20 });
      expect((await p.incidents.get(incidentId)).tallies).toEqual({ emergency: 27, outpatient: 20 });
      const o = await incidentOverview(ctx, incidentId);
      expect(o.departments.find((d) => d.department === 'LAB')?.tally).toMatchObject({ emergency: 12, outpatient: 20, critically_ill: 2 });
    });

    it('lets the HQ waive open sessions with a reason, then the incident closes', async () => {
      const sid = await startSession(ctx, incidentId, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' }, 'a');
      await printForms(ctx, { type: 'prescription', count: 1, sessionId: sid }, 'a'); // paper issued: only a waiver or back-entry lets it close
      await expect(close('false alarm')).rejects.toMatchObject({ code: 'INCIDENT_CLOSE_BLOCKED' });
      await expect(waive(ctx, incidentId, { reason: ' ' }, 'commander')).rejects.toMatchObject({ status: 400 });
      expect(await waive(ctx, incidentId, { reason: 'drill only, no paper used' }, 'commander')).toBe(1);
      await close('false alarm');
      const timeline = (await p.incidents.get(incidentId)).timeline.map((t) => t.kind);
      expect(timeline).toContain('downtime.waived');
      await expect(startSession(ctx, incidentId, { businessLine: 'pharmacy', department: 'IP_PHARMACY' }, 'a')).rejects.toMatchObject({ code: 'INCIDENT_CLOSED' });
    });

    it('reserves serials for offline kits and registers a kit serial on its first scan', async () => {
      const kit = await createKit(ctx, 'export', 'admin');
      expect(kit.code).toBe('K0001');
      const sid = await startSession(ctx, incidentId, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' }, 'a');
      const serial = kitSerial('prescription', kit.code, 3);
      expect(serial).toBe('RX-K0001-03');
      await expect(registerItem(ctx, { serial }, 'a')).rejects.toMatchObject({ status: 400 }); // which session?
      const item = await registerItem(ctx, { serial, sessionId: sid, eventAt: T0 }, 'a');
      expect(item).toMatchObject({ record_type: 'dispense', serial });
      await expect(registerItem(ctx, { serial: kitSerial('prescription', kit.code, 6), sessionId: sid }, 'a')).rejects.toMatchObject({ status: 404 });
    });

    it('never deletes: the database refuses DELETE on every downtime table', async () => {
      await createBlock(ctx, { kind: 'visit', start: 1, end: 10 }, 'admin');
      await expect(ctx.db.deleteFrom('downtime_number_blocks').execute()).rejects.toThrow(/never deleted/);
      await expect(ctx.db.deleteFrom('downtime_events').execute()).rejects.toThrow(/never deleted/);
      expect(await listBlocks(ctx)).toHaveLength(1);
    });
  });
}
