// The regulator-reports card in a real browser (Debian's Chromium) against a real server: an MI-settlement outage at
// L2 shows the 医保局 report with its countdown and its draft link; the national grade 较大 chosen in the card starts the
// CAC report; a refused submission (a reference too long for the server) is said in Chinese; the submission recorded
// with the form (time, recipient, reference, the file) meets RR.mi. Screenshots: artifacts/screenshots/regulators-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, buildWebApp, collectPageErrors, desktopContext, launchChromium } from './support/browser.js';
import { lifeline, type RunningServer, startServer, tempDir, tokenCall } from './support/server.js';

const SHOTS = 'artifacts/screenshots';
const ADMIN = { username: 'admin', password: 'browser test passphrase', name: '宣传组李明' };
const soon = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);

interface ReportsJson {
  reports: { ruleId: string; state: string; dueAt: string; submissions: { reference: string; submittedBy: string; file: { name: string; size: number } }[] }[];
}

describe.skipIf(!!skip).sequential('incident page: regulator reports in Chromium', { timeout: 60_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let id: string;
  const errors: string[] = [];

  const api = tokenCall(() => ({ url: server.url, token }));
  const reports = async () => (await api('GET', `/incidents/${id}/regulator-reports`)).json as ReportsJson;
  const card = () => page.getByTestId('regulator-reports');
  const row = (rule: string) => page.locator(`[data-testid="regulator-report"][data-rule="${rule}"]`);
  const shot = (name: string) => card().screenshot({ path: path.join(SHOTS, `regulators-${name}.png`) });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await buildWebApp();
    const env = { LIFELINE_DATA_DIR: tempDir('lifeline-web-regulators-') };
    await lifeline(env, ['user', 'add', ADMIN.username, '--role', 'admin', '--name', ADMIN.name, '--password-stdin'], `${ADMIN.password}\n`);
    token = (await lifeline(env, ['token', 'add', 'regulators-test', '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    server = await startServer(env);
    browser = await launchChromium();
    page = await (await desktopContext(browser)).newPage();
    collectPageErrors(page, errors, [400, 401]); // 400: the refused submission below is expected
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an L2 MI-settlement outage shows the MI bureau report with its countdown and draft', async () => {
    const posted = await api('POST', '/signals', {
      source: 'zabbix',
      system: 'MI_SETTLEMENT',
      component: 'gateway',
      severity: 'red',
      status: 'firing',
      summary: '医保结算网关中断',
      dedupKey: 'rr-web-1',
    });
    expect(posted.status).toBe(202);
    await soon(async () => ((await api('GET', '/incidents')).json as { items?: { id: string }[] }).items?.length ?? 0).toBe(1);
    id = ((await api('GET', '/incidents')).json as { items: { id: string }[] }).items[0]!.id;
    await page.goto(`${server.url}/incidents/${id}`);
    await row('RR.mi').waitFor();
    expect(await row('RR.mi').getAttribute('data-state')).toBe('pending');
    const text = await row('RR.mi').innerText();
    expect(text).toContain('医保局/医保经办机构');
    expect(text).toContain('待报送');
    await row('RR.mi').getByTestId('countdown').waitFor();
    expect(await row('RR.mi').getByTestId('regulator-draft').getAttribute('href')).toBe(`/api/v1/incidents/${id}/regulator-reports/RR.mi/draft.docx`);
    const draft = await page.request.get(`${server.url}/api/v1/incidents/${id}/regulator-reports/RR.mi/draft.docx`);
    expect(draft.status()).toBe(200);
    expect((await draft.body()).subarray(0, 2).toString()).toBe('PK'); // a zip: the .docx
    await shot('01-mi-pending');
  });

  it('the national grade 较大 chosen in the card starts the CAC report', async () => {
    await page.getByTestId('national-grade-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '较大' }).click();
    await row('RR.cac').waitFor();
    expect(await row('RR.cac').innerText()).toContain('属地省级网信部门');
    expect((await reports()).reports.map((r) => r.ruleId)).toEqual(['RR.mi', 'RR.cac']);
  });

  it('records the submission with the form; a refusal is said in Chinese; RR.mi is met', async () => {
    await row('RR.mi').getByTestId('regulator-record').click();
    const form = page.getByTestId('regulator-submit-form');
    await form.waitFor();
    await form.locator('#reference').fill('医保报〔2026〕9号');
    const file = path.join(tempDir('rr-upload-'), '医保局报告.pdf');
    fs.writeFileSync(file, '%PDF-1.4 scanned and stamped');
    await page.locator('.ant-modal input[type="file"]').setInputFiles(file);
    // a time in the future: the browser's own limit is bypassed to see the server's refusal said in Chinese
    const future = new Date(Date.now() + 8 * 3600_000 + 3 * 3600_000).toISOString().slice(0, 16);
    await form.locator('#submittedAt').evaluate((el, v) => {
      (el as HTMLInputElement).removeAttribute('max');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, future);
    await page.locator('.ant-modal .ant-btn-primary').click();
    await page.getByTestId('regulator-submit-error').waitFor();
    expect(await page.getByTestId('regulator-submit-error').innerText()).toMatch(/报送时间不能晚于现在/);
    await shot('02-refused');
    const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16); // this minute: sent as now
    await form.locator('#submittedAt').fill(now);
    const sent = page.waitForResponse((r) => r.url().endsWith('/regulator-reports/RR.mi/submissions'));
    await page.locator('.ant-modal .ant-btn-primary').click();
    const answer = await sent;
    expect(answer.status(), await answer.text()).toBe(201);
    await soon(() => row('RR.mi').getAttribute('data-state')).toBe('met');
    expect(await row('RR.mi').getByTestId('regulator-submissions').innerText()).toContain('医保报〔2026〕9号');
    const mi = (await reports()).reports.find((r) => r.ruleId === 'RR.mi')!;
    expect(mi.submissions).toMatchObject([{ reference: '医保报〔2026〕9号', submittedBy: ADMIN.name, file: { name: '医保局报告.pdf', size: 28 } }]);
    expect((await reports()).reports.find((r) => r.ruleId === 'RR.cac')?.state).toBe('pending');
    await shot('03-met');
    expect(errors).toEqual([]);
  });
});
