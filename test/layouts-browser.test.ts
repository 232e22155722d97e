// Layouts that fit (issue 17, items 2 and 4): the on-duty technician's phone opens on "my duties" (the acknowledgement
// of a new red incident with its countdown; 收到 there removes it); no screen overflows 360 px; the wall fits
// 1920×1080 with every panel and no scrollbar, its feed without paging entries; no English on the zh-CN home screen
// and wall. Chromium (Debian's) against a real `lifeline start`; pages go by webhook to a local receiver.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_ASCII_WORDS,
  asciiWordsOnScreen,
  browserUnavailable,
  buildWebApp,
  collectPageErrors,
  hasVerticalScroll,
  horizontalOverflow,
  launchChromium,
  phoneContext,
  signIn,
  wallContext,
} from './support/browser.js';
import { startRecordingServer, writeWebhookNotify, type RecordingServer } from './support/recording-server.js';
import { lifeline, type RunningServer, startServer, tempDir, tokenApi } from './support/server.js';

const SHOTS = 'artifacts/screenshots';
const ADMIN = { username: 'admin', password: 'layouts admin passphrase', name: '管理员' };
const TECH = { username: 'zhangwei', password: 'layouts technician passphrase', name: '张伟（信息中心）' };
/** Administration sections (web/src/routes/admin/AdminRoutes.tsx); those not built yet answer the app's 404 page, also checked. */
const ADMIN_SECTIONS = ['people', 'roles', 'rotas', 'accounts', 'tokens', 'sources', 'maintenance', 'channels', 'plan'];
/** Several incidents at once, one of them with a 2,000-character title (a monitoring tool's summary). */
const SIGNALS = [
  { system: 'HIS', severity: 'red', summary: 'HIS 数据库服务中断' },
  { system: 'PACS', severity: 'red', summary: '影像系统存储阵列故障' },
  { system: 'LIS', severity: 'orange', summary: '检验系统接口超时' },
  { system: 'EMR', severity: 'red', summary: `电子病历无法保存${'，病区反馈电子病历保存失败'.repeat(150)}` },
  { system: 'APPOINTMENT', severity: 'orange', summary: '预约挂号平台响应缓慢' },
  { system: 'MOBILE_NURSING', severity: 'orange', summary: '移动护理掌上电脑无法同步' },
];

/** Words of the plan's own Chinese names (机房供电（含UPS、发电机）) besides the shared allow-list. */
const ALLOWED = [...ALLOWED_ASCII_WORDS, 'UPS'];

const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);

