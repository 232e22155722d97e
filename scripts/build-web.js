#!/usr/bin/env node
// Builds the web app into web/dist when it is missing or older than its sources (run before `npm start`).
// Several processes may ask at once (two browser test files): one builds, the others wait for it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const LOCK = 'web/.build-lock';
const BUILT = 'web/dist/index.html';

const newest = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = path.join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
const upToDate = () => {
  const sources = Math.max(newest('web/src'), newest('web/public'), fs.statSync('web/index.html').mtimeMs, fs.statSync('web/vite.config.ts').mtimeMs);
  return fs.existsSync(BUILT) && fs.statSync(BUILT).mtimeMs >= sources;
};
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const force = process.argv.includes('--force');
if (!force && upToDate()) process.exit(0);

for (;;) {
  try {
    fs.mkdirSync(LOCK);
    break;
  } catch {
    // another process is building; a lock older than 5 minutes is left over from a crash
    const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 5 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
    else sleep(500);
  }
}
let status = 0;
try {
  if (force || !upToDate()) {
    console.log('[lifeline] building the web app…');
    const run = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' }, // a test runner's NODE_ENV must not give a development React build
    });
    status = run.status ?? 1;
  }
} finally {
  fs.rmSync(LOCK, { recursive: true, force: true });
}
process.exit(status);
