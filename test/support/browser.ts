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
