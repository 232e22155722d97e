// Setting up a hospital without the command line (issue 17, "Done when"): from `lifeline start` on an empty data
// folder and one administrator account, a person in Debian's Chromium imports the people from a spreadsheet,
// creates the on-call rotation, adds a user account linked to a person of the directory, adds a Zabbix source and a
// WeCom group-robot channel (its key typed into the form; a test message reaches a local fake of WeCom's webhook,
// which checks the request as WeCom documents it) and a maintenance window. Each step is checked through the API
// as well, and no zh-CN screen of the walk shows an English word or an internal id (configuration snippets, marked
// `data-code`, are code and left out). Nothing is set up on the command line but the first administrator.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWecomRobotFake } from '../src/notify/channels/fakes/robots-fake.js';
import type { HttpChannelFake } from '../src/notify/channels/fakes/http-fake.js';
import { asciiWordsOnScreen, browserUnavailable, buildWebApp, collectPageErrors, desktopContext, launchChromium, signIn } from './support/browser.js';
import { lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

const ADMIN = { username: '8000', password: 'set-up walk passphrase', name: '信息中心管理员' };
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const PEOPLE = [
  ['工号', '姓名', '科室', '手机', '邮箱'],
  ['6001', '周一', '信息中心', '13800006001', ''],
  ['6002', '吴二', '信息中心', '13800006002', ''],
  ['6003', '郑三', '医务科', '13800006003', ''],
];
/** Beijing-time date `days` from now, as YYYY-MM-DD. */
const beijingDate = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);

