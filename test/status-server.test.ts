// The status page on a real `lifeline start`: curl-able without credentials, pushed to a webhook receiver that
// verifies the signature on every change, and exported as static files by `lifeline status export`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

const SECRET = 'status-push-secret-0123456789';

interface Received {
  doc: { overall: string; services: { id: string; state: string }[] };
  timestamp: string;
}

/** A receiver that checks each push as docs/status-page.md documents it, independently of the sender's code. */
function receiver() {
  const got: Received[] = [];
  const refused: string[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const ts = String(req.headers['x-lifeline-timestamp'] ?? '');
      const sig = String(req.headers['x-lifeline-signature'] ?? '');
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) < 300;
      const ok =
        req.method === 'POST' && /^application\/json/.test(String(req.headers['content-type'])) && fresh && sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
      if (!ok) {
        refused.push(`${req.method} ${ts} ${sig}`);
        res.writeHead(401).end();
        return;
      }
      got.push({ doc: JSON.parse(body), timestamp: ts });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  return {
    server,
    got,
    refused,
    /** Resolves when a push satisfying `pred` has arrived (each arrival re-checks; no fixed sleeps). */
    async until(pred: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = got.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching push; got ${got.map((g) => g.doc.overall).join(', ')}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 500).unref();
        });
      }
    },
  };
}

describe('status page on a running server', () => {
  const dataDir = tempDir('lifeline-status-');
  const rx = receiver();
  let srv: RunningServer;
  let token: string;

  beforeAll(async () => {
    await new Promise<void>((r) => rx.server.listen(0, '127.0.0.1', r));
    const port = (rx.server.address() as AddressInfo).port;
    token = createToken(dataDir, 'admin');
    srv = await startServer({ LIFELINE_DATA_DIR: dataDir, LIFELINE_STATUS_PUSH_URL: `http://127.0.0.1:${port}/hook?token=abc`, LIFELINE_STATUS_PUSH_SECRET: SECRET });
  }, 60_000);
  afterAll(async () => {
    await srv?.stop();
    rx.server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, url: string, body?: unknown) =>
    fetch(`${srv.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('pushes on start, on an outage and on the all-clear, signed; curl needs no credentials; the export writes the page', async () => {
    await rx.until((r) => r.doc.overall === 'normal');
    const opened = await api('POST', '/api/v1/incidents', { title: 'HIS 中断', systems: [{ system: 'HIS', state: 'down' }], scope: 'hospital_wide' });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const id = (await opened.json()).id as string;
    const down = await rx.until((r) => r.doc.overall === 'down');
    expect(down.doc.services.find((s) => s.id === 'payment')?.state).toBe('down');

    // what `curl http://127.0.0.1:8080/status` gets: no cookie, no token
    const page = await fetch(`${srv.url}/status`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN"');
    for (const words of ['挂号', '缴费', '取药', '人工收费窗口', '正在抢修']) expect(html).toContain(words);
    const json = await (await fetch(`${srv.url}/api/v1/status`)).json();
    expect(json.overall).toBe('down');

    // the push state is for the publicity group only, and hides the URL's query
    expect((await fetch(`${srv.url}/api/v1/status/push`)).status).toBe(401);
    const push = await (await api('GET', '/api/v1/status/push')).json();
    expect(push).toMatchObject({ configured: true, signed: true, lastError: null });
    expect(push.url).not.toContain('token=abc');
    expect(push.delivered).toBeGreaterThanOrEqual(2);

    for (const action of [{ type: 'restore' }, { type: 'close', reason: 'HIS restored' }]) {
      const res = await api('POST', `/api/v1/incidents/${id}/actions`, action);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const back = await rx.until((r) => r.doc.overall === 'normal' && rx.got.indexOf(r) > rx.got.indexOf(down));
    expect(new Set(back.doc.services.map((s) => s.state))).toEqual(new Set(['normal']));
    expect(rx.refused).toEqual([]);
  }, 60_000);

  it('`lifeline status export DIR` writes index.html, en/index.html and status.json linked relatively; an unwritable DIR is a clear error', async () => {
    const out = path.join(dataDir, 'export');
    const said = await lifeline({ LIFELINE_DATA_DIR: dataDir }, ['status', 'export', out]);
    expect(said).toMatch(/status page written to/);
    const zh = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const en = fs.readFileSync(path.join(out, 'en', 'index.html'), 'utf8');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'status.json'), 'utf8'));
    expect(zh).toContain('<html lang="zh-CN"');
    expect(zh).toContain('href="en/index.html"');
    expect(zh).toContain('href="status.json"');
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('href="../index.html"');
    expect(en).toContain('href="../status.json"');
    expect(json.services.length).toBeGreaterThan(5);
    // an exported copy posts its forms to the server's public URL
    expect(zh).toMatch(/action="http:\/\/127\.0\.0\.1:\d+\/api\/v1\/status\/feedback"/);
    const blocker = path.join(dataDir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    await expect(lifeline({ LIFELINE_DATA_DIR: dataDir }, ['status', 'export', path.join(blocker, 'out')])).rejects.toThrow(/cannot write .*a-file\/out\/index\.html: ENOTDIR/);
  }, 60_000);
});
