// Announcements (issue 16, deliverable 2), on the composed platform with its virtual clock, SQLite and PostgreSQL:
// an L1 outage of a patient-facing system gets its drafts (O1.3 every channel, O2.4 on site) filled from the incident;
// the publicity lead's approval meets the obligations in their name and publishes to a local website receiver (its
// signature recomputed here), a local WeChat Official Account API that checks every request as documented, SMS to
// confirmed subscribers through a local Aliyun SMS API, the status page and the printable notice. Failures are retried.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNotifyConfig } from '../src/notify/index.js';
import { startAliyunFake, type AliyunFake } from '../src/notify/channels/fakes/aliyun-fake.js';
import { parsePublicityConfig, publishedNotices } from '../src/publicity/announcements/index.js';
import { startWechatOaFake, type WechatOaFake } from '../src/publicity/announcements/channels/fakes/wechat-oa-fake.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, T0, testPlatform, type TestPlatform } from './support/platform.js';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';

const WEBSITE_SECRET = 'website-shared-secret-0123456789';
const WX = { appid: 'wx1234567890abcdef', secret: 'wechat-app-secret-abcdef0123456789', thumbMediaId: 'THUMB_MEDIA_HOSPITAL_LOGO' };
const ALI = { accessKeyId: 'LTAI5tAnnouncementTest01', accessKeySecret: 'AnnouncementTestSecret0123456789' };
const STATUS_URL = 'https://status.hospital.example/status';
const HOURS = (n: number) => n * 3600_000;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`announcements on ${dialect}`, () => {
    let p: TestPlatform;
    let website: RecordingServer;
    let wechat: WechatOaFake;
    let sms: AliyunFake;
    const events: { type: string; incidentId?: string }[] = [];

    beforeEach(async () => {
      website = await startRecordingServer(() => '{"ok":true}');
      website.status = 200;
      wechat = await startWechatOaFake(WX);
      sms = await startAliyunFake(ALI); // patient SMS is signed with the wall clock, as the vendor checks it
      const notify = parseNotifyConfig({
        channels: { patient_sms: { kind: 'sms-aliyun', config: { ...ALI, signName: '某某医院', templateCode: 'SMS_470000001', endpoint: sms.url } } },
      });
      const publicity = parsePublicityConfig({
        hospital: { zh: '某某医院', en: 'Mouimou Hospital' },
        statusPageUrl: STATUS_URL,
        website: { url: `${website.url}/hooks/notices`, secret: WEBSITE_SECRET },
        wechat: { ...WX, apiBase: wechat.url },
      });
      p = await testPlatform(dialect, loadDefaultPlan(), { notify, publicity });
      events.length = 0;
      p.bus.subscribe((e) => events.push(e));
    });
    afterEach(async () => {
      await p.dispose();
      await Promise.all([website.close(), wechat.close(), sms.close()]);
    });

    /** The appointment platform (patient-facing) is down and the commander raises the incident to L1. */
    async function l1Outage(): Promise<string> {
      const id = await p.engine.openIncident({ title: '预约挂号平台中断', systems: [{ system: 'APPOINTMENT', state: 'down' }] }, 'tech_oncall');
      await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '全院挂号中断' } as never, '院长', 'commander');
      await p.announcements.prepareDrafts();
      return id;
    }
    const subscribe = async (phone: string, state: string, services: string[], lang = 'zh') =>
      p.db
        .insertInto('status_subscribers')
        .values({
          phone,
          services: JSON.stringify(services),
          lang,
          state,
          code_hash: null,
          code_expires_at: null,
          code_attempts: 0,
          code_sent_at: null,
          created_at: T0,
          confirmed_at: state === 'confirmed' ? T0 : null,
          updated_at: T0,
        })
        .execute();

    it('drafts one announcement per obligation that asks for one, filled from the incident', async () => {
      const id = await l1Outage();
      await p.announcements.prepareDrafts(); // again: nothing more
      const list = await p.announcements.list(id);
      const byRule: Record<string, (typeof list)[number]> = Object.fromEntries(list.map((a) => [a.ruleId, a]));
      expect(Object.keys(byRule).sort()).toEqual(['O1.3', 'O2.4']);
      const o13 = byRule['O1.3']!;
      const obligations = (await p.incidents.get(id)).obligations;
      expect(o13.obligationId).toBe(obligations.find((o) => o.ruleId === 'O1.3')!.id);
      expect(o13).toMatchObject({ state: 'draft', kind: 'initial', templateId: 'public_initial', channels: ['status_page', 'website', 'wechat_oa', 'sms', 'onsite_notice'] });
      expect(byRule['O2.4']).toMatchObject({ templateId: 'onsite_initial', channels: ['status_page', 'onsite_notice'] });
      // the affected patient service (the appointment platform → 挂号) and its alternatives, since when, the hospital
      expect(o13.services.map((x) => x.id)).toEqual(['registration']);
      expect(o13.title.zh).toContain('预约挂号 / 挂号');
      expect(o13.body.zh).toContain('人工挂号窗口');
      expect(o13.body.zh).toContain('3月2日 09:00');
      expect(o13.body.zh).toContain('某某医院');
      expect(o13.body.zh).toContain(STATUS_URL);
      expect(o13.title.en).toContain('Appointments and registration');
      expect(o13.preview.body.zh).toContain('正在评估'); // no expected recovery time yet
      expect(o13.unconfigured).toEqual([]);
      // a unique key per obligation instance: the database refuses a second automatic draft for O1.3
      const rows = await p.db.selectFrom('announcements').select(['draft_key']).where('incident_id', '=', id).execute();
      expect(rows.map((r) => r.draft_key).sort()).toEqual(
        obligations
          .filter((o) => o.ruleId === 'O1.3' || o.ruleId === 'O2.4')
          .map((o) => `obligation:${o.id}`)
          .sort(),
      );
      expect(events.some((e) => e.type === 'announcement.changed' && e.incidentId === id)).toBe(true);
    });

    it('a draft nobody edited follows the incident when another service is hit; one a person edited keeps their words', async () => {
      const id = await l1Outage();
      const byRule = async (rule: string) => (await p.announcements.list(id)).find((a) => a.ruleId === rule)!;
      const initial = await byRule('O1.3');
      expect(initial.services.map((x) => x.id)).toEqual(['registration']);
      await p.announcements.edit((await byRule('O2.4')).id, { title: { zh: '门诊大厅告示：挂号暂停' } }, { actor: '王主任' });

      // medical-insurance settlement goes down too
      await p.engine.recordImpact(id, { systems: [{ system: 'MI_SETTLEMENT', state: 'down' }] }, '张伟');
      await p.announcements.prepareDrafts();
      const refilled = await byRule('O1.3');
      expect(refilled.services.map((x) => x.id).sort()).toEqual(expect.arrayContaining(['registration', 'mi_settlement']));
      expect(refilled.body.zh).toContain('医保');
      expect(refilled.revision).toBe(initial.revision + 1);
      // an approval of the text as it was shown before is refused: the approver sees the new text first
      await expect(p.announcements.approve(refilled.id, { actor: '王主任', role: 'publicity_lead' }, initial.revision)).rejects.toMatchObject({ code: 'ANNOUNCEMENT_EDITED', status: 409 });
      // the edited one keeps its words and services
      const edited = await byRule('O2.4');
      expect(edited.title.zh).toBe('门诊大厅告示：挂号暂停');
      expect(edited.services.map((x) => x.id)).toEqual(['registration']);
      // nothing changed since: another run changes nothing
      await p.announcements.prepareDrafts();
      expect((await byRule('O1.3')).revision).toBe(refilled.revision);
    });

    it('approval meets O1.3 (and O2.4) in the approver’s name and publishes on every channel', async () => {
      const id = await l1Outage();
      await subscribe('13800000001', 'confirmed', ['registration']);
      await subscribe('13800000002', 'confirmed', [], 'en'); // every service
      await subscribe('13800000003', 'confirmed', ['pharmacy']); // another service: not told
      await subscribe('13800000004', 'pending', ['registration']); // never confirmed: not told
      const draft = (await p.announcements.list(id)).find((a) => a.ruleId === 'O1.3')!;
      const eta = T0 + HOURS(2);
      await p.announcements.edit(draft.id, { expectedRecoveryAt: eta, title: { zh: '预约挂号暂停公告' } }, { actor: '王主任' });
      await p.advance(minutes(10));
      const published = await p.announcements.approve(draft.id, { actor: '王主任', role: 'publicity_lead' });

      const incident = await p.incidents.get(id);
      for (const rule of ['O1.3', 'O2.4']) expect(incident.obligations.find((o) => o.ruleId === rule)).toMatchObject({ state: 'met', metBy: '王主任' });
      expect(published).toMatchObject({ state: 'published', approvedBy: '王主任' });
      expect(published.body.zh).toContain('预计恢复时间：3月2日 11:00');
      expect(published.body.zh).not.toContain('{expected_recovery}');
      expect(Object.fromEntries(published.deliveries.map((d) => [d.channel, d.state])), JSON.stringify(published.deliveries)).toEqual({
        status_page: 'sent',
        website: 'sent',
        wechat_oa: 'sent',
        sms: 'sent',
        onsite_notice: 'sent',
      });
      expect(events.some((e) => e.type === 'announcement.published' && e.incidentId === id)).toBe(true);

      // the website: one signed POST, the signature recomputed here from the shared secret
      expect(website.received).toHaveLength(1);
      const req = website.received[0]!;
      expect(req.url).toBe('/hooks/notices');
      const ts = String(req.headers['x-lifeline-timestamp']);
      expect(Number(ts)).toBe(Math.floor(p.clock.now() / 1000));
      expect(req.headers['x-lifeline-signature']).toBe(`sha256=${createHmac('sha256', WEBSITE_SECRET).update(`${ts}.${req.body}`).digest('hex')}`);
      expect(JSON.parse(req.body)).toMatchObject({
        type: 'announcement.published',
        id: draft.id,
        title: { zh: '预约挂号暂停公告' },
        expectedRecoveryAt: new Date(eta).toISOString(),
        services: [{ id: 'registration' }],
      });
      expect(JSON.stringify(JSON.parse(req.body))).not.toContain(WEBSITE_SECRET);

      // WeChat: token, draft, publish — every request as documented
      expect(wechat.problems()).toEqual([]);
      expect(wechat.requests.map((r) => r.path)).toEqual(['/cgi-bin/stable_token', '/cgi-bin/draft/add', '/cgi-bin/freepublish/submit']);
      expect(wechat.published).toHaveLength(1);
      expect(wechat.published[0]!.articles[0]).toMatchObject({ title: '预约挂号暂停公告', thumb_media_id: WX.thumbMediaId, content_source_url: STATUS_URL });
      expect(String(wechat.published[0]!.articles[0]!.content)).toContain('人工挂号窗口');

      // SMS: the two confirmed subscribers who asked about 挂号 (or everything), in their language, the short form (one
      // segment, with the status page; Aliyun refuses URLs in template variables, so its channel strips it: the approved
      // patient template carries the link)
      expect(published.preview.sms.zh).toContain(STATUS_URL);
      expect([...published.preview.sms.zh].length).toBeLessThanOrEqual(60);
      expect(published.preview.sms.zh).toContain('11:00');
      expect(sms.problems()).toEqual([]);
      const sent = sms.params().map((x) => ({ phone: x.PhoneNumbers, content: JSON.parse(x.TemplateParam ?? '{}').content as string }));
      expect(sent.map((s) => s.phone).sort()).toEqual(['13800000001', '13800000002']);
      const before = (text: string) => text.slice(0, text.indexOf(STATUS_URL)).trim();
      expect(sent.find((s) => s.phone === '13800000001')!.content.trim()).toBe(before(published.preview.sms.zh));
      expect(sent.find((s) => s.phone === '13800000002')!.content).toContain(before(published.preview.sms.en!));

      // the status page shows it (published on the status page, incident open)
      const notices = await publishedNotices(p.db, p.clock.now());
      expect(notices).toEqual([
        expect.objectContaining({ id: draft.id, incidentId: id, kind: 'initial', expectedRecoveryAt: eta, services: ['registration'], title: expect.objectContaining({ zh: '预约挂号暂停公告' }) }),
      ]);

      // an approved announcement never changes: a change is a new update
      await expect(p.announcements.edit(draft.id, { title: { zh: '改' } }, { actor: '王主任' })).rejects.toMatchObject({ code: 'ANNOUNCEMENT_NOT_DRAFT', status: 409 });
      await expect(p.announcements.approve(draft.id, { actor: '王主任' })).rejects.toMatchObject({ code: 'ANNOUNCEMENT_NOT_DRAFT' });
    });

    it('an update follows the same path; an expired WeChat token is refreshed once; withdrawn notices leave the status page', async () => {
      const id = await l1Outage();
      const first = (await p.announcements.list(id)).find((a) => a.ruleId === 'O1.3')!;
      await p.announcements.approve(first.id, { actor: '王主任', role: 'publicity_lead' });
      expect(wechat.requests.filter((r) => r.path === '/cgi-bin/stable_token')).toHaveLength(1);

      await p.advance(minutes(40));
      wechat.expireTokens();
      const update = await p.announcements.createDraft(id, undefined, { actor: '王主任' });
      expect(update).toMatchObject({ kind: 'update', templateId: 'progress_update', state: 'draft', ruleId: null });
      await p.announcements.edit(update.id, { expectedRecoveryAt: p.clock.now() + HOURS(1), channels: ['status_page', 'wechat_oa'] }, { actor: '王主任' });
      const done = await p.announcements.approve(update.id, { actor: '王主任', role: 'publicity_lead' });
      expect(done.deliveries.map((d) => [d.channel, d.state])).toEqual([
        ['status_page', 'sent'],
        ['wechat_oa', 'sent'],
      ]);
      const after = wechat.requests.slice(3);
      expect(after.map((r) => [r.path, (r.answer as { errcode?: number }).errcode ?? 0])).toEqual([
        ['/cgi-bin/draft/add', 42001], // the cached token has expired
        ['/cgi-bin/stable_token', 0], // one refresh
        ['/cgi-bin/draft/add', 0],
        ['/cgi-bin/freepublish/submit', 0],
      ]);
      expect(wechat.problems()).toEqual([]);
      expect(website.received).toHaveLength(1); // the update did not name the website

      expect((await publishedNotices(p.db, p.clock.now())).map((n) => n.id)).toEqual([update.id, first.id]);
      await p.announcements.withdraw(first.id, '已被更新取代', { actor: '王主任' });
      expect((await publishedNotices(p.db, p.clock.now())).map((n) => n.id)).toEqual([update.id]);
    });

    it('a failed channel is retried with back-off and then sent; one cut short by a crash is taken up again', async () => {
      const id = await l1Outage();
      const draft = (await p.announcements.list(id)).find((a) => a.ruleId === 'O1.3')!;
      website.status = 503;
      wechat.script('/cgi-bin/freepublish/submit', { errcode: -1, errmsg: 'system error' });
      const a = await p.announcements.approve(draft.id, { actor: '王主任', role: 'publicity_lead' });
      const web = a.deliveries.find((d) => d.channel === 'website')!;
      expect(web).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('503') });
      expect(Date.parse(web.nextAt!)).toBe(p.clock.now() + 30_000);
      expect(a.deliveries.find((d) => d.channel === 'wechat_oa')).toMatchObject({ state: 'failed', lastError: expect.stringContaining('-1') });
      // the obligation is met all the same: the lead approved it
      expect((await p.incidents.get(id)).obligations.find((o) => o.ruleId === 'O1.3')!.state).toBe('met');

      website.status = 200;
      await p.announcements.deliverDue(); // not yet due
      expect(website.received).toHaveLength(1);
      await p.advance(30_000);
      await p.announcements.deliverDue();
      const after = await p.announcements.get(draft.id);
      expect(after.deliveries.find((d) => d.channel === 'website')).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
      // WeChat: the draft added before the failed submit is published, not added again
      expect(after.deliveries.find((d) => d.channel === 'wechat_oa')).toMatchObject({ state: 'sent', attempts: 2 });
      expect(wechat.requests.filter((r) => r.path === '/cgi-bin/draft/add')).toHaveLength(1);
      expect(wechat.published).toHaveLength(1);
      expect(website.received).toHaveLength(2);

      // a delivery left "sending" by a process that died is attempted again once its lease has passed
      await p.db
        .updateTable('announcement_deliveries')
        .set({ state: 'sending', next_at: p.clock.now() + 60_000 })
        .where('channel', '=', 'website')
        .execute();
      await p.announcements.deliverDue();
      expect(website.received).toHaveLength(2);
      await p.advance(61_000);
      await p.announcements.deliverDue();
      expect(website.received).toHaveLength(3);
      expect((await p.announcements.get(draft.id)).deliveries.find((d) => d.channel === 'website')!.state).toBe('sent');
    });

    it('a channel without settings is skipped with its reason; bad edits are refused naming the field and change nothing', async () => {
      await p.dispose();
      p = await testPlatform(dialect); // no publicity.yaml, no SMS channel
      const id = await l1Outage();
      const draft = (await p.announcements.list(id)).find((a) => a.ruleId === 'O1.3')!;
      expect(draft.unconfigured).toEqual(['website', 'wechat_oa', 'sms']);
      await expect(p.announcements.edit(draft.id, { expectedRecoveryAt: p.clock.now() - 60_000 }, { actor: 'x' })).rejects.toMatchObject({
        status: 400,
        code: 'EXPECTED_RECOVERY_PAST',
        issues: [{ path: 'expectedRecoveryAt' }],
      });
      await expect(p.announcements.edit(draft.id, { title: { en: 'Only a title' } }, { actor: 'x' })).resolves.toBeDefined(); // the template has English: title and body
      await expect(p.announcements.edit(draft.id, { body: { en: null } }, { actor: 'x' })).rejects.toMatchObject({ status: 400, issues: [{ path: 'body.en' }] });
      await expect(p.announcements.edit(draft.id, { title: { zh: '新标题' }, revision: 1 }, { actor: 'x' })).rejects.toMatchObject({ status: 409, code: 'ANNOUNCEMENT_EDITED' });
      expect((await p.announcements.get(draft.id)).revision).toBe(2);
      const a = await p.announcements.approve(draft.id, { actor: '王主任', role: 'publicity_lead' });
      expect(Object.fromEntries(a.deliveries.map((d) => [d.channel, [d.state, d.lastError?.split(':')[0] ?? null]]))).toEqual({
        status_page: ['sent', null],
        website: ['skipped', 'NOT_CONFIGURED'],
        wechat_oa: ['skipped', 'NOT_CONFIGURED'],
        sms: ['skipped', 'NOT_CONFIGURED'],
        onsite_notice: ['sent', null],
      });
    });

    it('the all-clear is drafted when the incident recovers (OR.1) and stays on the status page for a day', async () => {
      const id = await l1Outage();
      const first = (await p.announcements.list(id)).find((a) => a.ruleId === 'O1.3')!;
      await p.announcements.approve(first.id, { actor: '王主任', role: 'publicity_lead' });
      await p.advance(minutes(50));
      await p.engine.recordImpact(id, { systems: [{ system: 'APPOINTMENT', state: 'up' }] }, 'tech_oncall');
      await p.engine.act(id, { type: 'restore' }, 'tech_oncall', 'tech_oncall');
      await p.announcements.prepareDrafts();
      const allClear = (await p.announcements.list(id)).find((a) => a.kind === 'all_clear')!;
      expect(allClear).toMatchObject({ ruleId: 'OR.1', templateId: 'all_clear', state: 'draft' });
      expect(allClear.services.map((s) => s.id)).toEqual(['registration']); // what was affected, back now
      expect(allClear.title.zh).toContain('已恢复正常');
      await p.engine.act(id, { type: 'close', reason: '已恢复' } as never, '院长', 'commander');
      await p.announcements.prepareDrafts();
      // approved after the incident closed: nothing left to meet on it, the all-clear is published all the same
      expect((await p.announcements.approve(allClear.id, { actor: '王主任', role: 'publicity_lead' })).deliveries.every((d) => d.state === 'sent')).toBe(true);
      expect((await p.announcements.list(id)).filter((a) => a.kind === 'all_clear')).toHaveLength(1); // closing drafts no second one
      expect((await publishedNotices(p.db, p.clock.now())).map((n) => [n.id, n.kind])).toEqual([[allClear.id, 'all_clear']]); // the closed outage's initial notice is gone
      expect(await publishedNotices(p.db, p.clock.now() + HOURS(25))).toEqual([]);
    });
  });
}

