// Patient feedback and SMS opt-in from the status page: public, validated (400 naming the field), rate-limited
// (429 with Retry-After), stored on SQLite and PostgreSQL; the publicity group answers feedback on the incident;
// the SMS code goes through the real Aliyun channel to a local fake that checks the vendor's signature.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { startAliyunFake, type AliyunFake } from '../src/notify/channels/fakes/aliyun-fake.js';
import { parseNotifyConfig } from '../src/notify/index.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { confirmedSubscribers } from '../src/publicity/status/index.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const HIS = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS down', dedupKey: 'z-1' };
const ALIYUN = { accessKeyId: 'LTAI5tStatusPageTest', accessKeySecret: 'aliyun-status-page-secret-0123' };
const PHONE = '13912345678';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`status page feedback and SMS opt-in on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let sms: AliyunFake | null = null;
    let token: string;

    const setup = async (withSms: boolean) => {
      sms = withSms ? await startAliyunFake(ALIYUN) : null;
      const notify = sms
        ? parseNotifyConfig({ channels: { patient_sms: { kind: 'sms-aliyun', config: { ...ALIYUN, signName: '测试医院', templateCode: 'SMS_200000001', endpoint: sms.url } } } })
        : undefined;
      p = await testPlatform(dialect, loadDefaultPlan(), { secret: 'status-page-test-secret-0123456789', publicUrl: 'https://lifeline.hospital.example', ...(notify ? { notify } : {}) });
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      token = (await p.auth.accounts.addToken({ name: 'publicity-wang', role: 'publicity' })).value;
    };
    afterEach(async () => {
      await app?.close();
      await p?.dispose();
      await sms?.close();
      sms = null;
    });

    const post = (url: string, payload: unknown, opts: Partial<InjectOptions> = {}) => app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: '10.1.2.3', ...opts });
    const staff = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const fieldOf = (res: { json(): { errors?: { path: string }[] } }) => res.json().errors?.map((e) => e.path);
    const stored = async () => p.db.selectFrom('patient_feedback').selectAll().execute();

    describe('feedback', () => {
      beforeEach(() => setup(false));

      it('stores a message on the open incident that affects the service; the publicity group lists and answers it', async () => {
        await p.signals.append([HIS as never]);
        await p.engine.processPending();
        const incidentId = (await p.incidents.list({ state: 'open' }))[0].id;
        const res = await post('/api/v1/status/feedback', { message: '缴费窗口排队太长\n请多开窗口', service: 'payment', contact: '13800000000' });
        expect(res.statusCode, res.body).toBe(202);
        const id = res.json().id;
        const [row] = await stored();
        expect(row).toMatchObject({ id, incident_id: incidentId, service: 'payment', message: '缴费窗口排队太长\n请多开窗口', contact: '13800000000' });
        expect(row.client_hash).not.toContain('10.1.2.3');

        expect((await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/feedback` })).statusCode).toBe(401);
        const list = await staff('GET', `/api/v1/incidents/${incidentId}/feedback`);
        expect(list.json().items.map((f: { id: string }) => f.id)).toEqual([id]);
        expect((await staff('GET', '/api/v1/status/feedback?open=1')).json().items).toHaveLength(1);

        expect(fieldOf(await staff('POST', `/api/v1/status/feedback/${id}/answer`, { answer: '' }))).toEqual(['answer']);
        expect((await staff('POST', '/api/v1/status/feedback/fb_nope/answer', { answer: 'x' })).statusCode).toBe(404);
        await p.advance(minutes(3));
        const answered = await staff('POST', `/api/v1/status/feedback/${id}/answer`, { answer: '已加开两个人工窗口' });
        expect(answered.statusCode, answered.body).toBe(200);
        expect(answered.json()).toMatchObject({ answer: '已加开两个人工窗口', answeredBy: 'token:publicity-wang', answeredAt: new Date(p.clock.now()).toISOString() });
        expect((await staff('GET', '/api/v1/status/feedback?open=1')).json().items).toHaveLength(0);
        const timeline = (await p.incidents.get(incidentId)).timeline.filter((t) => t.kind === 'feedback.answered');
        expect(timeline).toHaveLength(1);
        expect(timeline[0]).toMatchObject({ actor: 'token:publicity-wang', data: { feedback: id, service: 'payment' } });
      });

      it('without an open incident the message is kept with no incident', async () => {
        const res = await post('/api/v1/status/feedback', { message: 'App 打不开' });
        expect(res.statusCode).toBe(202);
        expect((await stored())[0].incident_id).toBeNull();
      });

      it('refuses bad input with 400 naming the field, storing nothing', async () => {
        const cases: [unknown, string][] = [
          [{}, 'message'],
          [{ message: '   ' }, 'message'],
          [{ message: 'x'.repeat(1001) }, 'message'],
          [{ message: 'bell\u0007' }, 'message'],
          [{ message: 'rtl \u202e trick' }, 'message'],
          [{ message: 42 }, 'message'],
          [{ message: 'ok', service: 'HIS' }, 'service'],
          [{ message: 'ok', contact: 'not a contact' }, 'contact'],
          [{ message: 'ok', extra: 1 }, 'body'],
        ];
        for (const [body, field] of cases) {
          const res = await post('/api/v1/status/feedback', body, { remoteAddress: `10.9.0.${cases.findIndex((c) => c[0] === body)}` });
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(fieldOf(res)?.[0], JSON.stringify(body)).toBe(field);
        }
        const notObject = await post('/api/v1/status/feedback', [1, 2]);
        expect(notObject.statusCode).toBe(400);
        expect(await stored()).toHaveLength(0);
      });

      it('a robot that fills the honeypot is told nothing and stores nothing', async () => {
        const res = await post('/api/v1/status/feedback', { message: 'buy now', website: 'http://spam.example' });
        expect(res.statusCode).toBe(202);
        expect(res.json()).toEqual({ received: true, id: null });
        expect(await stored()).toHaveLength(0);
      });

      it('limits each client to 5 messages in 10 minutes and everyone to 120 a minute (429 with Retry-After)', async () => {
        for (let i = 0; i < 5; i++) expect((await post('/api/v1/status/feedback', { message: `m${i}` })).statusCode).toBe(202);
        const limited = await post('/api/v1/status/feedback', { message: 'again' });
        expect(limited.statusCode).toBe(429);
        expect(limited.json().code).toBe('RATE_LIMITED');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(600);
        // another client is not held up by this one
        expect((await post('/api/v1/status/feedback', { message: 'other' }, { remoteAddress: '10.1.2.4' })).statusCode).toBe(202);
        await p.advance(minutes(10));
        expect((await post('/api/v1/status/feedback', { message: 'later' })).statusCode).toBe(202);
        await p.advance(minutes(2));
        // in total: 120 a minute from many clients, then everyone waits
        for (let i = 0; i < 120; i++) expect((await post('/api/v1/status/feedback', { message: `flood ${i}` }, { remoteAddress: `10.7.${Math.floor(i / 5)}.${i % 5}` })).statusCode).toBe(202);
        const total = await post('/api/v1/status/feedback', { message: 'one more' }, { remoteAddress: '10.8.8.8' });
        expect(total.statusCode).toBe(429);
        expect(total.json().code).toBe('RATE_LIMITED_TOTAL');
        expect(await stored()).toHaveLength(5 + 1 + 1 + 120);
      });

      it('a plain HTML form post (no script) gets a short page back', async () => {
        const res = await post('/api/v1/status/feedback', 'message=%E6%8C%82%E5%8F%B7%E6%85%A2&service=registration&lang=zh&website=', {
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain('已收到您的留言');
        expect((await stored())[0]).toMatchObject({ message: '挂号慢', service: 'registration' });
      });
    });

    describe('SMS opt-in', () => {
      it('without an SMS channel the request is refused with 503 SMS_UNAVAILABLE, nothing stored', async () => {
        await setup(false);
        const res = await post('/api/v1/status/subscriptions', { phone: PHONE });
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('SMS_UNAVAILABLE');
        expect(await p.db.selectFrom('status_subscribers').selectAll().execute()).toHaveLength(0);
      });

      it('sends a 6-digit code through the SMS vendor, stores it hashed, subscribes with it, unsubscribes', async () => {
        await setup(true);
        expect(fieldOf(await post('/api/v1/status/subscriptions', { phone: '12345' }))).toEqual(['phone']);
        expect(fieldOf(await post('/api/v1/status/subscriptions', { phone: PHONE, services: ['nope'] }))).toEqual(['services']);
        const res = await post('/api/v1/status/subscriptions', { phone: `+86 ${PHONE}`, services: ['payment'], lang: 'zh' });
        expect(res.statusCode, res.body).toBe(202);
        expect(sms!.problems()).toEqual([]);
        const params = sms!.params();
        expect(params).toHaveLength(1);
        expect(params[0]).toMatchObject({ PhoneNumbers: PHONE, SignName: '测试医院', TemplateCode: 'SMS_200000001' });
        const content = JSON.parse(params[0].TemplateParam).content as string;
        const code = /(\d{6})/.exec(content)![1];
        expect(content).toContain('退订回复TD');
        const row = await p.db.selectFrom('status_subscribers').selectAll().where('phone', '=', PHONE).executeTakeFirstOrThrow();
        expect(row.state).toBe('pending');
        expect(row.code_hash).not.toContain(code);
        expect(await confirmedSubscribers(p.db)).toEqual([]);

        // a second code within the minute is refused
        const again = await post('/api/v1/status/subscriptions', { phone: PHONE });
        expect(again.statusCode).toBe(429);
        expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);

        const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
        const bad = await post('/api/v1/status/subscriptions/confirm', { phone: PHONE, code: wrong });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ code: 'CODE_WRONG', errors: [{ path: 'code' }] });
        const ok = await post('/api/v1/status/subscriptions/confirm', { phone: PHONE, code });
        expect(ok.statusCode, ok.body).toBe(200);
        expect(await confirmedSubscribers(p.db)).toEqual([{ phone: PHONE, lang: 'zh', services: ['payment'] }]);
        expect(await confirmedSubscribers(p.db, ['payment', 'pharmacy'])).toHaveLength(1);
        expect(await confirmedSubscribers(p.db, ['imaging'])).toHaveLength(0);
        // the code is used up
        expect((await post('/api/v1/status/subscriptions/confirm', { phone: PHONE, code })).json().code).toBe('CODE_NOT_REQUESTED');

        const off = await post('/api/v1/status/subscriptions/unsubscribe', { phone: PHONE });
        expect(off.statusCode).toBe(200);
        expect(await confirmedSubscribers(p.db)).toEqual([]);
      });

      it('a TD reply pushed by the SMS vendor unsubscribes the number (Aliyun SmsUp, Tencent reply callback); the address needs its key', async () => {
        await setup(true);
        const subscribe = async (phone: string) => {
          expect((await post('/api/v1/status/subscriptions', { phone })).statusCode).toBe(202);
          const sent = sms!.params().filter((x) => x.PhoneNumbers === phone);
          const code = /(\d{6})/.exec(JSON.parse(sent.at(-1)!.TemplateParam).content)![1];
          expect((await post('/api/v1/status/subscriptions/confirm', { phone, code })).statusCode).toBe(200);
        };
        const subscribed = async () => (await confirmedSubscribers(p.db)).map((s) => s.phone).sort();
        const OTHER = '13800138000';
        await subscribe(PHONE);
        await subscribe(OTHER);

        expect((await post('/api/v1/status/sms-replies', {})).statusCode).toBe(404);
        expect((await app.inject({ method: 'GET', url: '/api/v1/status/sms-replies' })).statusCode).toBe(401);
        const urls = (await staff('GET', '/api/v1/status/sms-replies')).json().urls as { aliyun: string; tencent: string };
        expect(urls.aliyun).toMatch(/^https:\/\/lifeline\.hospital\.example\/api\/v1\/status\/sms-replies\/aliyun\/[0-9a-f]{32}$/);
        const aliyun = new URL(urls.aliyun).pathname;
        const tencent = new URL(urls.tencent).pathname;
        const upstream = (phone_number: string, content: string) => [{ phone_number, content, send_time: '2026-12-03 10:00:00', sign_name: '测试医院', dest_code: '1234', sequence_id: 1234567890 }];

        // a wrong key or vendor: 404 as problem+json, nothing changes
        const wrongKey = await post(`${aliyun.slice(0, -1)}${aliyun.endsWith('0') ? '1' : '0'}`, upstream(PHONE, 'TD'));
        expect(wrongKey.statusCode).toBe(404);
        expect(wrongKey.headers['content-type']).toContain('application/problem+json');
        expect((await post(aliyun.replace('/aliyun/', '/huawei/'), upstream(PHONE, 'TD'))).statusCode).toBe(404);
        // a malformed push names the field; a reply that is not a stop word changes nothing
        const malformed = await post(aliyun, [{ content: 'TD' }]);
        expect(malformed.statusCode).toBe(400);
        expect(fieldOf(malformed)).toEqual(['0.phone_number']);
        expect((await post(aliyun, upstream(PHONE, '谢谢'))).json()).toEqual({ code: 0, msg: '接收成功' });
        expect(await subscribed()).toEqual([OTHER, PHONE].sort());

        // Aliyun: 「 td 。」 from the phone stops its messages
        expect((await post(aliyun, upstream(`86${PHONE}`, ' td 。'))).json()).toEqual({ code: 0, msg: '接收成功' });
        expect(await subscribed()).toEqual([OTHER]);
        // Tencent: 退订
        const tc = await post(tencent, { extend: '', mobile: OTHER, nationcode: '86', sign: '测试医院', text: '退订', time: 1764727200 });
        expect(tc.json()).toEqual({ result: 0, errmsg: 'OK' });
        expect(await subscribed()).toEqual([]);
      });

      it('a code expires after 10 minutes', async () => {
        await setup(true);
        expect((await post('/api/v1/status/subscriptions', { phone: PHONE })).statusCode).toBe(202);
        const code = /(\d{6})/.exec(JSON.parse(sms!.params()[0].TemplateParam).content)![1];
        await p.advance(minutes(11));
        const late = await post('/api/v1/status/subscriptions/confirm', { phone: PHONE, code });
        expect(late.json()).toMatchObject({ code: 'CODE_EXPIRED', errors: [{ path: 'code' }] });
        expect(await confirmedSubscribers(p.db)).toEqual([]);
      });
    });
  });
}