describe.skipIf(!!skip).sequential('a hospital set up in the browser from npm start and one administrator', { timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let wecom: HttpChannelFake;
  let dir: string;
  const errors: string[] = [];
  const screens: Record<string, string[]> = {};

  const api = async <T>(url: string): Promise<T> => (await page.request.get(`${server.url}/api/v1${url}`)).json() as Promise<T>;
  const pick = async (scope: Page | ReturnType<Page['getByTestId']>, testId: string, option: string) => {
    await scope.getByTestId(testId).click();
    await page.keyboard.type(option);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  };
  /** The screen's English words (configuration code left out), kept per screen for one assertion at the end. */
  const shot = (name: string) => page.screenshot({ path: `artifacts/screenshots/setup-${name}.png` });
  const scan = async (screen: string) => {
    await page.evaluate(() => {
      for (const code of document.querySelectorAll('[data-code]')) code.setAttribute('hidden', '');
    });
    screens[screen] = await asciiWordsOnScreen(page);
    await page.evaluate(() => {
      for (const code of document.querySelectorAll('[data-code]')) code.removeAttribute('hidden');
    });
  };

  beforeAll(async () => {
    await buildWebApp();
    fs.mkdirSync('artifacts/screenshots', { recursive: true });
    dir = tempDir('lifeline-setup-walk-');
    const env = { LIFELINE_DATA_DIR: dir };
    await lifeline(env, ['user', 'add', ADMIN.username, '--role', 'admin', '--name', ADMIN.name, '--password-stdin'], `${ADMIN.password}\n`);
    wecom = await startWecomRobotFake({ key: WECOM_KEY });
    server = await startServer(env);
    browser = await launchChromium();
    page = await (await desktopContext(browser)).newPage();
    page.setDefaultTimeout(60_000);
    collectPageErrors(page, errors, [401]);
    await signIn(page, server.url, ADMIN, '/admin/people');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await wecom?.close();
  });

  it('imports the people from a spreadsheet', async () => {
    const file = path.join(dir, '信息中心人员.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    for (const row of PEOPLE) ws.addRow(row);
    await wb.xlsx.writeFile(file);
    await page.getByTestId('admin-PeoplePage').waitFor();
    await page.getByTestId('import-file').setInputFiles(file);
    const preview = page.getByTestId('import-preview');
    await preview.getByTestId('import-clean').waitFor();
    await scan('people import preview');
    await preview.getByTestId('import-confirm').click();
    await expect.poll(() => page.getByTestId('person-card').count(), { timeout: 45_000 }).toBe(3);
    const people = await api<{ items: { name: string }[] }>('/people');
    expect(people.items.map((p) => p.name).sort()).toEqual(['吴二', '周一', '郑三'].sort());
    await scan('people');
    await shot('people');
  });

  it('creates the on-call rotation of the duty engineers', async () => {
    await page.getByTestId('admin-nav-rotas').click();
    await page.getByTestId('admin-RotasPage').waitFor();
    await page.getByTestId('rotation-add').click();
    const form = page.getByTestId('rotation-form');
    await form.waitFor();
    await scan('rotation form');
    await page.getByTestId('rotation-starts').fill(beijingDate(0));
    for (const who of ['周一', '吴二']) {
      await form.getByTestId('rotation-members-picker').click();
      await page.keyboard.type(who);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: who }).first().waitFor();
      await page.keyboard.press('Enter'); // the searched person is the active option
      await form.getByTestId('rotation-members-item').filter({ hasText: who }).waitFor();
      await page.keyboard.press('Escape'); // close the list before the next search
    }
    await page.getByTestId('rotation-save').click();
    await page.getByTestId('rotation-item').filter({ hasText: '周一' }).waitFor();
    const rotations = await api<{ items: { role: string; weekday: string[] }[] }>('/oncall/rotations');
    expect(rotations.items).toHaveLength(1);
    expect(rotations.items[0]!.role).toBe('tech_oncall');
    expect(rotations.items[0]!.weekday).toHaveLength(2);
    await scan('rotas');
  });

  it('adds a user account linked to a person of the directory', async () => {
    await page.getByTestId('admin-nav-accounts').click();
    await page.getByTestId('admin-AccountsPage').waitFor();
    await page.getByTestId('account-add').click();
    await page.getByTestId('account-username').waitFor();
    await scan('account form');
    await page.getByTestId('account-username').fill('6001');
    await page.getByTestId('account-name').fill('周一');
    await pick(page, 'account-role', '技术保障组');
    await page.getByTestId('account-password').fill('duty engineer passphrase');
    await page.getByTestId('account-password2').fill('duty engineer passphrase');
    await pick(page, 'account-person-picker', '周一');
    await page.getByTestId('account-save').click();
    const card = page.locator('[data-testid="account-card"][data-username="6001"]');
    await expect.poll(() => card.getByTestId('account-person').textContent(), { timeout: 30_000 }).toContain('周一');
    const people = await api<{ items: { id: string; name: string }[] }>('/people');
    const accounts = await api<{ items: { username: string; person: { id: string } | null }[] }>('/accounts');
    expect(accounts.items.find((a) => a.username === '6001')?.person?.id).toBe(people.items.find((p) => p.name === '周一')!.id);
    await scan('accounts');
  });

  it('adds a Zabbix source with its ready-to-paste set-up', async () => {
    await page.getByTestId('admin-nav-sources').click();
    await page.getByTestId('source-add').click();
    await page.getByTestId('source-name').fill('zabbix-01');
    await pick(page, 'source-type', 'Zabbix');
    await page.getByTestId('source-save').click();
    const setup = ((await page.getByTestId('setup-snippet-zabbix-parameters').locator('pre').textContent()) ?? '').trim();
    expect(setup).toContain(`${server.url}/api/v1/intake/zabbix`);
    const key = /^key = (\S+)$/m.exec(setup)?.[1];
    expect(key).toBeTruthy();
    await scan('source set-up');
    await page.getByTestId('setup-close').click();
    // the key works: Zabbix's webhook posts an event with it
    const alarm = await fetch(`${server.url}/api/v1/intake/zabbix`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_id: '42', event_value: '0', event_name: 'HIS 接口超时', event_nseverity: '2' }),
    });
    expect(alarm.status).toBe(202);
    await scan('sources');
  });

  it('adds a WeCom channel with its key typed into the form, and a test message reaches WeCom', async () => {
    await page.getByTestId('admin-nav-channels').click();
    await page.getByTestId('admin-ChannelsPage').waitFor();
    await page.getByTestId('channel-add').click();
    const form = page.getByTestId('channel-form');
    await form.waitFor();
    await scan('channel form');
    await page.getByTestId('channel-id').fill('it-wecom');
    await page.getByTestId('channel-field-key').fill(WECOM_KEY);
    await page.getByTestId('channel-field-endpoint').fill(wecom.url);
    await page.getByTestId('channel-save').click();
    const card = page.getByTestId('channel-card-it-wecom');
    await card.waitFor();
    expect(await card.innerText()).not.toContain(WECOM_KEY); // a secret is never shown back
    await pick(card, 'channel-test-to', '周一');
    await card.getByTestId('channel-test').click();
    await expect.poll(() => wecom.requests.length, { timeout: 30_000 }).toBe(1);
    expect(wecom.problems()).toEqual([]);
    expect(wecom.requests[0]!.query.get('key')).toBe(WECOM_KEY);
    await scan('channels');
    await shot('channels');
  });

  it('adds a maintenance window: who, why, until when', async () => {
    await page.keyboard.press('Escape'); // the test's person picker may still be open
    await page.getByTestId('admin-nav-maintenance').click();
    await page.getByTestId('admin-MaintenancePage').waitFor();
    await page.getByTestId('maintenance-add').click();
    await page.getByTestId('maintenance-reason').waitFor();
    await scan('maintenance form');
    await pick(page, 'maintenance-system', '检验信息系统');
    await page.getByTestId('maintenance-reason').fill('检验系统版本升级');
    await page.getByTestId('maintenance-save').click();
    const window = page.locator('[data-testid="maintenance-card"][data-state="active"]');
    await expect.poll(() => window.textContent(), { timeout: 30_000 }).toContain('检验系统版本升级');
    expect(await window.textContent()).toContain(ADMIN.name);
    const windows = await api<{ items: { reason: string; createdBy?: string; by?: string }[] }>('/maintenance');
    expect(windows.items.map((w) => w.reason)).toContain('检验系统版本升级');
    await scan('maintenance');
  });

  it('showed no English word or internal id on any zh-CN screen of the walk, and no page error', () => {
    expect(Object.keys(screens).length).toBeGreaterThanOrEqual(12);
    expect(Object.fromEntries(Object.entries(screens).filter(([, words]) => words.length))).toEqual({});
    expect(errors).toEqual([]);
  });
});
