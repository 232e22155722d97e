// Lifeline's data is not world-readable: the data folder is 0700, the database, its WAL, the intake journal and
// the platform secret 0600, whatever the umask; a folder or database left 0755/0644 by an older version is fixed at start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeLifeline } from '../src/app/compose.js';
import { createLogger } from '../src/log/logger.js';
import { platformSecret } from '../src/notify/secret.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import { T0 } from './support/platform.js';

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('data folder and file modes', () => {
  const dirs: string[] = [];
  const oldUmask = process.umask(0o022);
  afterEach(() => {
    process.umask(oldUmask);
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function start(dataDir: string) {
    const config = {
      server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1:8080' },
      db: { kind: 'sqlite' as const, file: path.join(dataDir, 'lifeline.sqlite') },
      dataDir,
      plan: {},
      log: { level: 'silent' as const },
      timezone: 'Asia/Shanghai',
      clockOffsetMs: 0,
    };
    const p = await composeLifeline({ config, plan: loadDefaultPlan(), clock: new VirtualClock(T0), log: createLogger('silent'), mode: 'server' });
    await p.start();
    return p;
  }

  it('creates the data folder 0700 and the database, its WAL, the intake journal and the secret 0600', async () => {
    process.umask(0o022);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-modes-'));
    dirs.push(root);
    const dataDir = path.join(root, 'data');
    const p = await start(dataDir);
    try {
      expect(mode(dataDir)).toBe(0o700);
      const files = fs.readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['lifeline.sqlite', 'lifeline.sqlite-wal', 'lifeline.intake.sqlite']));
      for (const f of files) expect([f, mode(path.join(dataDir, f)).toString(8)]).toEqual([f, '600']);
    } finally {
      await p.stop();
    }
    const secretDir = path.join(root, 'fresh');
    platformSecret({ dataDir: secretDir });
    expect(mode(secretDir)).toBe(0o700);
    expect(mode(path.join(secretDir, 'secret'))).toBe(0o600);
  });

  it('brings a world-readable data folder and database left by an older version to 0700/0600 at start', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-modes-'));
    dirs.push(root);
    const dataDir = path.join(root, 'data');
    await (await start(dataDir)).stop();
    fs.chmodSync(dataDir, 0o755);
    for (const f of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, f), 0o644);
    const p = await start(dataDir);
    try {
      expect(mode(dataDir)).toBe(0o700);
      for (const f of fs.readdirSync(dataDir)) expect([f, mode(path.join(dataDir, f)).toString(8)]).toEqual([f, '600']);
    } finally {
      await p.stop();
    }
  });
});
