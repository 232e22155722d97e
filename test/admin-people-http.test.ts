/**
 * The people import as the admin screen uses it, over a real HTTP server: a dry run checks every row and writes
 * nothing (each bad row named by row, column, reason code and params), a confirmed import of the good rows writes
 * exactly those, and bad input is a problem+json naming the field, with nothing written.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Five people, two of them bad (row 3: mobile; row 5: no name), and a role row naming a bad person (row 3 of 角色). */
const roster = () =>
  workbook({
    人员: [
      ['工号', '姓名', '科室', '手机', '邮箱'],
      ['3001', '赵一', '信息科', '13800003001', 'zhao@h.example'],
      ['3002', '钱二', '信息科', '12345', ''],
      ['3003', '孙三', '网络组', '13800003003', ''],
      ['3004', '', '网络组', '13800003004', ''],
      ['3005', '李五', '网络组', '13800003005', 'not-an-address'],
    ],
    角色: [
      ['角色', '负责人', '替补'],
      ['tech_lead', '3001', '3003'],
      ['tech_oncall', '3003', '3002'],
    ],
  });

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`admin people import over HTTP on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let base: string;
    beforeAll(async () => {
      p = await testPlatform(dialect, undefined, { secret: 'test-secret-0123456789' });
      app = await buildApp(p, { logger: false, extensions: [routeSets.people] });
      base = await app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await p?.dispose();
    });

    const send = (method: string, path: string, body?: unknown, type = 'application/json') =>
      fetch(`${base}/api/v1${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': type },
        body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      });
    const names = async () => ((await (await send('GET', '/people?inactive=true')).json()) as { items: { name: string }[] }).items.map((x) => x.name).sort();
    const assignees = async () => p.db.selectFrom('role_assignees').select(['role', 'kind', 'person_id']).execute();

    it('a dry run lists every row, names each bad one (row, column, code, params) and writes nothing', async () => {
      const bytes = await roster();
      const res = await send('POST', '/people/import?dryRun=true', { filename: '值班名单.xlsx', content: bytes.toString('base64') });
      expect(res.status).toBe(200);
      const report = await res.json();
      expect(report.applied).toBe(false);
      expect(report.rows.map((r: { sheet: string; row: number }) => `${r.sheet}:${r.row}`)).toEqual(['人员:2', '人员:3', '人员:4', '人员:5', '人员:6', '角色:2', '角色:3']);
      const bad = report.rows.filter((r: { issues: unknown[] }) => r.issues.length > 0);
      expect(bad.map((r: { sheet: string; row: number; action: unknown }) => [r.sheet, r.row, r.action])).toEqual([
        ['人员', 3, null],
        ['人员', 5, null],
        ['人员', 6, null],
        ['角色', 3, null],
      ]);
      expect(report.errors).toEqual([
        expect.objectContaining({ sheet: '人员', row: 3, column: 'mobile', code: 'MOBILE_INVALID', params: { value: '12345' } }),
        expect.objectContaining({ sheet: '人员', row: 5, column: 'name', code: 'REQUIRED', params: {} }),
        expect.objectContaining({ sheet: '人员', row: 6, column: 'email', code: 'EMAIL_INVALID', params: { value: 'not-an-address' } }),
        expect.objectContaining({ sheet: '角色', row: 3, column: 'deputies', code: 'PERSON_UNKNOWN', params: { value: '3002' } }),
      ]);
      const good = report.rows.find((r: { row: number; sheet: string }) => r.sheet === '人员' && r.row === 2);
      expect(good).toMatchObject({ kind: 'people', action: 'create', cells: { employeeNo: '3001', name: '赵一', department: '信息科', mobile: '13800003001' }, issues: [] });
      expect(report.people).toEqual({ created: 2, updated: 0 });
      expect(await names()).toEqual([]);
      expect(await assignees()).toEqual([]);

      // the raw file as the body, dryRun=1: the same preview, still nothing written
      const raw = await send('POST', '/people/import?dryRun=1', bytes, XLSX);
      expect(raw.status).toBe(200);
      expect((await raw.json()).errors).toHaveLength(4);
      expect(await names()).toEqual([]);

      // a real import of a file with bad rows is refused whole
      const refused = await send('POST', '/people/import', { filename: '值班名单.xlsx', content: bytes.toString('base64') });
      expect(refused.status).toBe(422);
      expect(await names()).toEqual([]);
    });

    it('a confirmed import of the good rows writes exactly those (people and the role rows that name only them)', async () => {
      const bytes = await roster();
      const res = await send('POST', '/people/import?partial=true', { filename: '值班名单.xlsx', content: bytes.toString('base64') });
      expect(res.status).toBe(200);
      const report = await res.json();
      expect(report).toMatchObject({ applied: true, people: { created: 2, updated: 0 }, roles: 1 });
      expect(await names()).toEqual(['孙三', '赵一'].sort());
      const people = ((await (await send('GET', '/people')).json()) as { items: { id: string; employeeNo: string }[] }).items;
      const id = (no: string) => people.find((x) => x.employeeNo === no)!.id;
      expect((await assignees()).map((a) => [a.role, a.kind, a.person_id]).sort()).toEqual(
        [
          ['tech_lead', 'holder', id('3001')],
          ['tech_lead', 'deputy', id('3003')],
        ].sort(),
      );

      // a clean preview then a confirmed import: the same file again updates the same two people, nothing else
      const clean = await workbook({
        人员: [
          ['工号', '姓名', '手机'],
          ['3001', '赵一', '13800003001'],
          ['3003', '孙三', '13800003003'],
        ],
      });
      const preview = await (await send('POST', '/people/import?dryRun=true', { filename: 'clean.xlsx', content: clean.toString('base64') })).json();
      expect(preview).toMatchObject({ applied: false, errors: [], people: { created: 0, updated: 2 } });
      expect(preview.rows.map((r: { action: string }) => r.action)).toEqual(['update', 'update']);
      expect((await send('POST', '/people/import', { filename: 'clean.xlsx', content: clean.toString('base64') })).status).toBe(200);
      expect(await names()).toEqual(['孙三', '赵一'].sort());
    });

    it('bad input is a problem+json naming the field, and nothing is written', async () => {
      const before = await names();
      const expectProblem = async (res: Response, status: number, code: string, field: string) => {
        expect(res.status).toBe(status);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const body = await res.json();
        expect(body.code).toBe(code);
        expect(body.errors.map((e: { path: string }) => e.path)).toContain(field);
        return body;
      };
      await expectProblem(await send('POST', '/people', { name: '   ', mobile: '13800009999' }), 400, 'VALIDATION_FAILED', 'name');
      await expectProblem(await send('POST', '/people', { name: '周六', mobile: '12345' }), 400, 'VALIDATION_FAILED', 'mobile');
      await expectProblem(await send('POST', '/people', { name: '周六', email: 'nope' }), 400, 'VALIDATION_FAILED', 'email');
      await expectProblem(await send('POST', '/people/import?dryRun=true', { content: 'UEsDBA==' }), 400, 'VALIDATION_FAILED', 'filename');
      await expectProblem(await send('POST', '/people/import?dryRun=true', { filename: 'a.xlsx', content: 'not base64 at all!' }), 400, 'VALIDATION_FAILED', 'content');
      const corrupt = await expectProblem(
        await send('POST', '/people/import?dryRun=true', { filename: 'rota.xlsx', content: Buffer.from('PK\x03\x04 broken').toString('base64') }),
        400,
        'VALIDATION_FAILED',
        'body',
      );
      expect(corrupt.params).toEqual({ file: 'rota.xlsx' });
      await expectProblem(await send('PUT', '/roles/no_such_role/assignees', { holders: [], deputies: [] }), 400, 'ROLE_UNKNOWN', 'role');
      await expectProblem(await send('POST', '/oncall/rotations', { role: 'tech_oncall', startsOn: '2026-13-01', weekday: [] }), 400, 'VALIDATION_FAILED', 'weekday');
      expect(await names()).toEqual(before);
      expect(await p.db.selectFrom('rotations').select('id').execute()).toEqual([]);
    });
  });
}
