// Announcements over HTTP with sign-in on (issue 16): reading needs incident.read, changing needs publicity.manage
// (the technical group may not approve), approval meets O1.3 in the signed-in token's name, bad input is a 400
// problem+json naming the field that changes nothing, a failed channel is retried by hand, the notice is a PDF.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { parsePublicityConfig } from '../src/publicity/announcements/index.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { minutes, T0, testPlatform, type TestPlatform } from './support/platform.js';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';

describe('announcements HTTP API', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let website: RecordingServer;
  const auth = { publicity: {}, technical: {}, viewer: {} } as Record<'publicity' | 'technical' | 'viewer', Record<string, string>>;

  beforeEach(async () => {
    website = await startRecordingServer(() => '{}');
    website.status = 200;
    p = await testPlatform('sqlite', loadDefaultPlan(), { publicity: parsePublicityConfig({ website: { url: website.url, secret: 'a-website-secret-of-32-characters' } }) });
    app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
    for (const [role, name] of [
      ['publicity', 'publicity-wangfang'],
      ['technical', 'tech-oncall'],
      ['viewer', 'wall-screen'],
    ] as const) {
      const { value } = await p.auth.accounts.addToken({ name, role });
      auth[role] = { authorization: `Bearer ${value}` };
    }
  });
  afterEach(async () => {
    await app.close();
    await p.dispose();
    await website.close();
  });

  async function draftOf(rule: string) {
    const id = await p.engine.openIncident({ title: '预约挂号平台中断', systems: [{ system: 'APPOINTMENT', state: 'down' }] }, 'tech_oncall');
    await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '全院' } as never, '院长', 'commander');
    await p.announcements.prepareDrafts();
    const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/announcements`, headers: auth.viewer });
    expect(res.statusCode, res.body).toBe(200);
    return { incidentId: id, draft: (res.json().items as { id: string; ruleId: string; revision: number }[]).find((a) => a.ruleId === rule)! };
  }
  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
    return res.json() as { code: string; errors?: { path: string }[] };
  };

  it('the publicity lead approves (meeting O1.3 in their name); the technical group may read but not approve', async () => {
    const { incidentId, draft } = await draftOf('O1.3');
    const eta = new Date(T0 + minutes(120)).toISOString();
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/announcements/${draft.id}`,
      headers: auth.publicity,
      payload: { expectedRecoveryAt: eta, channels: ['status_page', 'website'], revision: draft.revision },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ expectedRecoveryAt: eta, channels: ['status_page', 'website'], updatedBy: 'token:publicity-wangfang', revision: 2 });

    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/announcements/${draft.id}`, { title: { zh: '技术组改的' } }],
      ['POST', `/api/v1/announcements/${draft.id}/approve`, {}],
      ['POST', `/api/v1/announcements/${draft.id}/withdraw`, { reason: 'x' }],
      ['POST', `/api/v1/incidents/${incidentId}/announcements`, {}],
    ] as const) {
      const refused = await app.inject({ method, url, headers: auth.technical, payload });
      expect(problem(refused, 403).code).toBe('PERMISSION_DENIED');
    }
    expect((await app.inject({ method: 'GET', url: `/api/v1/announcements/${draft.id}`, headers: auth.technical })).json()).toMatchObject({ state: 'draft', revision: 2 });
    expect((await app.inject({ method: 'GET', url: `/api/v1/announcements/${draft.id}` })).statusCode).toBe(401);

    const approved = await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/approve`, headers: auth.publicity, payload: { revision: 2 } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'published',
      approvedBy: 'token:publicity-wangfang',
      deliveries: [
        { channel: 'status_page', state: 'sent' },
        { channel: 'website', state: 'sent' },
      ],
    });
    const incident = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: auth.viewer })).json();
    expect(incident.obligations.find((o: { ruleId: string }) => o.ruleId === 'O1.3')).toMatchObject({ state: 'met', metBy: 'token:publicity-wangfang' });
    expect(website.received).toHaveLength(1);
    expect(problem(await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/approve`, headers: auth.publicity }), 409).code).toBe('ANNOUNCEMENT_NOT_DRAFT');

    // an update from the plan's update template, then withdrawn (a draft withdrawn is discarded)
    const update = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/announcements`, headers: auth.publicity, payload: { template: 'progress_update' } });
    expect(update.statusCode, update.body).toBe(201);
    expect(update.json()).toMatchObject({ kind: 'update', state: 'draft', createdBy: 'token:publicity-wangfang' });
    const withdrawn = await app.inject({ method: 'POST', url: `/api/v1/announcements/${update.json().id}/withdraw`, headers: auth.publicity, payload: { reason: '重复' } });
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', withdrawReason: '重复', withdrawnBy: 'token:publicity-wangfang' });
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const { incidentId, draft } = await draftOf('O1.3');
    const before = await p.db.selectFrom('announcements').selectAll().orderBy('id').execute();
    const cases: [string, string, unknown, string][] = [
      ['PATCH', `/api/v1/announcements/${draft.id}`, { expectedRecoveryAt: 'tomorrow' }, 'expectedRecoveryAt'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { expectedRecoveryAt: new Date(T0 - minutes(5)).toISOString() }, 'expectedRecoveryAt'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { channels: ['fax'] }, 'channels.0'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { channels: [] }, 'channels'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { title: { zh: '' } }, 'title.zh'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { body: { zh: 'x'.repeat(5001) } }, 'body.zh'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, { approvedBy: '院长' }, 'body'],
      ['PATCH', `/api/v1/announcements/${draft.id}`, {}, 'body'],
      ['POST', `/api/v1/announcements/${draft.id}/withdraw`, {}, 'reason'],
      ['POST', `/api/v1/announcements/${draft.id}/approve`, { revision: 'two' }, 'revision'],
      ['POST', `/api/v1/announcements/${draft.id}/retry`, { channel: 'fax' }, 'channel'],
      ['POST', `/api/v1/incidents/${incidentId}/announcements`, { template: 'no_such_template' }, 'template'],
      ['GET', `/api/v1/announcements/${draft.id}/notice.pdf?size=A5`, undefined, 'size'],
    ];
    for (const [method, url, payload, path] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers: auth.publicity, ...(payload !== undefined ? { payload: payload as object } : {}) });
      const body = problem(res, 400);
      expect(
        body.errors?.map((e) => e.path),
        `${method} ${url} ${JSON.stringify(payload)}`,
      ).toContain(path);
    }
    expect(problem(await app.inject({ method: 'GET', url: '/api/v1/announcements/ann_nope', headers: auth.viewer }), 404).code).toBe('ANNOUNCEMENT_NOT_FOUND');
    expect(problem(await app.inject({ method: 'GET', url: '/api/v1/incidents/inc_nope/announcements', headers: auth.viewer }), 404).code).toBe('INCIDENT_NOT_FOUND');
    expect(problem(await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/retry`, headers: auth.publicity, payload: {} }), 409).code).toBe('ANNOUNCEMENT_NOT_PUBLISHED');
    expect(await p.db.selectFrom('announcements').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await p.db.selectFrom('announcement_deliveries').selectAll().execute()).toEqual([]);
  });

  it('a failed channel is retried by hand; the on-site notice is a PDF (or a 503 without Chromium)', async () => {
    const { draft } = await draftOf('O1.3');
    website.status = 500;
    const approved = await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/approve`, headers: auth.publicity });
    expect(approved.json().deliveries.find((d: { channel: string }) => d.channel === 'website')).toMatchObject({ state: 'failed', attempts: 1, lastError: 'website answered HTTP 500' });
    website.status = 200;
    const retried = await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/retry`, headers: auth.publicity, payload: { channel: 'website' } });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().deliveries.find((d: { channel: string }) => d.channel === 'website')).toMatchObject({ state: 'sent', attempts: 2 });
    expect(website.received).toHaveLength(2);
    expect(problem(await app.inject({ method: 'POST', url: `/api/v1/announcements/${draft.id}/retry`, headers: auth.publicity, payload: { channel: 'website' } }), 409).code).toBe('NOTHING_TO_RETRY');
    // a published announcement is never exposed with its secrets
    expect(retried.body).not.toContain('a-website-secret');

    const pdf = await app.inject({ method: 'GET', url: `/api/v1/announcements/${draft.id}/notice.pdf?size=A3`, headers: auth.viewer });
    if (fs.existsSync('/usr/bin/chromium')) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      if (process.env.CI) throw new Error('CI needs /usr/bin/chromium');
      expect(problem(pdf, 503).code).toBe('PDF_UNAVAILABLE');
    }
  }, 60_000);
});
