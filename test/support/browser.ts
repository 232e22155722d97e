import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or null. Without CJK fonts Chinese renders as boxes: in CI that is a failure. */
export function browserUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; .ci/run does it)`;
  let cjk = '';
  try {
    cjk = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch {
    // no fontconfig: same as no fonts
  }
  if (!cjk.trim()) {
    const why = 'no CJK font (fonts-noto-cjk): Chinese would render as boxes';
    if (process.env.CI) throw new Error(`${why}; .ci/run installs it`);
    return why;
  }
  return null;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });

/** A desktop in the IT centre: 1440×900, Chinese, Beijing time. */
export const desktopContext = (browser: Browser): Promise<BrowserContext> => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

/**
 * Builds web/dist when it is stale, as production (whatever NODE_ENV vitest set: else React's development
 * runtime). Another browser test may be building it at the same moment: then it tries again.
 */
export async function buildWebApp(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const build = spawnSync(process.execPath, ['scripts/build-web.js'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status === 0 && fs.existsSync('web/dist/index.html')) return;
    if (attempt === 3) throw new Error('web build failed');
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

/** Collects a page's uncaught errors and console errors into `errors`, but for responses with an `expected` status. */
export function collectPageErrors(page: Page, errors: string[], expected: number[]): void {
  const expectedStatus = new RegExp(`status of (${expected.join('|')})`);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expectedStatus.test(m.text())) errors.push(`console: ${m.text()}`);
  });
}

/** A phone in a ward: 360×740 (the narrowest screen the app supports), Chinese, Beijing time, touch. */
export const phoneContext = (browser: Browser, width = 360): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width, height: 740 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });

/** The wall screen of the command HQ: 1920×1080. */
export const wallContext = (browser: Browser): Promise<BrowserContext> => browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

/** Signs in through the real login page (the page must not be signed in), then waits for the app's header. */
export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('brand').waitFor({ timeout: 20_000 });
}

/** What sticks out to the right of the window (empty when nothing does): elements, with their test ids. */
export const horizontalOverflow = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = document.documentElement.scrollWidth > width + 1 ? [`document ${document.documentElement.scrollWidth}px > ${width}px`] : [];
    // an element wider than the screen inside a box that scrolls sideways (a wide table in its own scroller) does not
    // move the page; a box that clips (overflow hidden) does not count, since what it cuts off is lost to the reader
    const clippedInside = (el: Element): boolean => {
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return box.getBoundingClientRect().right <= width + 1;
      }
      return false;
    };
    const items = [...document.querySelectorAll('body *')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ el, r }) => r.right > width + 1 && r.width > 0 && !el.closest('[data-scroll-x]') && !clippedInside(el))
      .slice(0, 8)
      .map(({ el, r }) => `${el.tagName}.${String(el.className).slice(0, 40)} [${el.getAttribute('data-testid') ?? ''}] right=${Math.round(r.right)}`);
    return [...wide, ...items].join('; ');
  });

/** Whether the page scrolls vertically (a wall screen must not). */
export const hasVerticalScroll = (page: Page): Promise<boolean> => page.evaluate(() => document.documentElement.scrollHeight > document.documentElement.clientHeight + 1);

/**
 * Words of Latin letters in the rendered text of a Chinese screen that are not in `allowed` (system names such as
 * HIS, PACS, levels L1–L3, units): English or internal ids leaking onto a zh-CN screen. Inputs' values count too.
 */
export const ALLOWED_ASCII_WORDS = [
  // monitoring tools name themselves in lower case as the source of their alarms (source:zabbix); ICU and UPS are the hospital's own words
  'zabbix',
  'alertmanager',
  'nagios',
  'grafana',
  'prometheus',
  'icinga',
  'ICU',
  'UPS',
  // the component an alarm names, as the monitoring tool sends it (HIS / db)
  'db',
  // the header's language switch names the other language as EN
  'EN',

  'HIS',
  'LIS',
  'PACS',
  'EMR',
  'RIS',
  'MI',
  'HQ',
  'IT',
  'L1',
  'L2',
  'L3',
  'CT',
  'MR',
  'DR',
  'CPU',
  'PDF',
  'DOCX',
  'CSV',
  'XLSX',
  'QR',
  'SMS',
  'API',
  'URL',
  'ID',
  'VPN',
  'OA',
  'Lifeline',
  'Zabbix',
  'Alertmanager',
  'Prometheus',
  'Nagios',
  'Icinga',
  'Grafana',
  'WeCom',
  'DingTalk',
  'Feishu',
  'Webhook',
  'webhook',
  'HTTP',
  'HTTPS',
  'JSON',
  'YAML',
  'Token',
  'ms',
  'min',
  'h',
  'GB',
  'MB',
  'KB',
  'iCal',
  'English',
  'HICS',
  'HTML',
  'Esc',
  'TM',
];
export async function asciiWordsOnScreen(page: Page, allowed: readonly string[] = ALLOWED_ASCII_WORDS): Promise<string[]> {
  const text = await page.evaluate(() => {
    // what a person reads in a field: text inputs and text areas (a radio's or checkbox's value 'on' is not shown)
    // (not a password, not a dropdown's own search box: the chosen option's label is on screen as text)
    const inputs = [...document.querySelectorAll('input:not([type=radio]):not([type=checkbox]):not([type=hidden]):not([type=password]), textarea')]
      .filter((el) => !el.closest('.ant-select'))
      .map((el) => (el as HTMLInputElement).value);
    // a dropdown's zero-sized accessibility list holds the options' values (read by no one: screen readers take its
    // aria-labels, which are the shown labels); it is left out of the text while it is read
    const hidden = [...document.querySelectorAll<HTMLElement>('[role=listbox]')].filter((el) => el.getBoundingClientRect().width * el.getBoundingClientRect().height === 0);
    for (const el of hidden) el.style.setProperty('display', 'none');
    const text = `${document.body.innerText}\n${inputs.join('\n')}`;
    for (const el of hidden) el.style.removeProperty('display');
    return text;
  });
  const ok = new Set(allowed);
  // words of two or more letters (digits and single letters such as "第3次" or "A4" pass); e-mail addresses, host:port and URLs are data
  const words = text.replace(/\S+@\S+|https?:\/\/\S+|\b[\w.-]+:\d+\b/g, ' ').match(/[A-Za-z][A-Za-z_]*[A-Za-z]/g) ?? [];
  return [...new Set(words.filter((w) => !ok.has(w)))];
}
