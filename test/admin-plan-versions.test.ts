/**
 * Plan versions on a real `lifeline start` process: an upload is checked as `lifeline plan check` checks a file
 * (each finding with line:column) and stored with who, when and its SHA-256; a version with an error cannot be
 * activated; a good one shows its diff against the active plan (lines and the changed sections), and its activation
 * is recorded in the hash-chained activation record under the admin's name. What we promise: the running server
 * keeps its plan and says an activated version is pending; the next start runs the activated version.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

const PASSWORD = 'plan admin pass 2026';
const DEFAULT_TEXT = fs.readFileSync('src/plan/default-plan.yaml', 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

// an obligation acted by a role the plan does not have: an error at that line
const BAD_TEXT = DEFAULT_TEXT.replace('    actor: tech_oncall', '    actor: no_such_role');
const BAD_LINE = lineOf(BAD_TEXT, 'actor: no_such_role');
// version 1.1.0 with O3.1 due in 4 minutes instead of 5
const GOOD_TEXT = DEFAULT_TEXT.replace('  version: 1.0.0', '  version: 1.1.0').replace(/(- id: O3\.1\n(?:.*\n){5}?\s+within: )PT5M/, '$1PT4M');

describe('plan versions (real server)', () => {
  let server: RunningServer;
  let env: Record<string, string>;
  let cookie = '';
  let csrf = '';

  const signIn = async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'planner', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  };

  beforeAll(async () => {
    env = { LIFELINE_DATA_DIR: tempDir('lifeline-plan-versions-') };
    await lifeline(env, ['user', 'add', 'planner', '--role', 'admin', '--name', '预案管理员', '--password-stdin'], `${PASSWORD}\n`);
    server = await startServer(env);
    await signIn();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, read field by field
    return { status: res.status, json: (text ? JSON.parse(text) : null) as Record<string, any> };
  };

  let goodId = '';

  it('checks an upload as plan check does: an error with its line and column, stored, and it cannot be activated', async () => {
    const up = await call('POST', '/api/v1/plan/versions', { text: BAD_TEXT, fileName: 'hospital-plan.yaml' });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ seq: 1, errors: expect.any(Number), state: 'rejected', uploadedBy: '预案管理员', sha256: createHash('sha256').update(BAD_TEXT).digest('hex') });
    expect(up.json.errors).toBeGreaterThan(0);
    const finding = up.json.findings.find((f: { severity: string; line?: number }) => f.severity === 'error' && f.line === BAD_LINE);
    expect(finding, JSON.stringify(up.json.findings)).toBeTruthy();
    expect(finding.column).toBeGreaterThan(0);
    expect(finding.message).toContain('no_such_role');

    const refused = await call('POST', `/api/v1/plan/versions/${up.json.id}/activate`, { reason: '试一下' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: 'PLAN_VERSION_HAS_ERRORS', params: { version: 1 } });
    const list = await call('GET', '/api/v1/plan/versions');
    expect(list.json.activations).toEqual([]);
    expect(list.json.status).toMatchObject({ running: { origin: 'default' }, active: null, pending: false });
  });

  it('shows a good version’s diff against the active plan: the changed lines and sections', async () => {
    const up = await call('POST', '/api/v1/plan/versions', { text: GOOD_TEXT });
    expect(up.status).toBe(201);
    goodId = up.json.id;
    expect(up.json).toMatchObject({ seq: 2, errors: 0, state: 'ready', planVersion: '1.1.0', against: { origin: 'default' } });
    const diff = up.json.diff;
    expect(diff).toMatchObject({ same: false, added: 2, removed: 2, version: { from: '1.0.0', to: '1.1.0' } });
    const changed = diff.hunks.flatMap((h: { lines: { op: string; text: string }[] }) => h.lines.filter((l) => l.op !== ' ').map((l) => `${l.op}${l.text.trim()}`));
    expect(changed).toEqual(['-version: 1.0.0', '+version: 1.1.0', '-within: PT5M', '+within: PT4M']);
    expect(diff.sections).toEqual([{ section: 'obligations', added: [], removed: [], changed: [expect.objectContaining({ id: 'O3.1' })] }]);
    // the same text again is the same version
    expect((await call('POST', '/api/v1/plan/versions', { text: GOOD_TEXT })).json.id).toBe(goodId);
    expect((await call('POST', '/api/v1/plan/versions', { text: '  ' })).json.code).toBe('PLAN_TEXT_EMPTY');
  });

  it('activates it with a reason, in the activation record under the admin’s name; pending until the next start, which runs it', async () => {
    expect((await call('POST', `/api/v1/plan/versions/${goodId}/activate`, { reason: ' ' })).json.code).toBe('PLAN_ACTIVATION_REASON_REQUIRED');
    const on = await call('POST', `/api/v1/plan/versions/${goodId}/activate`, { reason: '通知时限改为4分钟' });
    expect(on.status).toBe(200);
    expect(on.json.activation).toMatchObject({ seq: 1, versionSeq: 2, actor: '预案管理员', reason: '通知时限改为4分钟', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(on.json.status).toMatchObject({ running: { origin: 'default', versionId: null }, active: { versionId: goodId, versionSeq: 2, actor: '预案管理员' }, pending: true });
    // the running server still serves the plan it started with, and says a version is pending
    expect((await call('GET', '/api/v1/plan')).json.version).toBe('1.0.0');
    expect((await call('GET', '/api/v1/plan/status')).json.pending).toBe(true);
    expect((await (await fetch(`${server.url}/healthz`)).json()).plan).toEqual({ id: expect.any(String), version: '1.0.0', pendingVersionSeq: 2 });
    const list = await call('GET', '/api/v1/plan/versions');
    expect(list.json.items.map((v: { seq: number; state: string }) => [v.seq, v.state])).toEqual([
      [2, 'pending'],
      [1, 'rejected'],
    ]);
    expect(list.json.activations).toEqual([expect.objectContaining({ actor: '预案管理员', versionSeq: 2 })]);

    // the next start runs the activated version
    await server.stop();
    server = await startServer(env);
    await signIn();
    const plan = (await call('GET', '/api/v1/plan')).json;
    expect(plan.version).toBe('1.1.0');
    expect(plan.obligations.find((o: { id: string }) => o.id === 'O3.1').within).toBe('PT4M');
    const after = await call('GET', '/api/v1/plan/versions');
    expect(after.json.status).toMatchObject({ running: { origin: 'stored', versionId: goodId, versionSeq: 2 }, pending: false });
    expect(after.json.items[0]).toMatchObject({ seq: 2, state: 'running' });
    expect((await (await fetch(`${server.url}/healthz`)).json()).plan).toMatchObject({ version: '1.1.0', pendingVersionSeq: null });
  }, 120_000);
});
