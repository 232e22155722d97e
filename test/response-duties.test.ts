/**
 * The response duties are one thing wherever a person meets them (issue 14): a checklist item that stands for an
 * obligation is that obligation, a department's manual mode started or every MI record re-uploaded meets the plan's
 * duty through the evidence it records (plan `recorded_by`), and closing an incident cancels nothing silently.
 * Real SQLite and PostgreSQL, virtual clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMiStatus, registerItem } from '../src/downtime/items.js';
import { startSession } from '../src/downtime/sessions.js';
import type { IncidentView } from '../src/incidents/types.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const iso = (ms: number) => new Date(ms).toISOString();
const lisDown: NormalisedSignal = {
  source: 'zabbix',
  system: 'LIS',
  component: 'report-service',
  severity: 'orange',
  status: 'firing',
  summary: 'LIS报告服务中断',
  dedupKey: 'zbx-lis-duties',
  labels: { scope: 'department' },
};
const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS数据库服务中断', dedupKey: 'zbx-his-duties' };

/** The first instance of a duty in the incident (no relapse in these tests). */
const duty = (incident: IncidentView, ruleId: string) => {
  const found = incident.obligations.find((o) => o.ruleId === ruleId && o.sequence === 0);
  if (!found) throw new Error(`no obligation ${ruleId} on ${incident.id}: ${incident.obligations.map((o) => o.ruleId).join(' ')}`);
  return found;
};

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`response duties (${dialect})`, () => {
    let p: TestPlatform;
    beforeEach(async () => {
      p = await testPlatform(dialect);
    });
    afterEach(async () => p.dispose());

    const open = async (signal: NormalisedSignal): Promise<string> => {
      await p.signals.append([{ ...signal, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      const all = await p.incidents.list({ state: 'all' });
      const found = all.find((i) => i.systems.some((s) => s.system === signal.system));
      if (!found) throw new Error(`no incident for ${signal.system}`);
      return found.id;
    };
    const get = (id: string) => p.incidents.get(id);
    const item = async (id: string, itemId: string) => {
      const { groups } = await p.checklists.list(id);
      const found = groups.flatMap((g) => g.items).find((i) => i.itemId === itemId);
      if (!found) throw new Error(`no checklist item ${itemId}`);
      return found;
    };

    describe('a checklist item that stands for an obligation is that obligation', () => {
      it('T3.1 shows O3.1 due time; acknowledging through the engine ticks it with O3.1 met time', async () => {
        const id = await open(lisDown);
        const before = await item(id, 'T3.1');
        expect(before.obligation).toMatchObject({ ruleId: 'O3.1', state: 'pending', dueAt: iso(T0 + minutes(5)) });
        expect(before.dueAt).toBe(iso(T0 + minutes(5)));
        expect(before.doneAt).toBeNull();

        await p.advance(minutes(3));
        await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
        const o31 = duty(await get(id), 'O3.1');
        expect(o31).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(3)) });
        const after = await item(id, 'T3.1');
        expect(after.doneAt).toBe(o31.metAt);
        expect(after.doneBy).toBe(o31.metBy);
        expect(after.obligation).toMatchObject({ ruleId: 'O3.1', state: 'met' });
      });

      it('ticking T3.3 records restore: O3.3 met, the incident recovering', async () => {
        const id = await open(lisDown);
        await p.advance(minutes(2));
        await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
        await p.advance(minutes(10));
        const ticked = await p.checklists.change(id, 'T3.3', { done: true }, '张工', 'tech_oncall');
        expect(ticked).toMatchObject({ doneAt: iso(T0 + minutes(12)), obligation: { ruleId: 'O3.3', state: 'met' } });
        const incident = await get(id);
        expect(duty(incident, 'O3.3')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(12)), metBy: '张工' });
        expect(incident.state).toBe('recovering');
        expect(incident.timeline.some((t) => t.kind === 'action.restore' && t.actor === '张工')).toBe(true);
      });

      it('unticking an item whose obligation is met is refused (CHECKLIST_OBLIGATION_MET); the duty stays met', async () => {
        const id = await open(lisDown);
        await p.advance(minutes(1));
        await p.checklists.change(id, 'T3.1', { done: true }, '值班', 'monitoring_post');
        expect(duty(await get(id), 'O3.1').state).toBe('met');
        await expect(p.checklists.change(id, 'T3.1', { done: false }, '值班', 'monitoring_post')).rejects.toMatchObject({ status: 409, code: 'CHECKLIST_OBLIGATION_MET' });
        expect(duty(await get(id), 'O3.1')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(1)) });
        expect((await item(id, 'T3.1')).doneAt).toBe(iso(T0 + minutes(1)));
      });

      it('T2.1 is O2.1, evidence by tech_lead only: the on-duty engineer is refused (CHECKLIST_OBLIGATION_ROLE), the lead is not', async () => {
        const id = await open(hisDown); // red HIS, scope assumed hospital-wide: provisional L2 at once
        expect((await get(id)).level).toBe('L2');
        await p.advance(minutes(4));
        await expect(p.checklists.change(id, 'T2.1', { done: true }, '张工', 'tech_oncall')).rejects.toMatchObject({ status: 403, code: 'CHECKLIST_OBLIGATION_ROLE' });
        expect(duty(await get(id), 'O2.1').state).toBe('pending');
        expect((await item(id, 'T2.1')).doneAt).toBeNull();
        await p.checklists.change(id, 'T2.1', { done: true }, '李主任', 'tech_lead');
        expect(duty(await get(id), 'O2.1')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(4)) });
      });
    });

    describe('manual mode records the duties it fulfils', () => {
      it('starting a manual-mode session for an L2 incident meets O2.3 (recorded_by downtime.session_started)', async () => {
        const id = await open(hisDown);
        expect(duty(await get(id), 'O2.3').state).toBe('pending');
        await p.advance(minutes(6));
        await startSession(p.downtime, id, { businessLine: 'registration', department: 'OPD_REG' }, '门诊部联络人');
        const o23 = duty(await get(id), 'O2.3');
        expect(o23).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(6)) });
        await p.advance(minutes(20)); // past O2.3's 15 minutes: still met, never breached
        expect(duty(await get(id), 'O2.3').state).toBe('met');
      });

      it('every MI record uploaded meets OR.3; one still pending does not', async () => {
        const id = await open(hisDown);
        const session = await startSession(p.downtime, id, { businessLine: 'charging', department: 'OPD_REG' }, 'a');
        await p.advance(minutes(20));
        await p.engine.act(id, { type: 'restore' }, 'tech_oncall', 'tech_oncall');
        const recovering = await get(id);
        expect(duty(recovering, 'OR.3').state).toBe('pending');
        const r1 = await registerItem(p.downtime, { sessionId: session, recordType: 'charge', eventAt: T0 + minutes(5), mi: true }, 'a');
        const r2 = await registerItem(p.downtime, { sessionId: session, recordType: 'charge', eventAt: T0 + minutes(6), mi: true }, 'a');
        await p.advance(minutes(30));
        await setMiStatus(p.downtime, r1.id, 'uploaded', 'mi-office');
        expect(duty(await get(id), 'OR.3').state).toBe('pending');
        await p.advance(minutes(5));
        await setMiStatus(p.downtime, r2.id, 'uploaded', 'mi-office');
        expect(duty(await get(id), 'OR.3')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(55)) });
      });
    });

    describe('closing cancels nothing silently', () => {
      it('closing a recovering incident leaves OR.2 pending, and it can still be met after close', async () => {
        const id = await open(hisDown);
        await p.advance(minutes(2));
        await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
        await p.advance(minutes(10));
        await p.signals.append([{ ...hisDown, status: 'resolved', summary: 'HIS数据库恢复', at: iso(p.clock.now()) }]);
        await p.engine.processPending();
        expect((await get(id)).state).toBe('recovering');
        await p.advance(minutes(8)); // closed at 20m, before O2.5's first briefing falls due (30m)
        await p.engine.act(id, { type: 'close' }, 'commander', 'commander');
        const closed = await get(id);
        expect(closed.state).toBe('closed');
        expect(duty(closed, 'OR.2')).toMatchObject({ state: 'pending', dueAt: iso(T0 + minutes(12) + 24 * 60 * minutes(1)) });
        expect(closed.obligations.some((o) => o.state === 'cancelled')).toBe(false);
        expect(duty(closed, 'O2.5')).toMatchObject({ state: 'ended', reason: 'incident closed' }); // the cadence ends with the incident
        expect(duty(closed, 'OR.1').state).toBe('pending'); // no deadline, still open
        await p.advance(minutes(60));
        await p.engine.act(id, { type: 'reconciliation_signed_off' }, '医务科', 'coordination_lead');
        const after = await get(id);
        expect(after.state).toBe('closed');
        expect(duty(after, 'O2.5').state).toBe('ended'); // an ended cadence is never breached later
        expect(duty(after, 'OR.2')).toMatchObject({ state: 'met', metAt: iso(T0 + minutes(80)) });
      });

      it('closing a responding incident with a reason waives O3.x with that reason; cadence O2.5 ends', async () => {
        const id = await open(hisDown);
        await p.advance(minutes(1));
        await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
        await p.advance(minutes(3));
        await expect(p.engine.act(id, { type: 'close' }, 'commander', 'commander')).rejects.toMatchObject({ status: 400 });
        await p.engine.act(id, { type: 'close', reason: '误报：监控探针故障' }, 'commander', 'commander');
        const closed = await get(id);
        expect(closed.state).toBe('closed');
        expect(duty(closed, 'O3.1').state).toBe('met'); // already met: stays met
        expect(duty(closed, 'O3.2')).toMatchObject({ state: 'waived', reason: '误报：监控探针故障' });
        expect(duty(closed, 'O3.3')).toMatchObject({ state: 'waived', reason: '误报：监控探针故障' });
        expect(duty(closed, 'O2.5').state).toBe('ended');
        expect(closed.obligations.some((o) => o.state === 'cancelled')).toBe(false);
        expect(closed.timeline.some((t) => t.kind === 'obligation.ended')).toBe(true);
        await p.advance(minutes(60)); // nothing waived or ended is breached later
        const later = await get(id);
        expect(duty(later, 'O3.3').state).toBe('waived');
        expect(later.obligations.filter((o) => o.ruleId === 'O2.5').map((o) => o.state)).toEqual(['ended']);
      });
    });
  });
}
