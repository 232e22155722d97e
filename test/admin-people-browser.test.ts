// Setting up people, roles and rotas in the browser (issue 17), end to end: a real `lifeline start`, one admin signed
// in through the login page. She imports people from a generated .xlsx whose preview shows its one bad row first
// (nothing written), fixes the file and confirms; makes one person holder and another deputy of a role with the
// picker; creates a rotation that starts in three days and sees the gap before it highlighted. At 360 px the people
// page has no horizontal overflow, and no zh-CN screen shows an English word. Debian's Chromium, real HTTP.
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiWordsOnScreen, browserUnavailable, buildWebApp, collectPageErrors, desktopContext, horizontalOverflow, launchChromium, phoneContext, signIn } from './support/browser.js';
import { lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

const ADMIN = { username: 'admin', password: 'admin passphrase 17 people', name: '系统管理员' };
const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);

async function xlsx(file: string, rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}
const HEADER = ['工号', '姓名', '科室', '手机', '邮箱'];
const GOOD = [
  ['5001', '赵一', '信息科', '13800005001', 'zhao@h.example'],
  ['5003', '孙三', '网络组', '13800005003', ''],
  ['5004', '李四', '网络组', '13800005004', ''],
];
/** Beijing-time date `days` from now, as YYYY-MM-DD. */
const beijingDate = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!!skip).sequential('people, roles and rotas in the browser', { timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const errors: string[] = [];
  const api = async <T>(url: string): Promise<T> => (await page.request.get(`${server.url}/api/v1${url}`)).json() as Promise<T>;
  const names = async () => (await api<{ items: { name: string }[] }>('/people')).items.map((p) => p.name).sort();

  beforeAll(async () => {
    await buildWebApp();
    dir = tempDir('lifeline-web-admin-people-');
    const env = { LIFELINE_DATA_DIR: dir };
    await lifeline(env, ['user', 'add', ADMIN.username, '--role', 'admin', '--name', ADMIN.name, '--password-stdin'], `${ADMIN.password}\n`);
    server = await startServer(env);
    browser = await launchChromium();
    page = await (await desktopContext(browser)).newPage();
    page.setDefaultTimeout(60_000); // the CI machine may be busy with other test files
    collectPageErrors(page, errors, [401]);
    await signIn(page, server.url, ADMIN, '/admin/people');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('imports people: the bad row is shown first and nothing is written until a clean file is confirmed', async () => {
    await page.getByTestId('admin-PeoplePage').waitFor();
    const bad = await xlsx(path.join(dir, '人员名单.xlsx'), [HEADER, GOOD[0], ['5002', '钱二', '信息科', '12345', ''], GOOD[1], GOOD[2]]);
    await page.getByTestId('import-file').setInputFiles(bad);
    const preview = page.getByTestId('import-preview');
    await preview.getByTestId('import-bad').waitFor();
    const rows = preview.locator('[data-testid^="import-row-"]');
    expect(await rows.count()).toBe(4);
    expect(await rows.first().getAttribute('data-testid')).toBe('import-row-bad');
    expect(await rows.first().getAttribute('data-row')).toBe('3');
    const issue = rows.first().getByTestId('import-issue');
    expect(await issue.getAttribute('data-code')).toBe('MOBILE_INVALID');
    expect(await issue.innerText()).toBe('手机：12345 不是手机号');
    expect(await rows.first().innerText()).toContain('人员 第 3 行');
    expect(await preview.getByTestId('import-confirm').count()).toBe(0); // only a clean preview can be confirmed as is
    expect(await preview.getByTestId('import-good-only').innerText()).toContain('3');
    expect(await asciiWordsOnScreen(page)).toEqual([]);
    expect(await names()).toEqual([]);

    // the admin fixes the file and chooses it again: a clean preview, then the import
    const fixed = await xlsx(path.join(dir, '人员名单（改）.xlsx'), [HEADER, GOOD[0], ['5002', '钱二', '信息科', '13800005002', ''], GOOD[1], GOOD[2]]);
    await page.getByTestId('import-file').setInputFiles(fixed);
    await preview.getByTestId('import-clean').waitFor();
    expect(await preview.getByTestId('import-row-bad').count()).toBe(0);
    expect(await names()).toEqual([]);
    await preview.getByTestId('import-confirm').click();
    await expect.poll(names, { timeout: 45_000 }).toEqual(['孙三', '李四', '赵一', '钱二'].sort());
    await expect.poll(() => page.getByTestId('person-card').count(), { timeout: 45_000 }).toBe(4);
    expect(await page.getByTestId('import-preview').count()).toBe(0);
  });

  it('sets a role holder and a deputy with the person picker', async () => {
    await page.getByTestId('admin-nav-roles').click();
    const card = page.locator('[data-testid="role-card"][data-role="tech_lead"]');
    await card.waitFor();
    const pick = async (list: string, who: string) => {
      await card.getByTestId(`${list}-picker`).click();
      await page.keyboard.type(who);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: who }).first().click();
      await card.getByTestId(`${list}-item`).filter({ hasText: who }).waitFor();
    };
    await pick('role-holders', '赵一');
    await pick('role-deputies', '孙三');
    await pick('role-deputies', '李四');
    await card.getByTestId('role-save').click();
    type Roles = { items: { role: string; holders: { name: string }[]; deputies: { name: string }[] }[] };
    await expect
      .poll(async () => {
        const r = (await api<Roles>('/roles')).items.find((x) => x.role === 'tech_lead')!;
        return [r.holders.map((p) => p.name), r.deputies.map((p) => p.name)];
      })
      .toEqual([['赵一'], ['孙三', '李四']]);
    expect(await asciiWordsOnScreen(page)).toEqual([]);
  });

  it('creates a rotation starting in three days and sees the gap before it highlighted', async () => {
    await page.getByTestId('admin-nav-rotas').click();
    await page.getByTestId('admin-RotasPage').waitFor();
    const gaps = page.getByTestId('gaps');
    await gaps.waitFor();
    const onCallGap = gaps.locator('[data-testid="gap-item"][data-role="tech_oncall"]');
    await onCallGap.waitFor();
    const starts = beijingDate(3);
    expect(await onCallGap.innerText()).not.toContain(`${starts.slice(5)} 08:00`); // nobody at all: the gap runs the whole 14 days

    await page.getByTestId('rotation-add').click();
    const form = page.getByTestId('rotation-form');
    await form.waitFor();
    await page.getByTestId('rotation-starts').fill(starts);
    for (const who of ['孙三', '李四']) {
      await form.getByTestId('rotation-members-picker').click();
      await page.keyboard.type(who);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: who }).first().click();
      await form.getByTestId('rotation-members-item').filter({ hasText: who }).waitFor();
    }
    await page.getByTestId('rotation-save').click();
    await page.getByTestId('rotation-item').filter({ hasText: '孙三' }).waitFor();
    // the gap now ends where the rotation's first shift begins, and is still shown as "no one on duty"
    await expect.poll(() => onCallGap.innerText(), { timeout: 45_000 }).toContain(`${starts.slice(5)} 08:00`);
    expect(await onCallGap.innerText()).toContain('无人值班');
    expect(await onCallGap.innerText()).toContain('技术保障组值班人员');
    const rotations = await api<{ items: { role: string; startsOn: string; weekday: string[] }[] }>('/oncall/rotations');
    expect(rotations.items).toEqual([expect.objectContaining({ role: 'tech_oncall', startsOn: starts, weekday: expect.any(Array) })]);
    expect(rotations.items[0]!.weekday).toHaveLength(2);
    expect(await asciiWordsOnScreen(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('on a 360-px phone the people, roles and rotas pages do not overflow sideways', async () => {
    const phone = await (await phoneContext(browser, 360)).newPage();
    phone.setDefaultTimeout(60_000);
    await signIn(phone, server.url, ADMIN, '/admin/people');
    for (const [section, testId] of [
      ['people', 'person-card'],
      ['roles', 'role-card'],
      ['rotas', 'rotation-item'],
    ]) {
      await phone.goto(`${server.url}/admin/${section}`);
      await phone.getByTestId(testId).first().waitFor();
      expect(await horizontalOverflow(phone), section).toBe('');
      expect(await asciiWordsOnScreen(phone), section).toEqual([]);
    }
    await phone.close();
  });
});
