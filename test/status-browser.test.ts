// The patient status page in Chromium at phone sizes: the affected services and what to do instead are shown,
// the 中文/English switch works, nothing overflows sideways, and the feedback form answers in place (its inline
// script runs under the page's Content-Security-Policy).
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { browserUnavailable, collectPageErrors, launchChromium } from './support/browser.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const skip = browserUnavailable();
if (skip && process.env.CI) throw new Error(`browser test cannot run in CI: ${skip}`);
if (skip) console.warn(`[skip] status page browser test skipped: ${skip}`);

const HIS = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS down', dedupKey: 'z-1' };

describe.skipIf(!!skip)('the status page on a phone', { timeout: 60_000 }, () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let browser: Browser;
  let url = '';

  beforeAll(async () => {
    p = await testPlatform('sqlite');
    app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await p.signals.append([HIS as never]);
    await p.engine.processPending();
    await p.statusPage.page.refresh();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await p?.dispose();
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 360, height: 740 },
  ]) {
    it(`at ${viewport.width}×${viewport.height}: shows what is affected and what to do, switches to English, no sideways scrolling`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const page = await context.newPage();
      const errors: string[] = [];
      collectPageErrors(page, errors, []);
      await page.goto(`${url}/status`);
      const body = await page.locator('body').innerText();
      for (const words of ['缴费', '取药', '医保结算', '暂停', '人工收费窗口', '正在抢修，恢复后将另行通知']) expect(body).toContain(words);
      const payment = page.locator('section.svc', { hasText: '缴费' }).first();
      expect(await payment.locator('.state').innerText()).toBe('暂停');
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await fits()).toBe(true);
      // the type is big enough to read on a phone
      const size = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('.svc .name')!).fontSize));
      expect(size).toBeGreaterThanOrEqual(18);

      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/lang=en/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      const en = await page.locator('body').innerText();
      for (const words of ['Paying fees', 'Suspended', 'Pay at a staffed cashier window']) expect(en).toContain(words);
      expect(await fits()).toBe(true);
      await page.getByRole('link', { name: '中文' }).click();
      await page.waitForURL((u) => !u.search.includes('lang=en'));
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

      // the feedback form answers in place (the inline script is allowed by the page's CSP hash)
      const before = await p.db.selectFrom('patient_feedback').selectAll().execute();
      const form = page.locator('form', { has: page.locator('textarea[name=message]') });
      await form.locator('textarea').fill(`窗口排队太久 ${viewport.width}`);
      await form.locator('select').selectOption('payment');
      await form.getByRole('button', { name: '提交' }).click();
      await expect.poll(() => form.locator('.out').innerText(), { timeout: 10_000 }).toBe('已提交，谢谢。');
      expect(page.url()).toMatch(/\/status$/); // stayed on the page
      const after = await p.db.selectFrom('patient_feedback').selectAll().execute();
      expect(after.length).toBe(before.length + 1);
      expect(after.find((r) => r.message === `窗口排队太久 ${viewport.width}`)).toMatchObject({ service: 'payment' });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
