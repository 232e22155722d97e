// Approving and publishing an announcement (issue 16, deliverable 2), end to end: a real `lifeline start` with a
// publicity.yaml (the hospital website at a local receiver that checks the signature, the WeChat Official Account at a
// local fake that checks every request as documented); an L1 outage of the appointment platform prepares the drafts;
// the publicity lead signs in through the login page, opens the incident room, edits the O1.3 draft (title, expected
// recovery time), approves and publishes it (批准并发布, confirmed), sees each channel's state — and the public status
// page shows it. O1.3 is met in her name. Debian's Chromium, real time, real HTTP.
// Screenshot: artifacts/screenshots/announcement-published.png
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatOaFake, type WechatOaFake } from '../src/publicity/announcements/channels/fakes/wechat-oa-fake.js';
import { browserUnavailable, buildWebApp, collectPageErrors, desktopContext, launchChromium } from './support/browser.js';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';
import { lifeline, type RunningServer, startServer, tempDir, tokenApi } from './support/server.js';

const SHOTS = 'artifacts/screenshots';
const LEAD = { username: 'wangfang', password: 'publicity passphrase 16', name: '王芳（院办）' };
const SECRET = 'browser-test-website-secret-0123';
const WX = { appid: 'wxbrowsertest0001', secret: 'wechat-browser-secret-0123456789', thumbMediaId: 'THUMB_BROWSER' };
const TITLE = '预约挂号暂停公告（浏览器测试）';