describe.skipIf(!!skip).sequential('layouts that fit: my duties on a phone, 360 px screens, the wall', { timeout: 90_000 }, () => {
  let server: RunningServer;
  let receiver: RecordingServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let token: string;
  let hisId = '';
  const errors: string[] = [];

  const api = tokenApi(() => ({ url: server.url, token }));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await buildWebApp();
    receiver = await startRecordingServer(() => '{"ok":true}');
    const dataDir = tempDir('lifeline-layouts-');
    writeWebhookNotify(dataDir, receiver.url, '{ every: 10m, limit: 2 }');
    const env = { LIFELINE_DATA_DIR: dataDir };
    await lifeline(env, ['user', 'add', ADMIN.username, '--role', 'admin', '--name', ADMIN.name, '--password-stdin'], `${ADMIN.password}\n`);
    await lifeline(env, ['user', 'add', TECH.username, '--role', 'technical', '--name', TECH.name, '--password-stdin'], `${TECH.password}\n`);
    token = (await lifeline(env, ['token', 'add', 'layouts-test', '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    server = await startServer(env);

    // 张伟 holds tech_oncall now, and the technician's account is linked to him
    const zhang = (await api<{ id: string }>('POST', '/people', { name: '张伟', employeeNo: 'L17001', mobile: '13800001701' })).id;
    await api('PUT', '/roles/tech_oncall/assignees', { holders: [zhang] });
    const account = (await api<{ items: { id: string; username: string }[] }>('GET', '/accounts')).items.find((a) => a.username === TECH.username)!;
    await api('PATCH', `/accounts/${account.id}`, { personId: zhang });

    for (const [n, s] of SIGNALS.entries()) await api('POST', '/signals', { source: 'zabbix', status: 'firing', dedupKey: `layouts-${n}`, ...s });
    type List = { items: { id: string; systems: { system: string }[] }[] };
    for (let n = 0; n < 100 && (await api<List>('GET', '/incidents')).items.length < SIGNALS.length; n++) await new Promise((r) => setTimeout(r, 200));
    const open = (await api<List>('GET', '/incidents')).items;
    expect(open).toHaveLength(SIGNALS.length);
    hisId = open.find((i) => i.systems.some((s) => s.system === 'HIS'))!.id;

    browser = await launchChromium();
    phone = await phoneContext(browser);
    page = await phone.newPage();
    collectPageErrors(page, errors, [401, 404]);
    await signIn(page, server.url, TECH);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  it('(a) a phone opens on my duties: O3.1 of the red HIS incident with its countdown; 收到 removes it', async () => {
    await page.getByTestId('my-duties').waitFor();
    // the first card of the home screen, above the incidents, which are above the system tiles
    const order = await page.evaluate(() => [...document.querySelectorAll('[data-testid="dashboard"] .ant-card')].map((c) => c.getAttribute('data-testid')));
    expect(order[0]).toBe('my-duties');
    expect(order.indexOf('active-incidents')).toBeLessThan(order.indexOf('system-board'));
    const duty = page.locator(`[data-testid="my-duty"][data-rule-id="O3.1"][data-incident-id="${hisId}"]`);
    await duty.waitFor();
    const countdown = await duty.getByTestId('countdown').innerText();
    expect(countdown).toMatch(/\d:\d\d/);
    expect(await duty.getByTestId('my-duty-action').innerText()).toMatch(/收\s*到/);
    expect(await asciiWordsOnScreen(page, ALLOWED)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'layouts-phone-my-duties.png') });
    await duty.getByTestId('my-duty-action').click();
    await duty.waitFor({ state: 'detached', timeout: 10_000 });
    const his = await api<{ obligations: { ruleId: string; state: string; metBy: string | null }[] }>('GET', `/incidents/${hisId}`);
    expect(his.obligations.find((o) => o.ruleId === 'O3.1')).toMatchObject({ state: 'met', metBy: TECH.name });
  });

  it('(b) nothing overflows 360 px: home, incident room, downtime, history, figures, plan, signals, administration', async () => {
    const check = async (p: Page, url: string, ready: string) => {
      await p.goto(`${server.url}${url}`);
      await p.getByTestId(ready).first().waitFor({ timeout: 15_000 });
      await p.waitForTimeout(250);
      return `${url}: ${await horizontalOverflow(p)}`;
    };
    const found: string[] = [];
    for (const [url, ready] of [
      ['/', 'active-incidents'],
      [`/incidents/${hisId}`, 'obligations'],
      ['/downtime', 'brand'],
      ['/history', 'brand'],
      ['/figures', 'brand'],
      ['/plan', 'brand'],
      ['/signals', 'brand'],
    ] as const)
      found.push(await check(page, url, ready));
    await page.goto(`${server.url}/incidents/${hisId}`);
    await page.getByTestId('deliveries').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'layouts-phone-incident.png'), fullPage: true });
    // the header's navigation is a drawer on a phone
    await page.getByTestId('nav-menu').click();
    await page.getByTestId('nav-drills').waitFor();

    const adminPage = await phone
      .browser()!
      .newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true })
      .then((c) => c.newPage());
    await signIn(adminPage, server.url, ADMIN);
    for (const section of ADMIN_SECTIONS) found.push(await check(adminPage, `/admin/${section}`, 'brand'));
    await adminPage.getByTestId('nav-menu').click();
    await adminPage.getByTestId('nav-admin').waitFor();
    await adminPage.context().close();
    expect(found.filter((f) => !f.endsWith(': '))).toEqual([]);
  });

  it('(c, d) the wall fits 1920×1080 with every panel, rotates, and its feed has no paging entries', async () => {
    // paging happened: the timelines hold page entries the wall must leave out
    const his = await api<{ timeline: { kind: string }[] }>('GET', `/incidents/${hisId}`);
    expect(his.timeline.some((e) => e.kind.startsWith('page.'))).toBe(true);

    const wall = await (await wallContext(browser)).newPage();
    collectPageErrors(wall, errors, [401]);
    await signIn(wall, server.url, ADMIN);
    await wall.goto(`${server.url}/wall`);
    await wall.getByTestId('wall').waitFor();
    await expect.poll(() => wall.getByTestId('incident-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await wall.locator('[data-testid="level-chart-canvas"]').first().waitFor();
    for (const panel of ['systems', 'incidents', 'deadlines', 'timeline', 'onduty', 'chart']) {
      const box = await wall.getByTestId(`wall-panel-${panel}`).boundingBox();
      expect(box, panel).not.toBeNull();
      expect(box!.y + box!.height, panel).toBeLessThanOrEqual(1080);
    }
    expect(await hasVerticalScroll(wall)).toBe(false);
    expect(await wall.getByTestId('latest-entry').count()).toBeGreaterThan(0);
    const kinds = await wall.getByTestId('latest-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? ''));
    expect(kinds.filter((k) => k.startsWith('page.') || k.startsWith('signal.'))).toEqual([]);
    // more deadlines than fit: the panel rotates, and says so
    expect(await wall.getByTestId('wall-panel-deadlines').getByTestId('page-dots').count()).toBe(1);
    await wall.mouse.move(5, 5);
    await expect.poll(() => wall.getByTestId('rotation-indicator').getAttribute('data-paused')).toBe('true');
    expect(await asciiWordsOnScreen(wall, ALLOWED)).toEqual([]);
    await wall.screenshot({ path: path.join(SHOTS, 'layouts-wall.png') });
    expect(errors).toEqual([]);
  });
});
