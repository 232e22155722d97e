/**
 * Cluster mode (issue 15): two `lifeline start` processes on one PostgreSQL database, each with its own data
 * dir, one person on duty, a webhook channel to a counting receiver. Red alarms are posted to both nodes; the
 * plan's O3.1 deadline is 4 s here (a copy of the default plan), so it falls due while both run. Every page
 * must reach the receiver once (a page's ack link is unique: a page sent twice shows its link twice), and every
 * deadline must fire once (one `obligation.breached` entry per obligation). Then one node is killed (SIGKILL)
 * in a storm: the other carries on, every accepted alert is processed, nothing is sent twice. An ack link sent
 * by one node is answered on the other (the secret is shared through the database), and a change made
 * through one node reaches an SSE client of the other within a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeLifeline, type Lifeline } from '../src/app/compose.js';
import { createLogger } from '../src/log/logger.js';
import { parseNotifyConfig } from '../src/notify/config.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { VirtualClock } from '../src/shared/clock.js';
import { freshDatabase, postgresUnavailable } from './support/databases.js';
import { T0 } from './support/platform.js';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';
import { freePort, lifeline, tempDir } from './support/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  url: string;
  child: ChildProcess;
  output: () => string;
  token: string;
}

let last = '';
async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last}`);
    await sleep(50);
  }
}

interface WebhookBody {
  subject: string;
  links: { ack?: string };
}

describe.skipIf(postgresUnavailable !== null)('two nodes on one PostgreSQL: every timer and every page exactly once', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let receiver: RecordingServer;
  let client: pg.Client;
  let env: Record<string, string>;
  const nodes: Node[] = [];

  async function startNode(name: string): Promise<Node> {
    const dataDir = tempDir(`lifeline-cluster-${name}-`);
    fs.writeFileSync(
      path.join(dataDir, 'notify.yaml'),
      ['channels:', '  pager:', '    kind: webhook', `    config: { url: "${receiver.url}/pager" }`, 'routing:', '  default: [pager]', 'repeat:', '  default: { every: PT30M, limit: 1 }'].join('\n'),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const nodeEnv = { ...env, LIFELINE_DATA_DIR: dataDir, LIFELINE_PORT: String(port), LIFELINE_PUBLIC_URL: url };
    const token = (await lifeline(nodeEnv, ['token', 'add', `cluster-${name}`, '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    let out = '';
    const child = spawn(process.execPath, ['bin/lifeline.js', 'start'], {
      env: { ...process.env, LIFELINE_HOST: '127.0.0.1', LIFELINE_LOG_LEVEL: 'warn', ...nodeEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await until(
      `node ${name} to start`,
      async () => {
        if (child.exitCode !== null) throw new Error(`node ${name} exited: ${out}`);
        return fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      30_000,
    );
    return { url, child, output: () => out, token };
  }

  const api = async <T = Record<string, unknown>>(node: Node, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${node.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${node.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await client.query(text, values)).rows as T[];
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as WebhookBody);
  /** Ack links seen more than once: a page sent twice. */
  const sentTwice = () => {
    const seen = new Map<string, number>();
    for (const b of bodies()) seen.set(b.links.ack ?? b.subject, (seen.get(b.links.ack ?? b.subject) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1);
  };
  /** Waits until the outbox is quiet (nothing pending or being sent) and the receiver got what the database says was sent. */
  /** `exact`: the receiver got exactly what was recorded sent (no node died between a send and its record). */
  const settled = (exact = true) =>
    until('the outbox to settle', async () => {
      last = JSON.stringify({ received: receiver.received.length, rows: await query(`select status, claimed_by, count(*) from notify_deliveries group by status, claimed_by`) });
      const [busy] = await query<{ n: string }>(`select count(*) as n from notify_deliveries where status in ('pending', 'sending') and next_at <= $1`, [Date.now()]);
      const [sent] = await query<{ n: string }>(`select count(*) as n from notify_deliveries where status = 'sent'`);
      const got = receiver.received.length;
      return Number(busy!.n) === 0 && (exact ? Number(sent!.n) === got : Number(sent!.n) <= got) ? Number(sent!.n) : undefined;
    });

  beforeAll(async () => {
    receiver = await startRecordingServer(() => '{"ok":true}');
    database = await freshDatabase('postgres');
    const url = (database.db as { url: string }).url;
    client = new pg.Client({ connectionString: url });
    await client.connect();
    // the default plan with a 4-second O3.1 deadline, so that it falls due while both nodes run
    const planDir = tempDir('lifeline-cluster-plan-');
    const plan = fs.readFileSync('src/plan/default-plan.yaml', 'utf8').replace(/(- id: O3\.1\n(?:(?!\n {2}- id:)[\s\S])*?within: )PT5M/, '$1PT4S');
    expect(plan).toMatch(/- id: O3\.1\n(?:(?!\n {2}- id:)[\s\S])*?within: PT4S/);
    fs.writeFileSync(path.join(planDir, 'plan.yaml'), plan);
    // one key for the browser channels' secrets on every node (docs/administration.md#channels)
    env = { LIFELINE_DATABASE_URL: url, LIFELINE_PLAN: path.join(planDir, 'plan.yaml'), LIFELINE_CHANNEL_KEY: 'c1'.repeat(32) };
    delete process.env.LIFELINE_SECRET;
    nodes.push(...(await Promise.all([startNode('a'), startNode('b')])));
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => (n.child.exitCode === null && n.child.signalCode === null ? new Promise((r) => n.child.once('exit', r)) : undefined)));
    await client?.end();
    await receiver?.close();
    await database?.drop();
  });

  it('lists both nodes, fires each deadline once and sends each page once; an ack link of node A works on node B; node B streams node A changes', async () => {
    const [a, b] = nodes as [Node, Node];
    const health = await api<{ nodes: { pid: number }[] }>(b, 'GET', '/healthz');
    expect(health.json.nodes.map((n) => n.pid).sort()).toEqual([a.child.pid, b.child.pid].sort());

    // one person holds the duty and its lead: every page of this test goes to them
    const person = await api<{ id: string }>(a, 'POST', '/api/v1/people', { name: '李值班', employeeNo: 'C15001', mobile: '13800000015' });
    expect(person.status).toBe(201);
    for (const role of ['tech_oncall', 'tech_lead']) expect((await api(b, 'PUT', `/api/v1/roles/${role}/assignees`, { holders: [person.json.id] })).status).toBe(200);

    // a browser on node B
    const events: { type: string; incidentId?: string; receivedAt: number }[] = [];
    const stream = await fetch(`${b.url}/api/v1/events`, { headers: { authorization: `Bearer ${b.token}` } });
    const reader = stream.body!.getReader();
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, i)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(i + 2);
          if (data) events.push({ ...(JSON.parse(data.slice(6)) as { type: string; incidentId?: string }), receivedAt: Date.now() });
        }
      }
    })();

    // a change through node A reaches the browser on node B within a second
    await sleep(300); // the stream is open
    const report = await api<{ id: string }>(a, 'POST', '/api/v1/incidents', { title: 'printers down on ward 3' });
    const reportedAt = Date.now();
    expect(report.status).toBe(201);
    const seen = await until('node B to stream the incident opened on node A', async () => events.find((e) => e.type === 'incident.opened' && e.incidentId === report.json.id), 5_000);
    expect(seen.receivedAt - reportedAt).toBeLessThan(1_000);

    // red alarms of four systems, posted to both nodes at once
    const systems = ['HIS', 'EMR', 'PACS', 'LIS'];
    const answers = await Promise.all(
      systems.flatMap((system, i) =>
        [a, b].map((node, j) =>
          api(node, 'POST', '/api/v1/signals', {
            source: 'zabbix',
            system,
            component: `c${j}`,
            severity: 'red',
            status: 'firing',
            dedupKey: `red-${i}-${j}`,
            summary: `${system} down`,
            at: new Date().toISOString(),
          }),
        ),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 202));

    // the deadlines fall due (4 s) while both nodes run; each fires once
    const breached = await until(
      'every O3.1 deadline to fire',
      async () => {
        const rows = await query<{ id: string; state: string; incident_id: string }>(`select id, state, incident_id from obligations where rule_id = 'O3.1'`);
        return rows.length === systems.length + 1 && rows.every((r) => r.state === 'breached') ? rows : undefined;
      },
      20_000,
    );
    await sleep(2_500); // a second firing, were there one, would come within a heartbeat
    const entries = await query<{ incident_id: string }>(`select incident_id from timeline where kind = 'obligation.breached' and data like $1`, [`%"obligation":"O3.1"%`]);
    expect(entries.map((e) => e.incident_id).sort()).toEqual(breached.map((o) => o.incident_id).sort()); // one entry per deadline
    const sent = await settled();
    const breachPages = await query<{ n: string }>(`select count(*) as n from notify_deliveries d join notify_pages p on p.id = d.page_id where p.step like 'breach:O3.1:%' and d.status = 'sent'`);
    expect(Number(breachPages[0]!.n)).toBe(systems.length + 1); // the lead (the same person) paged once per missed deadline
    expect(sent).toBeGreaterThanOrEqual(2 * systems.length);
    expect(sentTwice()).toEqual([]);
    // both nodes sent some (the claim is shared, not one node doing all the work is not required, but likely)
    const senders = await query<{ claimed_by: string }>(`select distinct claimed_by from notify_deliveries where status = 'sent'`);
    expect(senders.length).toBeGreaterThanOrEqual(1);

    // an ack link sent by node A, answered on node B
    const [fromA] = await query<{ page_id: string }>(`select page_id from notify_deliveries d join cluster_nodes n on n.id = d.claimed_by where n.pid = $1 and d.status = 'sent' limit 1`, [
      a.child.pid,
    ]);
    const link = bodies().find((x) => x.links.ack?.startsWith(`${a.url}/a/`))?.links.ack;
    expect(link ?? fromA).toBeDefined();
    const token = link!.slice(`${a.url}/a/`.length);
    const ack = await fetch(`${b.url}/api/v1/ack/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'acknowledge' }) });
    expect(ack.status).toBe(200);
    void reader.cancel();
  }, 60_000);

  it('a channel added in the browser through node A is in use on node B at once (no restart)', async () => {
    const [a, b] = nodes as [Node, Node];
    const person = await api<{ id: string }>(a, 'POST', '/api/v1/people', { name: '渠道测试员' });
    expect(person.status).toBe(201);
    const hook = { id: 'browser-hook', kind: 'webhook', config: { url: `${receiver.url}/browser-hook`, secret: 'cluster-browser-hook-secret' }, enabled: true, routeDefault: false, routeRoles: [] };
    expect((await api(a, 'POST', '/api/v1/notify/channel-settings', hook)).status).toBe(201);
    const test = await until('node B to use the channel', async () => {
      const r = await api<{ delivery: { status: string } }>(b, 'POST', '/api/v1/notify/channel-settings/browser-hook/test', { to: person.json.id });
      last = JSON.stringify(r);
      return r.status === 200 ? r.json : undefined;
    });
    expect(test.delivery.status).toBe('sent');
    expect(receiver.received.filter((r) => r.url === '/browser-hook')).toHaveLength(1);
    // the test message is no page of the outbox, which the next test counts against what was received
    receiver.received.splice(
      receiver.received.findIndex((r) => r.url === '/browser-hook'),
      1,
    );
  });

  it('node A killed in a storm (SIGKILL): node B carries on, every accepted alert is processed, nothing is sent twice', async () => {
    const [a, b] = nodes as [Node, Node];
    const accepted: string[] = [];
    const post = async (node: Node, key: string, i: number) => {
      const r = await api(node, 'POST', '/api/v1/signals', {
        source: 'zabbix',
        system: ['APPOINTMENT', 'MOBILE_NURSING', 'MI_SETTLEMENT'][i % 3],
        component: key,
        severity: i % 2 ? 'red' : 'orange',
        status: 'firing',
        dedupKey: key,
        summary: 'storm',
        at: new Date().toISOString(),
      }).catch(() => null);
      if (r?.status === 202) accepted.push(key);
    };
    const storm = (node: Node, prefix: string, n: number) =>
      (async () => {
        for (let i = 0; i < n; i++) await post(node, `${prefix}-${i}`, i);
      })();
    const onA = storm(a, 'storm-a', 60);
    const onB = storm(b, 'storm-b', 120);
    const live = await api<{ nodes: { id: string; pid: number }[] }>(b, 'GET', '/healthz');
    const nodeA = live.json.nodes.find((n) => n.pid === a.child.pid)!.id;
    await until('node A to accept part of the storm', async () => accepted.filter((k) => k.startsWith('storm-a')).length >= 20);
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    // what node A was sending when it died: it may have reached the receiver before A could record it (at least once)
    const inFlight = new Set((await query<{ page_id: string }>(`select page_id from notify_deliveries where status = 'sending' and claimed_by = $1`, [nodeA])).map((r) => r.page_id));
    await Promise.all([onA, onB]);
    expect(accepted.filter((k) => k.startsWith('storm-b'))).toHaveLength(120);

    // node B processes what node A accepted and did not process, and sends what node A did not send
    await until(
      'every accepted alert to be processed',
      async () => {
        const rows = await query<{ dedup_key: string }>(`select dedup_key from alerts where dedup_key like 'storm-%'`);
        const stored = new Set(rows.map((r) => r.dedup_key));
        return accepted.every((k) => stored.has(k)) ? true : undefined;
      },
      30_000,
    );
    await settled(false);
    await sleep(500);
    // a page sent twice is one node A was sending as it died, taken over by node B once A stopped heartbeating
    const twice = sentTwice().map(([link]) => link.slice(link.lastIndexOf('/') + 1).split('.')[0]!);
    expect(twice.filter((page) => !inFlight.has(page))).toEqual([]);
    const sent = await query<{ n: string }>(`select count(*) as n from notify_deliveries where status = 'sent'`);
    // what the receiver got beyond what is recorded sent: only what node A was sending as it died (at least once
    // across a crash, never more than those)
    expect(receiver.received.length - Number(sent[0]!.n)).toBeLessThanOrEqual(Math.max(twice.length, inFlight.size));
    const health = await api<{ nodes: { pid: number }[] }>(b, 'GET', '/healthz');
    await until('node A to drop out of /healthz', async () => ((await api<{ nodes: { pid: number }[] }>(b, 'GET', '/healthz')).json.nodes.length === 1 ? true : undefined), 10_000);
    expect(health.status).toBe(200);
  }, 60_000);
});

describe.skipIf(postgresUnavailable !== null)('two engines and two outbox workers on one PostgreSQL, side by side (as two nodes)', () => {
  it('firing the same due deadlines at once breaches each once; draining the same outbox at once sends each page once', async () => {
    const receiver = await startRecordingServer(() => '{"ok":true}');
    const database = await freshDatabase('postgres');
    const plan = loadDefaultPlan();
    const clock = new VirtualClock(T0);
    const config = {
      server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1:8080' },
      db: database.db,
      dataDir: tempDir('lifeline-cluster-side-'),
      plan: {},
      log: { level: 'silent' as const },
      timezone: 'Asia/Shanghai',
      clockOffsetMs: 0,
    };
    const notify = parseNotifyConfig({
      channels: { pager: { kind: 'webhook', config: { url: `${receiver.url}/pager` } } },
      routing: { default: ['pager'] },
      repeat: { default: { every: 'PT30M', limit: 1 } },
    });
    const compose = () => composeLifeline({ config, plan, clock, log: createLogger('silent'), mode: 'manual', notify });
    const a: Lifeline = await compose();
    const b: Lifeline = await compose();
    try {
      const person = await a.people.store.create({ name: '李值班', employeeNo: 'C15002', mobile: '13800000016' });
      for (const role of ['tech_oncall', 'tech_lead']) await a.people.store.assign(role, [person.id], []);
      const incidents = 12;
      for (let i = 0; i < incidents; i++) await (i % 2 ? a : b).engine.openIncident({ title: `outage ${i}` }, 'reporter');
      clock.set(T0 + 6 * 60_000); // every O3.1 deadline (5 minutes) has passed
      await Promise.all([a.engine.fireDue(clock.now()), b.engine.fireDue(clock.now()), a.engine.fireDue(clock.now()), b.engine.fireDue(clock.now())]);
      const breached = await a.db.selectFrom('timeline').select('incident_id').where('kind', '=', 'obligation.breached').where('data', 'like', '%"obligation":"O3.1"%').execute();
      expect(breached).toHaveLength(incidents);
      expect(new Set(breached.map((r) => r.incident_id)).size).toBe(incidents);

      await Promise.all([a.paging.worker.start(), b.paging.worker.start()]);
      await Promise.all([a.paging.worker.runDue(), b.paging.worker.runDue(), a.paging.worker.runDue(), b.paging.worker.runDue()]);
      const links = receiver.received.map((r) => (JSON.parse(r.body) as WebhookBody).links.ack);
      const sent = await a.db.selectFrom('notify_deliveries').select('id').where('status', '=', 'sent').execute();
      expect(links.length).toBeGreaterThanOrEqual(2 * incidents); // opened and breached pages
      expect(new Set(links).size).toBe(links.length);
      expect(sent).toHaveLength(links.length);
    } finally {
      await a.stop();
      await b.stop();
      await receiver.close();
      await database.drop();
    }
  }, 30_000);
});
