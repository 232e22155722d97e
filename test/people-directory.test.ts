import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, testPlatform, type TestPlatform } from './support/platform.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sample = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`people, roles and duty rosters on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    const routes: { method: string; url: string; config: Record<string, unknown> }[] = [];
    beforeEach(async () => {
      routes.length = 0;
      p = await testPlatform(dialect, undefined, { secret: 'test-secret-0123456789' });
      app = await buildApp(p, {
        logger: false,
        extensions: [
          async (a) => void a.addHook('onRoute', (r) => void routes.push({ method: String(r.method), url: r.url, config: (r.config ?? {}) as Record<string, unknown> })),
          routeSets.people,
          routeSets.paging,
        ],
      });
      await app.ready();
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });
    const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method, url, payload: body as never, headers });
    const importFile = (bytes: Buffer, query = '', type = XLSX) => inject('POST', `/api/v1/people/import${query}`, bytes, { 'content-type': type });

    it('imports the sample .xlsx (people, role holders with deputies, a week of 08:00 duty) and says who is on duty', async () => {
      const res = await importFile(sample);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ applied: true, people: { created: 10, updated: 0 }, roles: 7, shifts: 7, errors: [] });
      const now = (await inject('GET', '/api/v1/oncall/now')).json().items as {
        role: string;
        roleName: { zh: string };
        person: { name: string } | null;
        until: string | null;
        deputies: { name: string }[];
      }[];
      const holder = (role: string) => now.find((i) => i.role === role)!;
      expect(holder('tech_oncall')).toMatchObject({ person: { name: '张伟' }, until: '2026-03-03T00:00:00.000Z', roleName: { zh: '技术保障组值班人员' } });
      expect(holder('tech_oncall').deputies.map((d) => d.name)).toEqual(['陈静', '杨明']);
      expect(holder('commander')).toMatchObject({ person: { name: '赵刚' }, until: null });
      expect(holder('tech_lead').person?.name).toBe('陈静');
      expect(holder('hq_member').person).toBeNull();

      // Wednesday 07:59 is still Tuesday's duty; 08:00 hands over to Wednesday's
      const who = async (at: string) => (await inject('GET', `/api/v1/oncall/who?role=tech_oncall&at=${encodeURIComponent(at)}`)).json();
      expect((await who('2026-03-04T07:59:00+08:00')).people[0].name).toBe('李娜');
      expect((await who('2026-03-04T08:00:00+08:00')).people[0].name).toBe('王强');
      expect(await who('2026-03-04T08:00:00+08:00')).toMatchObject({ source: 'shift', until: '2026-03-05T00:00:00.000Z' });

      // Importing the same file again changes nothing but updates
      expect((await importFile(sample)).json()).toMatchObject({ applied: true, people: { created: 0, updated: 10 } });
      expect((await inject('GET', '/api/v1/people')).json().items).toHaveLength(10);
      const sched = (await inject('GET', `/api/v1/oncall/schedule?role=tech_oncall&from=${encodeURIComponent('2026-03-02T08:00:00+08:00')}&days=7`)).json().items;
      expect(sched.map((s: { people: { name: string }[] }) => s.people[0]?.name)).toEqual(['张伟', '李娜', '王强', '刘洋', '张伟', '李娜', '王强']);
    });

    it('reports row-level errors and writes nothing, unless partial import is asked for', async () => {
      const bad = await workbook({
        人员: [
          ['工号', '姓名', '手机', '邮箱'],
          ['2001', '甲', '13800001111', 'a@h.example'],
          ['2002', '', '13800001112', ''],
          ['2003', '乙', '1234', ''],
          ['2001', '丙', '13800001113', ''],
          ['2004', '丁', '13800001114', 'not-an-email'],
        ],
        角色: [
          ['角色', '负责人', '替补'],
          ['总经理', '2001', ''],
          ['tech_lead', '2001', '9999'],
        ],
        值班表: [
          ['日期', '值班人'],
          ['2026-03-02', '甲'],
          ['2026/3/3', '无名氏'],
          ['明天', '甲'],
          ['2026-03-02', '甲'],
        ],
      });
      const res = await importFile(bad);
      expect(res.statusCode).toBe(422);
      const report = res.json();
      expect(report.applied).toBe(false);
      expect(report.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sheet: '人员', row: 3, field: '姓名', message: 'required', code: 'REQUIRED' }),
          expect.objectContaining({ sheet: '人员', row: 4, field: '手机', message: expect.stringMatching(/1234 is not a mobile number/), code: 'MOBILE_INVALID' }),
          expect.objectContaining({ sheet: '人员', row: 5, field: '工号', message: 'duplicate of row 2', code: 'DUPLICATE_IN_FILE' }),
          expect.objectContaining({ sheet: '人员', row: 6, field: '邮箱', message: expect.stringMatching(/not an e-mail/), code: 'EMAIL_INVALID' }),
          expect.objectContaining({ sheet: '角色', row: 2, field: '角色', message: '总经理 is not a role of the plan', code: 'ROLE_UNKNOWN' }),
          expect.objectContaining({ sheet: '角色', row: 3, field: '替补', message: '9999: no such person (工号 or 姓名)', code: 'PERSON_UNKNOWN' }),
          expect.objectContaining({ sheet: '值班表', row: 3, field: '值班人', message: '无名氏: no such person (工号 or 姓名)', code: 'PERSON_UNKNOWN' }),
          expect.objectContaining({ sheet: '值班表', row: 4, field: '日期', message: '明天 is not a date (2026-03-02)', code: 'DATE_INVALID' }),
          expect.objectContaining({ sheet: '值班表', row: 5, field: '日期', message: expect.stringMatching(/already given in row 2/), code: 'SHIFT_DUPLICATE' }),
        ]),
      );
      expect((await inject('GET', '/api/v1/people')).json().items).toHaveLength(0);

      const partial = (await importFile(bad, '?partial=true')).json();
      expect(partial).toMatchObject({ applied: true, people: { created: 1 }, shifts: 1 });
      expect((await inject('GET', '/api/v1/people')).json().items.map((x: { name: string }) => x.name)).toEqual(['甲']);
    });

    it('imports CSV in UTF-8 (with BOM) or in GB18030 as Excel saves it on Chinese Windows', async () => {
      const csv = '工号,姓名,科室,手机\r\n3001,"欧阳, 娜娜",急诊科,138-0000-3001\r\n3002,钱多多,检验科,+8613800003002\r\n';
      const utf8 = await importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), '?filename=people.csv', 'text/csv');
      expect(utf8.json()).toMatchObject({ applied: true, people: { created: 2 } });
      const gbk = Buffer.from([
        0xb9,
        0xa4,
        0xba,
        0xc5,
        0x2c,
        0xd0,
        0xd5,
        0xc3,
        0xfb,
        0x0d,
        0x0a, // 工号,姓名
        0x33,
        0x30,
        0x30,
        0x33,
        0x2c,
        0xd5,
        0xc5,
        0xc8,
        0xfd,
        0x0d,
        0x0a, // 3003,张三
      ]);
      expect((await importFile(gbk, '', 'text/csv')).json()).toMatchObject({ applied: true, people: { created: 1 } });
      const names = (await inject('GET', '/api/v1/people')).json().items.map((x: { name: string; mobile: string }) => `${x.name}:${x.mobile ?? ''}`);
      expect(names.sort()).toEqual(['张三:', '欧阳, 娜娜:13800003001', '钱多多:+8613800003002'].sort());
    });

    it('edits people over the API, validates at the boundary, and deactivates instead of deleting', async () => {
      const created = await inject('POST', '/api/v1/people', { name: '赵敏', employeeNo: '4001', department: '信息中心', mobile: '138 0000 4001', wecomUserId: 'ZhaoMin', channels: ['wecom'] });
      expect(created.statusCode).toBe(201);
      const person = created.json();
      expect(person).toMatchObject({ name: '赵敏', mobile: '13800004001', active: true, channels: ['wecom'] });
      const bad = await inject('POST', '/api/v1/people', { name: '钱', mobile: '12345', email: 'x' });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
      ).toEqual(['email', 'mobile']);
      expect((await inject('POST', '/api/v1/people', { name: '孙', employeeNo: '4001' })).json()).toMatchObject({ status: 409, code: 'EMPLOYEE_NO_TAKEN' });
      expect((await inject('PATCH', `/api/v1/people/${person.id}`, { title: '工程师', email: 'zm@h.example' })).json()).toMatchObject({ title: '工程师', email: 'zm@h.example', name: '赵敏' });
      await inject('PUT', '/api/v1/roles/tech_lead/assignees', { holders: [person.id], deputies: [] });
      expect((await inject('GET', '/api/v1/roles')).json().items.find((r: { role: string }) => r.role === 'tech_lead').holders).toEqual([{ id: person.id, name: '赵敏' }]);
      expect((await inject('DELETE', `/api/v1/people/${person.id}`)).json()).toMatchObject({ active: false });
      expect((await inject('GET', '/api/v1/people')).json().items).toHaveLength(0);
      expect((await inject('GET', '/api/v1/people?inactive=true')).json().items).toHaveLength(1);
      expect((await inject('GET', '/api/v1/roles')).json().items.find((r: { role: string }) => r.role === 'tech_lead').holders).toEqual([]);
      expect((await inject('PUT', '/api/v1/roles/boss/assignees', { holders: [] })).json()).toMatchObject({ status: 400, code: 'ROLE_UNKNOWN' });
      expect((await inject('GET', '/api/v1/people/per_nope')).statusCode).toBe(404);
    });

    it('rotations with weekday/weekend/holiday lists, swaps, overrides, gap warnings and an iCalendar feed', async () => {
      const ids: Record<string, string> = {};
      for (const name of ['甲', '乙', '丙', '丁', '戊']) ids[name] = (await inject('POST', '/api/v1/people', { name })).json().id;
      const rot = await inject('POST', '/api/v1/oncall/rotations', { role: 'tech_oncall', startsOn: '2026-03-02', weekday: [ids.甲, ids.乙, ids.丙], weekend: [ids.丁], holiday: [ids.戊] });
      expect(rot.statusCode).toBe(201);
      await inject('PUT', '/api/v1/oncall/calendar', { days: [{ day: '2026-03-04', kind: 'holiday', name: '测试假日' }] });
      const week = async () =>
        (await inject('GET', `/api/v1/oncall/schedule?role=tech_oncall&from=${encodeURIComponent('2026-03-02T08:00:00+08:00')}&days=7`))
          .json()
          .items.map((s: { people: { name: string }[] }) => s.people[0]?.name);
      expect(await week()).toEqual(['甲', '乙', '戊', '丙', '甲', '丁', '丁']);
      const swap = await inject('POST', '/api/v1/oncall/swaps', { role: 'tech_oncall', a: '2026-03-02', b: '2026-03-03', reason: '家中有事' });
      expect(swap.statusCode).toBe(201);
      expect(await week()).toEqual(['乙', '甲', '戊', '丙', '甲', '丁', '丁']);
      const cover = await inject('POST', '/api/v1/oncall/overrides', {
        role: 'tech_oncall',
        personId: ids.丙,
        startsAt: '2026-03-02T12:00:00+08:00',
        endsAt: '2026-03-02T14:00:00+08:00',
        reason: '临时替班',
      });
      expect(cover.statusCode).toBe(201);
      expect((await inject('GET', `/api/v1/oncall/who?role=tech_oncall&at=${encodeURIComponent('2026-03-02T13:00:00+08:00')}`)).json()).toMatchObject({
        people: [{ name: '丙' }],
        source: 'override',
        until: '2026-03-02T06:00:00.000Z',
      });
      expect((await inject('DELETE', `/api/v1/oncall/overrides/${cover.json().id}`)).statusCode).toBe(204);

      // 丁 leaves: the weekend shifts have only an inactive person; every other paged role has nobody
      await inject('DELETE', `/api/v1/people/${ids.丁}`);
      const gaps = (await inject('GET', '/api/v1/oncall/gaps?days=7')).json().items as { role: string; from: string; to: string; reason: string }[];
      expect(gaps.filter((g) => g.role === 'tech_oncall')).toEqual([expect.objectContaining({ from: '2026-03-07T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z', reason: 'inactive' })]);
      expect(gaps.some((g) => g.role === 'tech_lead' && g.reason === 'nobody')).toBe(true);

      const ics = await inject('GET', `/api/v1/people/${ids.甲}/oncall.ics`);
      expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
      expect(ics.body).toContain('DTSTART:20260303T000000Z'); // 甲 took Tuesday in the swap
      expect(ics.body).toContain('DTSTART:20260306T000000Z');
      expect(ics.body).not.toContain('DTSTART:20260302T000000Z');
      const feed = (await inject('GET', `/api/v1/people/${ids.甲}/oncall-feed`)).json().url as string;
      const publicFeed = await inject('GET', new URL(feed).pathname);
      expect(publicFeed.statusCode).toBe(200);
      expect(publicFeed.body).toBe(ics.body);
      expect((await inject('GET', new URL(feed).pathname.replace(/.{4}\.ics$/, 'AAAA.ics'))).statusCode).toBe(404);
    });

    it('every route declares a permission or is public (the ack links and the signed calendar feed)', () => {
      const mine = routes.filter((r) => /\/api\/v1\/(people|roles|oncall|ack|notify|ical|incidents\/:id\/deliveries)/.test(r.url) && r.method !== 'HEAD');
      expect(mine.length).toBeGreaterThan(20);
      for (const r of mine) expect(r.config.public === true || typeof r.config.permission === 'string', `${r.method} ${r.url}`).toBe(true);
      expect(
        mine
          .filter((r) => r.config.public)
          .map((r) => `${r.method} ${r.url}`)
          .sort(),
      ).toEqual(['GET /api/v1/ack/:token', 'GET /api/v1/ical/:token', 'POST /api/v1/ack/:token']);
      void T0;
    });
  });
}
