// The post-incident report (issue 16, deliverable 4, "Done when"): an incident driven through the engine on a virtual
// clock — opened by a red HIS alarm, acknowledged in time, on site late (a missed deadline, done afterwards), an
// obligation waived, manual mode with a number issued, L1 by the plan's rule after 2 h, restored, closed — is
// reviewed with a root cause and corrective actions. GET /incidents/:id/report.docx is read by an independent
// reader (Debian's python3-docx) and report.pdf by poppler's pdftotext: each holds the title, every level change
// with the rule that decided it, and every obligation's rule id with its outcome (met / missed +h:mm / waived /
// pending / ended), in Chinese by default and in English with ?lang=en.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlock, issueNumbers } from '../src/downtime/numbers.js';
import { startSession, waive } from '../src/downtime/sessions.js';
import { reportTally } from '../src/downtime/tally.js';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import type { IncidentView } from '../src/incidents/types.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const TITLE = 'HIS 数据库服务中断';
const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: TITLE, dedupKey: 'report-his' };

/** python3-docx: the document's paragraphs and its tables (rows of cell texts), as JSON. */
const DOCX_READER = `
import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({"paragraphs": [p.text for p in d.paragraphs], "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]}))
`;
/** Debian's python3 (python3-docx is a Debian package; a pyenv python3 first on PATH does not see it). */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
function readerMissing(): string | null {
  const py = spawnSync(PYTHON, ['-c', 'import docx'], { encoding: 'utf8' });
  if (py.status !== 0) return 'python3-docx is missing (apt-get install python3-docx)';
  if (spawnSync('pdftotext', ['-v']).error) return 'pdftotext is missing (apt-get install poppler-utils)';
  if (!fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium is missing (apt-get install chromium)';
  return null;
}
const missing = readerMissing();
if (missing) {
  if (process.env.CI) throw new Error(`the report test needs its independent readers in CI: ${missing}`);
  console.warn(`[skip] post-incident report files not checked: ${missing}`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-report-'));
function readDocx(body: Buffer): { paragraphs: string[]; tables: string[][][] } {
  const file = path.join(tmp, `r-${Math.random().toString(36).slice(2)}.docx`);
  fs.writeFileSync(file, body);
  return JSON.parse(execFileSync(PYTHON, ['-c', DOCX_READER, file], { encoding: 'utf8' }));
}
function readPdf(body: Buffer): string {
  const file = path.join(tmp, `r-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, body);
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Lateness as the report must write it: +h:mm, rounded up to the minute. */
const late = (ms: number) => {
  const m = Math.max(1, Math.ceil(ms / 60_000));
  return `+${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
};
const OUTCOME = {
  'zh-CN': { met: '按时完成', met_late: '逾期完成', missed: '超时未完成', waived: '豁免', pending: '进行中', ended: '已结束', cancelled: '已取消' },
  en: { met: 'met', met_late: 'met late', missed: 'missed', waived: 'waived', pending: 'pending', ended: 'ended', cancelled: 'cancelled' },
} as const;
/** What the report must say of an obligation, derived from the API's view of it. */
function expectedOutcome(o: IncidentView['obligations'][number], closedAt: number, lang: keyof typeof OUTCOME): string {
  const words = OUTCOME[lang];
  if (o.state === 'breached') {
    const due = Date.parse(o.dueAt!);
    const done = o.metAt ? Date.parse(o.metAt) : closedAt;
    return `${o.metAt ? words.met_late : words.missed} ${late(Math.max(o.lateMs ?? 0, done - due))}`;
  }
  return words[o.state as keyof typeof words];
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable).sequential(`post-incident report on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let id = '';
    let incident: IncidentView;
    let ownerId = '';

    const send = async (s: NormalisedSignal) => {
      await p.signals.append([{ ...s, at: new Date(p.clock.now()).toISOString() }]);
      await p.engine.processPending();
    };

    beforeAll(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: appExtensions });
      // 09:00 a red HIS alarm opens the incident (a provisional L2 under L1.a)
      await send(hisDown);
      id = (await p.incidents.list({ state: 'all' }))[0]!.id;
      // 09:03 the on-call technician acknowledges: O3.1 met in time
      await p.advance(minutes(3));
      await p.engine.act(id, { type: 'acknowledge' }, '张工', 'tech_oncall');
      // manual mode at registration, one temporary number issued, patients counted
      await p.advance(minutes(5));
      const sid = await startSession(p.downtime, id, { businessLine: 'registration', department: 'OPD_REG' }, '挂号组长');
      const block = await createBlock(p.downtime, { kind: 'mrn', start: 1, end: 50, department: 'OPD_REG' }, '挂号组长');
      await issueNumbers(p.downtime, block.id, { count: 1, sessionId: sid }, '挂号组长');
      await reportTally(p.downtime, id, { department: 'OPD_REG', counts: { outpatient: 12, critically_ill: 1 } }, '挂号组长');
      // 09:13 on-site deadline passes; 09:20 the engineer checks in: O3.2 missed, done 7 minutes late
      await p.advance(minutes(12));
      await p.engine.act(id, { type: 'check_in' }, '张工', 'tech_oncall');
      // the HQ waives one pending duty of L2
      const pendingL2 = (await p.incidents.get(id)).obligations.find((o) => o.ruleId.startsWith('O2.') && o.state === 'pending');
      expect(pendingL2, 'a pending L2 obligation to waive').toBeDefined();
      await p.engine.act(id, { type: 'waive', obligation: pendingL2!.ruleId, reason: '已电话报告' }, '赵院长', 'commander');
      // 11:00 + ε: L1 by L1.a, then restored, manual mode waived, closed
      await p.advance(2 * 3600_000 + 1 - minutes(20));
      await p.engine.act(id, { type: 'restore' }, '张工', 'tech_oncall');
      await send({ ...hisDown, status: 'resolved' });
      await waive(p.downtime, id, { reason: '演练结束后补录' }, '赵院长');
      await p.advance(minutes(10));
      await p.engine.act(id, { type: 'close', reason: '已恢复' }, '赵院长', 'commander');
      // the review is written after the close
      ownerId = (await p.people.store.create({ name: '李工程师', department: '信息中心' })).id;
      await p.postIncident.review.saveReview(id, { summary: '数据库主节点磁盘写满', rootCause: '归档日志未清理，磁盘写满导致数据库停止', lessons: '磁盘容量告警阈值过高' }, '赵院长');
      await p.postIncident.review.addAction(id, { title: '调整磁盘容量告警阈值', ownerPersonId: ownerId, due: '2026-03-20' }, '赵院长');
      incident = await p.incidents.get(id);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await p?.dispose();
    });

    it('the incident went through every kind of outcome, and both level rules', () => {
      expect(incident.state).toBe('closed');
      const states = new Set(incident.obligations.map((o) => o.state));
      for (const s of ['met', 'breached', 'waived']) expect(states).toContain(s);
      const o32 = incident.obligations.find((o) => o.ruleId === 'O3.2')!;
      expect(o32).toMatchObject({ state: 'breached', metBy: '张工' });
      expect(Date.parse(o32.metAt!) - Date.parse(o32.dueAt!)).toBe(minutes(7));
      expect(incident.levelHistory.map((h) => [h.level, h.rule])).toEqual(expect.arrayContaining([['L1', 'L1.a']]));
      expect(incident.levelHistory.length).toBeGreaterThanOrEqual(2);
    });

    it.skipIf(!!missing)('report.docx is Office Open XML that python3-docx reads: title, level history with rules, every obligation with its outcome', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.docx` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+\.docx"; filename\*=UTF-8''.+\.docx$/);
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toContain(TITLE);
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
      const doc = readDocx(res.rawPayload);
      const all = [...doc.paragraphs, ...doc.tables.flat(2)].join('\n');
      expect(all).toContain(TITLE);
      // Word shows the Chinese in an East Asian font
      const xml = execFileSync(
        'unzip',
        [
          '-p',
          path.join(
            tmp,
            fs
              .readdirSync(tmp)
              .filter((f) => f.endsWith('.docx'))
              .at(-1)!,
          ),
          'word/styles.xml',
        ],
        { encoding: 'utf8' },
      );
      expect(xml).toMatch(/w:eastAsia="SimSun"/);

      // every level change, with the rule that decided it, in one row
      const rows = doc.tables.flat();
      for (const h of incident.levelHistory) {
        const ruleSummary = p.plan.levels.flatMap((l) => l.criteria).find((c) => c.id === h.rule)?.summary.zh;
        expect(
          rows.some((r) => r[1]?.startsWith(h.level) && r[2]?.startsWith(h.rule) && (!ruleSummary || r[2].includes(ruleSummary))),
          `level ${h.level} by ${h.rule}`,
        ).toBe(true);
      }
      // an escalation's row says what it is: E3to2 fires when O3.3 is missed
      expect(incident.levelHistory.map((h) => h.rule)).toContain('E3to2');
      expect(rows.some((r) => r[2]?.startsWith('E3to2') && r[2].includes('升级规则：O3.3 超时'))).toBe(true);
      // every obligation: its rule id and its outcome (with lateness when missed)
      const closedAt = Date.parse(incident.closedAt!);
      const obligationRows = doc.tables.find((t) => t[0]?.[0] === '条款')!.slice(1);
      const said = obligationRows.map((r) => `${r[0]} ${r[4]!.split(' — ')[0]}`).sort();
      const expected = incident.obligations.map((o) => `${o.ruleId} ${expectedOutcome(o, closedAt, 'zh-CN')}`).sort();
      expect(said).toEqual(expected);
      expect(said).toContain('O3.2 逾期完成 +0:07');
      expect(said).toContain('O3.1 按时完成');
      // downtime figures, patients, the review and its action
      expect(rows.some((r) => r[0] === '合计' && r[1] === '1')).toBe(true); // one number issued
      expect(rows).toContainEqual(['门诊', '12']);
      expect(rows).toContainEqual(['危重', '1']);
      expect(all).toContain('归档日志未清理，磁盘写满导致数据库停止');
      expect(rows.some((r) => r[0] === '调整磁盘容量告警阈值' && r[1] === '李工程师' && r[2] === '2026-03-20')).toBe(true);
      // who did what: the people, not the engine
      expect(rows.some((r) => r[0] === '张工' && Number(r[1]) >= 3)).toBe(true);
      // the timeline is said in Chinese from kind + data, never the server's English message
      expect(all).not.toMatch(/done after its deadline|acknowledged by|incident closed/);
    });

    it.skipIf(!!missing)('?lang=en gives the same report in English', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.docx?lang=en` });
      expect(res.statusCode).toBe(200);
      const doc = readDocx(res.rawPayload);
      const closedAt = Date.parse(incident.closedAt!);
      const said = doc.tables
        .find((t) => t[0]?.[0] === 'Rule' && t[0]?.[1] === 'Duty')!
        .slice(1)
        .map((r) => `${r[0]} ${r[4]!.split(' — ')[0]}`)
        .sort();
      expect(said).toEqual(incident.obligations.map((o) => `${o.ruleId} ${expectedOutcome(o, closedAt, 'en')}`).sort());
      expect(said).toContain('O3.2 met late +0:07');
      expect(doc.paragraphs.join('\n')).toContain('Post-incident report');
      expect(res.headers['content-disposition']).toMatch(/filename="post-incident-report-/);
    });

    it.skipIf(!!missing)(
      'report.pdf is a PDF whose text (pdftotext) holds the same',
      async () => {
        const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.pdf` });
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.headers['content-disposition']).toMatch(/\.pdf$/);
        expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
        // pdftotext drops the space between Latin and Chinese text and breaks lines inside table cells: compare without whitespace
        const flat = (s: string) => s.replace(/\s+/g, '');
        const text = flat(readPdf(res.rawPayload));
        expect(text).toContain(flat(TITLE));
        for (const h of incident.levelHistory) {
          expect(text).toContain(h.rule);
          const summary = p.plan.levels.flatMap((l) => l.criteria).find((c) => c.id === h.rule)?.summary.zh;
          if (summary) expect(text).toContain(flat(`${h.rule} ${summary}`));
        }
        const closedAt = Date.parse(incident.closedAt!);
        for (const o of incident.obligations) {
          expect(text).toContain(o.ruleId);
          expect(text).toContain(flat(expectedOutcome(o, closedAt, 'zh-CN')));
        }
        expect(text).toContain('逾期完成+0:07');
      },
      60_000,
    );

    it('an unknown incident is a 404 problem, an unknown lang a 400 naming it', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/incidents/nope/report.docx' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().code).toBe('INCIDENT_NOT_FOUND');
      const bad = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.pdf?lang=fr` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('lang');
    });
  });
}

describe('without Chromium', () => {
  it('a PDF is refused 503 PDF_UNAVAILABLE in problem+json; the DOCX still works', async () => {
    const p = await testPlatform('sqlite');
    const { pdfPrinter } = await import('../src/reports/pdf.js');
    const { PostIncidentReports } = await import('../src/reports/post-incident/index.js');
    const { reviewRoutes } = await import('../src/reports/post-incident/routes.js');
    const reports = new PostIncidentReports({
      db: p.db,
      plan: p.plan,
      clock: p.clock,
      bus: p.bus,
      timezone: 'Asia/Shanghai',
      incidents: p.incidents,
      downtime: p.downtime,
      pdf: pdfPrinter({ executablePath: '/nonexistent/chromium' }),
    });
    const app = await buildApp(p, { logger: false, extensions: [(a) => reviewRoutes(a, { reports, db: p.db })] });
    try {
      const id = await p.engine.openIncident({ title: 'LIS 报告无法出具', systems: [{ system: 'LIS', state: 'down' }] }, 'tech_oncall');
      const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.pdf` });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().code).toBe('PDF_UNAVAILABLE');
      expect((await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/report.docx` })).statusCode).toBe(200);
    } finally {
      await app.close();
      await p.dispose();
    }
  });
});
