import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

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
export const desktopContext = (browser: Browser): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
