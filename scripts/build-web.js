#!/usr/bin/env node
// Builds the web app into web/dist when it is missing or older than its sources (run before `npm start`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const newest = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = path.join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);

const built = 'web/dist/index.html';
const sources = Math.max(newest('web/src'), fs.statSync('web/index.html').mtimeMs, fs.statSync('web/vite.config.ts').mtimeMs);
if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources && !process.argv.includes('--force')) process.exit(0);
console.log('[lifeline] building the web app (first start only)…');
const run = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' }, // a test runner's NODE_ENV must not give a development React build
});
process.exit(run.status ?? 1);
