/**
 * The regulator-report API over the assembled app with sign-in on (app.inject): list, the DOCX draft read back by an
 * independent reader (python-docx), recording a submission (report.submit) that meets exactly that report, the file as
 * sent, and bad input answered 4xx problem+json naming the field with nothing stored. SQLite and PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import type { IncidentView } from '../src/incidents/types.js';
import { MAX_FILE_BYTES } from '../src/reports/regulators/index.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MI = { source: 'zabbix', system: 'MI_SETTLEMENT', component: 'gateway', severity: 'red', status: 'firing', summary: '医保结算网关中断', dedupKey: 'zbx-mi-http' };
const SENT = Buffer.from('%PDF-1.4\n关于医保结算中断的报告（已盖章扫描件）\n');

/** A python3 with python-docx (the CI image installs python3-docx), or undefined. */
const PYTHON = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import docx'], { encoding: 'utf8' }).status === 0);
const DOCX_READER = `
import docx, sys, json
d = docx.Document(sys.argv[1])
texts = [p.text for p in d.paragraphs]
for t in d.tables:
    for row in t.rows:
        texts.append(' | '.join(c.text for c in row.cells))
for s in d.sections:
    texts.extend(p.text for p in s.header.paragraphs)
print(json.dumps(texts, ensure_ascii=False))
`;
if (!PYTHON && process.env.CI === 'true') throw new Error('python3 with python-docx is required under CI (the DOCX is checked by an independent reader)');

