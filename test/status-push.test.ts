// The status page's webhook push: retries with back-off after a failure, the latest state wins, and the failure is
// visible in its status; the plan check refuses a patient service that depends on nothing the plan knows.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/logger.js';
import { lintPlan } from '../src/plan/lint.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { affectedServices, StatusPush } from '../src/publicity/status/index.js';

describe('status push', () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  it('retries with growing back-off until the receiver takes it, sending only the latest state', async () => {
    const bodies: string[] = [];
    let failuresLeft = 2;
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const ts = String(req.headers['x-lifeline-timestamp']);
        const expected = `sha256=${createHmac('sha256', 'a-secret-of-16-chars').update(`${ts}.${body}`).digest('hex')}`;
        if (req.headers['x-lifeline-signature'] !== expected) return void res.writeHead(401).end();
        if (failuresLeft-- > 0) return void res.writeHead(503).end();
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const waits: number[] = [];
    let push: StatusPush;
    let statusDuringWait: ReturnType<StatusPush['status']> | undefined;
    push = new StatusPush({
      url,
      secret: 'a-secret-of-16-chars',
      now: () => Date.now(),
      log: createLogger('silent'),
      firstDelayMs: 1000,
      maxDelayMs: 1500,
      wait: async (ms) => {
        waits.push(ms);
        statusDuringWait ??= push.status();
        if (waits.length === 1) push.push('{"v":3}'); // a newer state arrives while the first waits for its retry
      },
    });
    push.push('{"v":1}');
    push.push('{"v":2}'); // replaces v1 before its first attempt ends
    await push.idle();
    expect(waits).toEqual([1000, 1500]); // doubled, capped
    expect(statusDuringWait).toMatchObject({ configured: true, pending: true, lastError: 'HTTP 503' });
    expect(bodies.at(-1)).toBe('{"v":3}');
    expect(bodies).not.toContain('{"v":1}');
    expect(push.status()).toMatchObject({ pending: false, lastError: null, delivered: bodies.length, attempts: 2 + bodies.length });
  });
});

describe('patient services in the plan', () => {
  it('plan check refuses a depends_on that is neither a business line nor a system, and warns about no alternatives', () => {
    const plan = structuredClone(loadDefaultPlan());
    plan.patient_services![0].depends_on = ['registration', 'NOPE'];
    plan.patient_services![1].alternatives = [];
    const issues = lintPlan(plan);
    expect(issues).toContainEqual(expect.objectContaining({ severity: 'error', path: 'patient_services[0].depends_on[1]' }));
    expect(issues).toContainEqual(expect.objectContaining({ severity: 'warning', path: 'patient_services[1].alternatives' }));
    expect(lintPlan(loadDefaultPlan()).filter((i) => i.path.startsWith('patient_services'))).toEqual([]);
  });

  it('soft dependencies degrade; a recovering system shows its services as recovering', () => {
    const plan = loadDefaultPlan();
    const state = (input: { system: string; state: 'down' | 'degraded' | 'up' | 'recovering' }[]) => Object.fromEntries(affectedServices(plan, input).map((s) => [s.id, s.state]));
    expect(state([{ system: 'PACS', state: 'down' }])).toMatchObject({ imaging: 'down', payment: 'normal', registration: 'normal' });
    expect(state([{ system: 'HVAC', state: 'down' }])).toMatchObject({ imaging: 'degraded', payment: 'degraded' }); // soft: storage degraded, then hard: PACS, the database, HIS degraded
    expect(state([{ system: 'HIS', state: 'recovering' }])).toMatchObject({ payment: 'recovering', mi_settlement: 'recovering' });
  });
});
