// Dev tool (not a test): open the app in headless Chromium and save screenshots under artifacts/web/.
// Usage: node web/scripts/screenshots.mjs [baseUrl] [username] [password]
// Uses the system Chromium (/usr/bin/chromium); never downloads a browser.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const username = process.argv[3] ?? 'admin';
const password = process.argv[4] ?? 'lifeline';
const out = new URL('../../artifacts/web/', import.meta.url).pathname;
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const errors = [];
async function page(viewport, lang = 'zh-CN') {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript((l) => localStorage.getItem('lifeline.lang') || localStorage.setItem('lifeline.lang', l), lang);
  const p = await context.newPage();
  p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  p.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  return p;
}
async function login(p) {
  await p.goto(`${base}/`);
  await p.waitForTimeout(1500);
  if (!new URL(p.url()).pathname.startsWith('/login')) return; // already signed in (or a dev user)
  await p.goto(`${base}/login`);
  await p.getByTestId('login-username').fill(username);
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10_000 });
}
const shot = async (p, name) => {
  await p.waitForTimeout(1500);
  await p.screenshot({ path: `${out}${name}.png`, fullPage: true });
  console.log('saved', name);
};

const desk = await page({ width: 1440, height: 900 });
await desk.goto(`${base}/login`);
await shot(desk, 'login-zh');
await login(desk);
await desk.getByTestId('dashboard').waitFor();
await shot(desk, 'dashboard-zh');
const firstIncident = await desk.getByTestId('incident-row').first().getAttribute('data-incident-id').catch(() => null);
if (firstIncident) {
  await desk.goto(`${base}/incidents/${firstIncident}`);
  await desk.getByTestId('incident-room').waitFor();
  await shot(desk, 'incident-zh');
}
await desk.goto(`${base}/plan`);
await desk.getByTestId('plan-page').waitFor();
await shot(desk, 'plan-zh');
await desk.goto(`${base}/signals`);
await desk.getByTestId('signals-page').waitFor();
await shot(desk, 'signals-zh');
await desk.getByTestId('lang-switch').getByText('EN').click();
await shot(desk, 'signals-en');
await desk.goto(`${base}/`);
await desk.getByTestId('dashboard').waitFor();
await shot(desk, 'dashboard-en');

const wall = await page({ width: 1920, height: 1080 });
await login(wall);
await wall.goto(`${base}/wall`);
await wall.getByTestId('wall').waitFor();
await shot(wall, 'wall-zh');

const phone = await page({ width: 390, height: 844 });
await login(phone);
if (firstIncident) {
  await phone.goto(`${base}/incidents/${firstIncident}`);
  await phone.getByTestId('incident-room').waitFor();
  await shot(phone, 'incident-phone-zh');
}
const ack = await page({ width: 390, height: 844 });
await ack.goto(`${base}/a/demo-token`);
await ack.getByTestId('ack-page').waitFor();
await shot(ack, 'ack-phone-zh');

await browser.close();
if (errors.length) console.log('browser errors:\n' + errors.join('\n'));