/** pdftotext (poppler-utils) reads the notice back: an independent reader. Chromium prints it. */
const pdfSkip = !fs.existsSync('/usr/bin/chromium') ? 'no /usr/bin/chromium' : !fs.existsSync('/usr/bin/pdftotext') ? 'no pdftotext (poppler-utils)' : null;
if (pdfSkip && process.env.CI) throw new Error(`the notice PDF test needs ${pdfSkip}; .ci/run installs it`);
if (pdfSkip) console.warn(`[skip] notice PDF test skipped: ${pdfSkip}`);

describe.skipIf(!!pdfSkip)('the printable on-site notice', { timeout: 60_000 }, () => {
  it('prints A4 and A3 PDFs with the title and the status page address', async () => {
    const p = await testPlatform('sqlite', loadDefaultPlan(), { publicity: parsePublicityConfig({ hospital: { zh: '某某医院' }, statusPageUrl: STATUS_URL }) });
    try {
      const id = await p.engine.openIncident({ title: '预约挂号平台中断', systems: [{ system: 'APPOINTMENT', state: 'down' }] }, 'tech_oncall');
      await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '全院' } as never, '院长', 'commander');
      await p.announcements.prepareDrafts();
      const draft = (await p.announcements.list(id)).find((a) => a.ruleId === 'O2.4')!;
      await p.announcements.edit(draft.id, { title: { zh: '挂号系统故障公告' } }, { actor: '王主任' });
      await p.announcements.approve(draft.id, { actor: '王主任', role: 'publicity_lead' });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notice-'));
      for (const size of ['A4', 'A3'] as const) {
        const pdf = await p.announcements.noticePdf(draft.id, size);
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        const file = path.join(dir, `${size}.pdf`);
        fs.writeFileSync(file, pdf);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        expect(text).toContain('挂号系统故障公告');
        expect(text).toContain(STATUS_URL);
        expect(text).not.toContain('草稿');
        const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
        const [w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!.slice(1).map(Number);
        expect([Math.round(w!), Math.round(h!)]).toEqual(size === 'A4' ? [595, 842] : [842, 1191]);
      }
    } finally {
      await p.dispose();
    }
  });
});
