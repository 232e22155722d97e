// Forms that refuse bad input and keep your work, in Chromium against a real `lifeline start` with one admin:
// tallies refused with worded messages, 调整级别 opens empty, a checklist item assigned to a role holder, the
// blocked close said once (Chinese, then English), and an expired session that keeps the draft and completes the
// action once after signing in again in place.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiWordsOnScreen, browserUnavailable, buildWebApp, desktopContext, launchChromium, signIn } from './support/browser.js';
import { lifeline, type RunningServer, startServer, tempDir, tokenCall } from './support/server.js';

const ADMIN = { username: 'admin', password: 'forms admin passphrase', name: '值班管理员' };
const HIS_DOWN = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'forms-his-1' };

const skip = browserUnavailable();
if (skip) console.warn(`[skip] forms browser tests skipped: ${skip}`);

describe.skipIf(!!skip).sequential('forms in Chromium', () => {
  let env: Record<string, string>;
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let page: Page;
  let token: string;
  let incidentId: string;
  let leadId: string;

  const api = tokenCall(() => ({ url: server.url, token }), '');
  const incident = async () => (await api('GET', `/api/v1/incidents/${incidentId}`)).json;
  const tally = (c: string) => page.locator(`input[data-testid="impact-tally-${c}"]`);
  const fieldError = () => page.locator('[data-testid="impact-form"] .ant-form-item-explain-error');

  beforeAll(async () => {
    await buildWebApp();
    env = { LIFELINE_DATA_DIR: tempDir('lifeline-forms-web-') };
    await lifeline(env, ['user', 'add', ADMIN.username, '--role', 'admin', '--name', ADMIN.name, '--password-stdin'], `${ADMIN.password}\n`);
    token = (await lifeline(env, ['token', 'add', 'forms-browser-test', '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    server = await startServer(env);
    const lead = await api('POST', '/api/v1/people', { name: '王主任', department: '信息中心' });
    leadId = lead.json.id;
    expect((await api('PUT', '/api/v1/roles/tech_lead/assignees', { holders: [leadId] })).status).toBe(200);
    expect((await api('POST', '/api/v1/signals', HIS_DOWN)).status).toBe(202);
    for (let tries = 0; !incidentId && tries < 200; tries++) {
      incidentId = (await api('GET', '/api/v1/incidents')).json.items[0]?.id;
      if (!incidentId) await new Promise((r) => setTimeout(r, 100)); // the signal is processed in the background
    }
    browser = await launchChromium();
    desk = await desktopContext(browser);
    page = await desk.newPage();
    await signIn(page, server.url, ADMIN, `/incidents/${incidentId}`);
    await page.getByTestId('impact-form').waitFor();
  }, 300_000); // a web build and a server start on a loaded machine

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses -5 and abc as patient tallies with worded messages and stores nothing', async () => {
    await tally('emergency').fill('-5');
    await page.getByTestId('impact-submit').click();
    await expect.poll(() => fieldError().innerText()).toBe('人数不能为负数');
    await tally('emergency').fill('abc');
    await page.getByTestId('impact-submit').click();
    await expect.poll(() => fieldError().innerText()).toBe('请输入整数人数（只能是数字）');
    expect((await incident()).tallies.emergency ?? null).toBeNull();
    await tally('emergency').fill('');
  }, 60_000);

  it('opens 调整级别 empty the second time', async () => {
    await page.getByTestId('action-set_level').click();
    await page.getByTestId('set-level-reason').fill('影响扩大，决定升级为一级');
    await page.getByTestId('set-level-select').click();
    await page.locator('.ant-select-item-option[title*="L1"], .ant-select-item-option').filter({ hasText: 'L1' }).first().click();
    await page.getByTestId('set-level-submit').click();
    await expect.poll(async () => (await incident()).level).toBe('L1');
    await page.getByTestId('action-set_level').click();
    await expect.poll(() => page.getByTestId('set-level-reason').inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await page.getByTestId('set-level-form').waitFor({ state: 'detached' });
  }, 60_000);

  it('ticks a checklist item and assigns it to a person picked from the group role holders', async () => {
    const item = page.locator('[data-testid="checklist-item"][data-item-id="T3.4"]');
    await item.getByTestId('checklist-tick').click();
    await expect.poll(() => item.getAttribute('data-done')).toBe('true');
    await item.getByTestId('checklist-assignee').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '王主任（技术保障组组长）' }).click();
    const assigned = async () =>
      (await api('GET', `/api/v1/incidents/${incidentId}/checklists`)).json.groups.flatMap((g: { items: unknown[] }) => g.items).find((i: { itemId: string }) => i.itemId === 'T3.4');
    await expect.poll(async () => (await assigned()).assignee).toBe(leadId);
    expect(await assigned()).toMatchObject({ assigneeName: '王主任' });
    await expect.poll(() => item.innerText()).toContain('王主任');
  }, 60_000);

  it('says a blocked close once, in Chinese with the checks worded, then in English', async () => {
    const session = await api('POST', `/api/v1/incidents/${incidentId}/downtime/sessions`, { businessLine: 'registration', department: 'OPD_REG' });
    expect(session.status).toBe(201);
    expect((await api('POST', '/api/v1/downtime/forms', { type: 'registration_slip', count: 2, sessionId: session.json.id })).status).toBe(201);
    await page.getByTestId('action-close').click();
    await page.getByTestId('close-reason').fill('已恢复');
    await page.getByTestId('close-submit').click();
    const blocked = page.getByTestId('close-blocked');
    await blocked.waitFor();
    expect(await blocked.count()).toBe(1);
    expect(await page.getByTestId('api-error').count()).toBe(0); // said once: not also as a notification
    expect(await blocked.innerText()).toMatch(/挂号 · 门诊挂号收费处：手工运行中，已复核 0\/0 条；未通过的核对：单据与补录/);
    expect(await page.getByTestId('close-blocker-link').getAttribute('href')).toBe(`/downtime/sessions/${session.json.id}`);
    expect(await asciiWordsOnScreen(page)).toEqual([]);
    await page.getByTestId('lang-switch').getByText('EN').click();
    await expect.poll(() => blocked.innerText()).toMatch(/Registration · .+: .+, 0\/0 records verified; checks still open: Forms issued vs entered/);
    await page.getByTestId('lang-switch').getByText('中文').click();
    expect((await incident()).state).not.toBe('closed');
  }, 60_000);

  it('keeps a typed draft through an expired session and completes the action once after signing in again', async () => {
    await tally('inpatient').fill('7');
    await desk.clearCookies(); // the session is gone as far as this browser knows
    await page.getByTestId('impact-submit').click();
    const dialog = page.getByTestId('session-expired-note').last();
    await expect.poll(() => dialog.innerText()).toContain('重新登录后，您刚才的操作将自动完成');
    expect(await tally('inpatient').inputValue()).toBe('7'); // the page and the draft stay
    expect(await page.evaluate(() => sessionStorage.getItem('lifeline.pendingAction'))).toContain('"tally":{"inpatient":7}');
    expect((await incident()).tallies.inpatient ?? null).toBeNull();
    await page.locator('.ant-modal [data-testid="login-password"]').fill(ADMIN.password);
    await page.locator('.ant-modal [data-testid="login-submit"]').click();
    await expect.poll(async () => (await incident()).tallies.inpatient).toBe(7);
    await page.getByTestId('session-expired-note').waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 1500)); // a second send would have landed by now
    const entries = (await incident()).timeline.filter((t: { kind: string; data: { category?: string } }) => t.kind === 'impact.tally' && t.data.category === 'inpatient');
    expect(entries).toHaveLength(1);
    expect(await page.evaluate(() => sessionStorage.getItem('lifeline.pendingAction'))).toBeNull();
  }, 90_000);
});