const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);
const soon = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe.skipIf(!!skip).sequential('approving and publishing an announcement', { timeout: 90_000 }, () => {
  let server: RunningServer;
  let website: RecordingServer;
  let wechat: WechatOaFake;
  let browser: Browser;
  let page: Page;
  let token: string;
  const errors: string[] = [];

  const api = tokenApi(() => ({ url: server.url, token }));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await buildWebApp();
    website = await startRecordingServer(() => '{"ok":true}');
    website.status = 200;
    wechat = await startWechatOaFake(WX);
    const dataDir = tempDir('lifeline-web-announcements-');
    fs.writeFileSync(
      path.join(dataDir, 'publicity.yaml'),
      [
        'hospital: { zh: 某某医院, en: Mouimou Hospital }',
        'website:',
        `  url: ${website.url}/notices`,
        '  secret: ${WEBSITE_SECRET}',
        'wechat:',
        `  appid: ${WX.appid}`,
        `  secret: ${WX.secret}`,
        `  thumbMediaId: ${WX.thumbMediaId}`,
        `  apiBase: ${wechat.url}`,
      ].join('\n'),
    );
    const env = { LIFELINE_DATA_DIR: dataDir, WEBSITE_SECRET: SECRET };
    await lifeline(env, ['user', 'add', LEAD.username, '--role', 'publicity', '--name', LEAD.name, '--password-stdin'], `${LEAD.password}\n`);
    token = (await lifeline(env, ['token', 'add', 'announcement-test', '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    server = await startServer(env);

    browser = await launchChromium();
    page = await (await desktopContext(browser)).newPage();
    collectPageErrors(page, errors, [401]);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(LEAD.username);
    await page.getByTestId('login-password').fill(LEAD.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await website?.close();
    await wechat?.close();
  });

  it('the publicity lead edits the O1.3 draft, approves and publishes it; the channels and the status page show it', async () => {
    // the appointment platform is down; HQ raises the incident to L1 (O1.3 and O2.4 start, drafts are prepared)
    const incident = await api<{ id: string }>('POST', '/incidents', { title: '预约挂号平台中断', systems: [{ system: 'APPOINTMENT', state: 'down' }] });
    await api('POST', `/incidents/${incident.id}/actions`, { type: 'set_level', level: 'L1', reason: '全院挂号中断' });
    await soon(async () => (await api<{ items: { ruleId: string }[] }>('GET', `/incidents/${incident.id}/announcements`)).items.map((a) => a.ruleId).sort()).toEqual(['O1.3', 'O2.4']);

    await page.goto(`${server.url}/incidents/${incident.id}`);
    const card = page.getByTestId('announcements');
    const draft = card.locator('[data-testid="announcement"][data-rule="O1.3"]');
    await draft.waitFor();
    expect(await draft.getAttribute('data-state')).toBe('draft');
    expect(await draft.getByTestId('announcement-body').innerText()).toContain('人工挂号窗口');

    // edit: a shorter title, the expected recovery time two hours from now
    await draft.getByTestId('announcement-edit').click();
    await page.getByTestId('announcement-title-zh').fill(TITLE);
    const eta = new Date(Date.now() + 2 * 3600_000);
    const local = new Date(eta.getTime() + 8 * 3600_000).toISOString().slice(0, 16); // the browser runs in Beijing time
    await page.getByTestId('announcement-expected').fill(local);
    await page.getByTestId('announcement-save').click();
    await soon(() => draft.getByTestId('announcement-title').innerText()).toBe(TITLE);
    const expectedClock = local.slice(11, 16);
    expect(await draft.getByTestId('announcement-body').innerText()).toContain(expectedClock);

    // 批准并发布, confirmed
    await draft.getByTestId('announcement-approve').click();
    await page.getByTestId('announcement-approve-confirm').click();
    // approval answers once every channel was tried, the printed notice included: the first PDF of a process starts
    // Chromium (about 11 s on an idle machine, more on a busy CI one)
    await expect.poll(() => draft.getAttribute('data-state'), { timeout: 60_000 }).toBe('published');
    const state = (channel: string) => draft.locator(`[data-testid="announcement-delivery"][data-channel="${channel}"]`).getAttribute('data-state');
    await soon(() => state('website')).toBe('sent');
    expect(await state('status_page')).toBe('sent');
    expect(await state('wechat_oa')).toBe('sent');
    expect(await state('onsite_notice')).toBe('sent');
    expect(await state('sms')).toBe('skipped'); // no SMS channel in notify.yaml: skipped with its reason, shown
    expect(await draft.locator('[data-channel="sms"]').innerText()).toContain('渠道未配置');
    await page.screenshot({ path: path.join(SHOTS, 'announcement-published.png'), fullPage: true });

    // the website got one signed POST; WeChat every request as documented
    expect(website.received).toHaveLength(1);
    const req = website.received[0]!;
    const ts = String(req.headers['x-lifeline-timestamp']);
    expect(req.headers['x-lifeline-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.body}`).digest('hex')}`);
    expect(JSON.parse(req.body).title.zh).toBe(TITLE);
    expect(wechat.problems()).toEqual([]);
    expect(wechat.published.map((p) => p.articles[0]!.title)).toEqual([TITLE]);

    // O1.3 is met by her, by name
    const after = await api<{ obligations: { ruleId: string; state: string; metBy: string | null }[] }>('GET', `/incidents/${incident.id}`);
    expect(after.obligations.find((o) => o.ruleId === 'O1.3')).toMatchObject({ state: 'met', metBy: LEAD.name });

    // the public status page (no sign-in) shows it
    const status = await (await fetch(`${server.url}/api/v1/status`)).json();
    expect(status.announcements.map((a: { title: { zh: string } }) => a.title.zh)).toContain(TITLE);
    const publicPage = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await publicPage.goto(`${server.url}/status`);
    expect(await publicPage.locator('body').innerText()).toContain(TITLE);
    await publicPage.close();

    // she withdraws it, with a reason (none: refused by the form): it leaves the status page, the reason stays with it
    await draft.getByTestId('announcement-withdraw').click();
    await page.getByTestId('announcement-withdraw-confirm').click();
    await page.getByText('请填写撤回原因').waitFor();
    await page.getByTestId('announcement-withdraw-reason').fill('预计恢复时间有误，另发更正');
    await page.getByTestId('announcement-withdraw-confirm').click();
    await soon(() => draft.getAttribute('data-state')).toBe('withdrawn');
    expect(await draft.innerText()).toContain(`${LEAD.name} 于`);
    expect(await draft.innerText()).toContain('预计恢复时间有误，另发更正');
    await soon(async () => (await (await fetch(`${server.url}/api/v1/status`)).json()).announcements.map((a: { title: { zh: string } }) => a.title.zh)).not.toContain(TITLE);

    expect(errors).toEqual([]);
  });
});