function readDocx(bytes: Buffer): string[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-docx-')), 'draft.docx');
  fs.writeFileSync(file, bytes);
  const r = spawnSync(PYTHON!, ['-c', DOCX_READER, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python-docx could not read the draft: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`regulator-report API (${dialect})`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let publicity: string;
    let viewer: string;
    let incidentId: string;

    beforeAll(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      await p.auth.accounts.addUser({ username: 'li', password: 'correct horse battery staple', role: 'publicity', name: '李明' });
      publicity = (await p.auth.accounts.addToken({ name: 'publicity', role: 'publicity' })).value;
      viewer = (await p.auth.accounts.addToken({ name: 'viewer', role: 'viewer' })).value;
      // an L2 outage of MI settlement (a red hospital-wide alarm on a core system is graded L2 at once)
      await p.signals.append([{ ...MI, at: iso(p.clock.now()) } as never]);
      await p.engine.processPending();
      incidentId = (await p.incidents.list())[0]!.id;
      await p.engine.recordImpact(incidentId, { tally: { outpatient: 37, medical_insurance: 21 } }, '值班员');
      await p.advance(minutes(30));
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await p?.dispose();
    });

    const call = (token: string, method: InjectOptions['method'], url: string, payload?: unknown) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const base = () => `/api/v1/incidents/${incidentId}/regulator-reports`;
    const body = (extra: Record<string, unknown> = {}) => ({
      to: '医保局/医保经办机构',
      reference: '医保报〔2026〕3号',
      file: { name: '医保局报告.pdf', contentType: 'application/pdf', base64: SENT.toString('base64') },
      ...extra,
    });
    const stored = () => p.db.selectFrom('regulator_report_submissions').select('id').execute();
    const incident = async (): Promise<IncidentView> => (await call(viewer, 'GET', `/api/v1/incidents/${incidentId}`)).json();

    it('lists the report the incident owes, with recipients, deadline and state', async () => {
      const res = await call(viewer, 'GET', base());
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json();
      expect(list.nationalGrades).toEqual(['特别重大', '重大', '较大', '一般']);
      expect(list.reports).toMatchObject([{ ruleId: 'RR.mi', kind: 'initial', recipients: ['医保局/医保经办机构'], dueAt: iso(T0 + 2 * 3_600_000), state: 'pending', submissions: [] }]);
      expect(list.notStarted.map((r: { ruleId: string }) => r.ruleId)).toEqual(expect.arrayContaining(['RR.cac', 'RR.health']));
    });

    it.skipIf(!PYTHON)('prepares the draft as a DOCX that python-docx reads: the title, the recipient, the deadline, facts and what a person must fill in', async () => {
      const res = await call(viewer, 'GET', `${base()}/RR.mi/draft.docx`);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toContain('wordprocessingml');
      expect(res.headers['content-disposition']).toContain('RR.mi');
      const texts = readDocx(res.rawPayload);
      const all = texts.join('\n');
      const i = await incident();
      expect(all).toContain(i.title);
      expect(all).toContain('医保局/医保经办机构');
      expect(all).toContain('2026-03-02 11:00'); // detected 09:00 Beijing time + 2 h
      expect(all).toContain('2026-03-02 09:00'); // detected at
      expect(all).toContain('医保结算系统'); // the system, by its plan name
      expect(all).toContain('门诊 37 人');
      expect(all).toContain('L1.a'); // the rule that decided the level
      expect(all).toContain('【待填写】');
      expect(texts.some((t) => t.includes('草稿') && t.includes('Lifeline'))).toBe(true);
    });

    it('refuses bad input with 4xx problem+json naming the field, and stores nothing', async () => {
      const cases: [unknown, number, string][] = [
        [body({ submittedAt: iso(p.clock.now() + minutes(5)) }), 400, 'submittedAt'],
        [body({ submittedAt: iso(T0 - minutes(1)) }), 400, 'submittedAt'],
        [body({ submittedAt: 'yesterday' }), 400, 'submittedAt'],
        [body({ reference: undefined }), 400, 'reference'],
        [body({ reference: '   ' }), 400, 'reference'],
        [body({ reference: 'x'.repeat(101) }), 400, 'reference'],
        [body({ to: '' }), 400, 'to'],
        [body({ file: undefined }), 400, 'file'],
        [body({ file: { name: 'a.pdf', contentType: 'application/pdf', base64: '***' } }), 400, 'file.base64'],
      ];
      for (const [payload, status, field] of cases) {
        const res = await call(publicity, 'POST', `${base()}/RR.mi/submissions`, payload);
        expect(res.statusCode, `${field}: ${res.body}`).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
      }
      const oversize = Buffer.alloc(MAX_FILE_BYTES + 1, 7).toString('base64');
      const big = await call(publicity, 'POST', `${base()}/RR.mi/submissions`, body({ file: { name: 'big.pdf', contentType: 'application/pdf', base64: oversize } }));
      expect(big.statusCode, big.body.slice(0, 300)).toBe(400);
      expect(big.json().errors[0].path).toBe('file.base64');
      const unknown = await call(publicity, 'POST', `${base()}/RR.nope/submissions`, body());
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'REGULATOR_REPORT_NOT_FOUND', errors: [{ path: 'ruleId' }] });
      const notOwed = await call(publicity, 'POST', `${base()}/RR.cac/submissions`, body());
      expect(notOwed.statusCode).toBe(409);
      expect(notOwed.json().code).toBe('REGULATOR_REPORT_NOT_STARTED');
      expect((await call(publicity, 'POST', '/api/v1/incidents/inc_nope/regulator-reports/RR.mi/submissions', body())).statusCode).toBe(404);
      expect((await call(viewer, 'GET', '/api/v1/incidents/inc_nope/regulator-reports')).statusCode).toBe(404);
      expect((await call(viewer, 'GET', `${base()}/RR.nope/draft.docx`)).statusCode).toBe(404);
      expect((await call(viewer, 'GET', `${base()}/submissions/rrs_nope/file`)).statusCode).toBe(404);
      // without report.submit
      const forbidden = await call(viewer, 'POST', `${base()}/RR.mi/submissions`, body());
      expect(forbidden.statusCode).toBe(403);
      expect(await stored()).toEqual([]);
      expect((await incident()).obligations.find((o) => o.ruleId === 'RR.mi')?.state).toBe('pending');
    }, 60_000);

    it('recording the submission meets RR.mi only, as the signed-in person; the file comes back as sent', async () => {
      const before = (await incident()).obligations.filter((o) => o.ruleId !== 'RR.mi');
      const at = T0 + minutes(25);
      // signed in as a person of the publicity group: the submitter is that person, whatever a body might claim
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li', password: 'correct horse battery staple' } });
      expect(login.statusCode, login.body).toBe(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const res = await app.inject({
        method: 'POST',
        url: `${base()}/RR.mi/submissions`,
        headers: { cookie, 'x-csrf-token': login.json().csrfToken },
        payload: body({ submittedAt: iso(at), note: '先电话报告，后补书面' }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const saved = res.json();
      expect(saved).toMatchObject({
        ruleId: 'RR.mi',
        submittedAt: iso(at),
        submittedBy: '李明',
        to: '医保局/医保经办机构',
        reference: '医保报〔2026〕3号',
        file: { name: '医保局报告.pdf', contentType: 'application/pdf', size: SENT.length, sha256: createHash('sha256').update(SENT).digest('hex') },
      });
      const i = await incident();
      expect(i.obligations.find((o) => o.ruleId === 'RR.mi')).toMatchObject({ state: 'met', metAt: iso(at), metBy: '李明' });
      expect(i.obligations.filter((o) => o.ruleId !== 'RR.mi')).toEqual(before);
      expect(i.timeline.find((e) => e.kind === 'regulator.report_submitted')).toMatchObject({ actor: '李明', data: { obligation: 'RR.mi', reference: '医保报〔2026〕3号' } });
      const file = await call(viewer, 'GET', `${base()}/submissions/${saved.id}/file`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toContain('application/pdf');
      expect(file.rawPayload.equals(SENT)).toBe(true);
      const list = (await call(viewer, 'GET', base())).json();
      expect(list.reports[0]).toMatchObject({ state: 'met', submissions: [{ id: saved.id, reference: '医保报〔2026〕3号' }] });
    });

    it('records the national grade through the impact API; 较大 starts the CAC report', async () => {
      const admin = (await p.auth.accounts.addToken({ name: 'admin', role: 'admin' })).value;
      const wrong = await call(admin, 'POST', `/api/v1/incidents/${incidentId}/impact`, { nationalGrade: '不存在' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors[0].path).toBe('nationalGrade');
      const ok = await call(admin, 'POST', `/api/v1/incidents/${incidentId}/impact`, { nationalGrade: '较大' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().nationalGrade).toMatchObject({ grade: '较大' });
      const list = (await call(viewer, 'GET', base())).json();
      expect(list.reports.map((r: { ruleId: string }) => r.ruleId)).toEqual(['RR.mi', 'RR.cac']);
      expect(list.reports[1]).toMatchObject({ dueAt: iso(T0 + 4 * 3_600_000), recipients: ['属地省级网信部门'] });
    });
  });
}
