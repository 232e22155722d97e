// Who silenced an alarm or changed the rota is who was signed in (the account's or API token's name), never an
// author the client names in the body: maintenance windows, on-call overrides and swaps, roster imports.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { sampleRosterWorkbook } from '../src/people/sample-roster.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const FORGED = '院长（伪造）';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`true authorship on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    beforeEach(async () => {
      p = await testPlatform(dialect);
    });
    afterEach(async () => {
      await app?.close();
      await p.dispose();
    });

    it('records the API token as the author of a maintenance window, an override, a swap and a roster import', async () => {
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      const { value } = await p.auth.accounts.addToken({ name: 'zabbix-ops', role: 'admin' });
      const headers = { authorization: `Bearer ${value}` };
      const TOKEN = 'token:zabbix-ops'; // a token acts under its name, marked as a token (never a person's name)

      const mw = await app.inject({ method: 'POST', url: '/api/v1/maintenance', headers, payload: { system: 'HIS', duration: '2h', reason: '补丁', by: FORGED } });
      expect(mw.statusCode, mw.body).toBe(201);
      expect(mw.json().createdBy).toBe(TOKEN);
      expect((await p.db.selectFrom('maintenance_windows').select('created_by').executeTakeFirstOrThrow()).created_by).toBe(TOKEN);

      const imported = await app.inject({ method: 'POST', url: '/api/v1/people/import', headers: { ...headers, 'content-type': XLSX }, payload: await sampleRosterWorkbook('2026-03-02') });
      expect(imported.statusCode, imported.body).toBe(200);
      const shifts = await p.db.selectFrom('oncall_entries').select('created_by').where('kind', '=', 'shift').execute();
      expect(shifts.length).toBeGreaterThan(0);
      expect(new Set(shifts.map((s) => s.created_by))).toEqual(new Set([TOKEN]));

      const person = await p.db.selectFrom('people').select('id').orderBy('id').executeTakeFirstOrThrow();
      const override = { role: 'tech_oncall', personId: person.id, startsAt: '2026-03-04T08:00:00+08:00', endsAt: '2026-03-04T20:00:00+08:00', reason: '替班' };
      // the body cannot name an author at all
      expect((await app.inject({ method: 'POST', url: '/api/v1/oncall/overrides', headers, payload: { ...override, by: FORGED } })).statusCode).toBe(400);
      const ovr = await app.inject({ method: 'POST', url: '/api/v1/oncall/overrides', headers, payload: override });
      expect(ovr.statusCode, ovr.body).toBe(201);
      const swap = await app.inject({ method: 'POST', url: '/api/v1/oncall/swaps', headers, payload: { role: 'tech_oncall', a: '2026-03-05', b: '2026-03-06', reason: '家中有事' } });
      expect(swap.statusCode, swap.body).toBe(201);
      const overrides = await p.db.selectFrom('oncall_entries').select(['id', 'created_by']).where('kind', '=', 'override').execute();
      expect(overrides).toHaveLength(3);
      for (const o of overrides) expect(o.created_by).toBe(TOKEN);
      const all = await p.db.selectFrom('maintenance_windows').select('created_by').execute();
      expect(JSON.stringify([all, shifts, overrides])).not.toContain(FORGED);
    });

    it('records the signed-in person, not the body, for a session too', async () => {
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      await p.auth.accounts.addUser({ username: 'ops', password: 'correct horse battery staple', role: 'admin', name: '运维 李工' });
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ops', password: 'correct horse battery staple' } });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const mw = await app.inject({
        method: 'POST',
        url: '/api/v1/maintenance',
        headers: { cookie, 'x-csrf-token': login.json().csrfToken },
        payload: { system: 'HIS', duration: '1h', reason: '补丁', by: FORGED },
      });
      expect(mw.statusCode, mw.body).toBe(201);
      expect(mw.json().createdBy).toBe('运维 李工');
    });

    it('without sign-in (no accounts: tests, rehearsals) keeps today’s behaviour: the body’s by, else api', async () => {
      app = await buildApp(p, { logger: false, extensions: appExtensions });
      const named = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'HIS', duration: '1h', reason: 'r', by: 'ops-desk' } });
      expect(named.json().createdBy).toBe('ops-desk');
      const unnamed = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'HIS', duration: '1h', reason: 'r' } });
      expect(unnamed.json().createdBy).toBe('api');
    });
  });
}
