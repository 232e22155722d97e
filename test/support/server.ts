import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Creates an API token with `lifeline token add` on a data dir (as an operator would) and returns it. */
export function createToken(dataDir: string, role = 'admin', name = `test-${Date.now()}`): string {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', 'token', 'add', name, '--role', role], {
    encoding: 'utf8',
    env: { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn' },
  });
  if (r.status !== 0) throw new Error(`token add failed: ${r.stderr}`);
  return r.stdout.trimEnd().split('\n').at(-1)!;
}

/** Runs the `lifeline` CLI as a user would; resolves with its standard output, rejects on a non-zero exit. */
export function lifeline(env: Record<string, string>, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/lifeline.js', ...args], { env: { ...process.env, LIFELINE_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`lifeline ${args.join(' ')}: ${code} ${err}`))));
    child.stdin.end(input);
  });
}

/**
 * An API client for a running server with a bearer token: `{status, json}` whatever the status. `target` is read
 * at each call (the server starts in a test's beforeAll); `prefix` goes before every path.
 */
export function tokenCall(target: () => { url: string; token: string }, prefix = '/api/v1') {
  return async (method: string, url: string, body?: unknown) => {
    const { url: base, token } = target();
    const res = await fetch(`${base}${prefix}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
}

/** Like `tokenCall`, but answers the JSON and throws on a non-2xx answer (with its body). */
export function tokenApi(target: () => { url: string; token: string }, prefix = '/api/v1') {
  const call = tokenCall(target, prefix);
  return async <T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> => {
    const { status, json } = await call(method, url, body);
    if (status < 200 || status > 299) throw new Error(`${method} ${url}: ${status} ${JSON.stringify(json)}`);
    return json as T;
  };
}

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `lifeline start` as a real process (as a user would) and waits until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['bin/lifeline.js', 'start'], {
    env: { ...process.env, LIFELINE_HOST: '127.0.0.1', LIFELINE_PORT: String(port), LIFELINE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000; // a loaded machine may take long to load the TypeScript
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
