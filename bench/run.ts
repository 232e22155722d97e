// `npm run bench`: every figure is printed beside a baseline measured in the same run, as a ratio.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { createToken, freePort, startServer, tempDir } from '../test/support/server.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const signalBody = JSON.stringify({ source: 'bench', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'bench-1' });

/** `body` is sent as is, or made afresh for every request when it is a function. */
async function cannon(url: string, body: string | (() => string), connections = 50, headers: Record<string, string> = {}): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const payload = typeof body === 'string' ? { body } : { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }] };
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, connections, duration: DURATION_S, ...payload } as never);
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function bareServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  return { url: `http://127.0.0.1:${port}`, child };
}

const rows: string[][] = [['measure', 'lifeline', 'baseline', 'ratio', 'aim']];
/** BENCH_ONLY=intake,paging runs just those sections (ingest, timers, intake, paging, storm, status). */
const only = (section: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(section);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

// 1. Durable signal ingest over HTTP vs a bare Fastify endpoint.
if (only('ingest')) {
  const bare = await bareServer();
  const bareResult = await cannon(`${bare.url}/api/v1/signals`, signalBody);
  bare.child.kill();
  const ingestDir = tempDir('lifeline-bench-');
  const ingestToken = createToken(ingestDir, 'admin', 'bench');
  const server = await startServer({ LIFELINE_DATA_DIR: ingestDir, LIFELINE_LOG_LEVEL: 'error' });
  // the same signal re-sent (its state is stored once a minute), then a new alert in every request (each one written)
  const ingest = await cannon(`${server.url}/api/v1/signals`, signalBody, 50, { authorization: `Bearer ${ingestToken}` });
  let n = 0;
  const distinct = await cannon(`${server.url}/api/v1/signals`, () => signalBody.replace('"bench-1"', `"bench-new-${n++}"`), 50, { authorization: `Bearer ${ingestToken}` });
  await server.stop();
  rows.push(['signals ingested/s, one signal re-sent (durable, SQLite, 50 conns)', fmt(ingest.rps), fmt(bareResult.rps), (ingest.rps / bareResult.rps).toFixed(2), '≥ 0.50']);
  rows.push(['ingest p99 latency ms', fmt(ingest.p99), fmt(bareResult.p99), (ingest.p99 / Math.max(1, bareResult.p99)).toFixed(2), '']);
  rows.push(['signals ingested/s, a new alert each (each written before the 202)', fmt(distinct.rps), fmt(bareResult.rps), (distinct.rps / bareResult.rps).toFixed(2), '≥ 0.50']);
  rows.push(['ingest p99 latency ms, new alerts', fmt(distinct.p99), fmt(bareResult.p99), (distinct.p99 / Math.max(1, bareResult.p99)).toFixed(2), '']);
  for (const [what, r] of [
    ['re-sent', ingest],
    ['new', distinct],
  ] as const) {
    if (r.errors || r.non2xx) rows.push([`ingest errors / non-2xx, ${what}`, `${r.errors} / ${r.non2xx}`, '', '', '0']);
  }
}

// 2. 100,000 pending obligation timers: lateness and peak memory vs a bare setTimeout loop.
if (only('timers')) {
  const timers = (mode: string, dir = '', env: Record<string, string> = {}) =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', 'bench/timers-child.ts', mode, '100000', '10000', dir], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env } })
        .trim()
        .split('\n')
        .at(-1) || '{}',
    );
  const bareTimers = timers('bare');
  // The 100k timers are written by one process; a fresh one (measured) loads them and fires them as they fall due.
  const timerDir = tempDir('lifeline-timers-');
  const timerStart = String(Date.now() + 20_000);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/timers-child.ts', 'setup', '100000', '10000', timerDir], { env: { ...process.env, BENCH_START: timerStart } });
  const lifeTimers = timers('lifeline', timerDir, { BENCH_START: timerStart });
  rows.push(['timer lateness p50 ms (100k pending, 5k due over 10 s)', fmt(lifeTimers.p50), fmt(bareTimers.p50), (lifeTimers.p50 / Math.max(1, bareTimers.p50)).toFixed(2), '']);
  rows.push(['timer lateness p99 ms', fmt(lifeTimers.p99), fmt(bareTimers.p99), (lifeTimers.p99 / Math.max(1, bareTimers.p99)).toFixed(2), '< 20 ms']);
  rows.push(['timers fired', fmt(lifeTimers.fired), fmt(bareTimers.fired), (lifeTimers.fired / bareTimers.fired).toFixed(2), '1.00']);
  rows.push(['peak RSS MB', fmt(lifeTimers.peakRssMb), fmt(bareTimers.peakRssMb), (lifeTimers.peakRssMb / bareTimers.peakRssMb).toFixed(2), '< 250 MB']);
}

// ---- 3. Intake (issue 3) ---------------------------------------------------------------------------
// Alertmanager-format batches of 1, 10 and 100 alerts from 50 concurrent clients into a real Lifeline (`lifeline
// start`, SQLite, synchronous=FULL), in two workloads:
//   new alerts   every request carries alerts never seen before (a storm's onset): each one is written to the
//                journal before the 2xx, then processed (incidents, alerts, timeline);
//   re-sent      the same alerts again and again (what Alertmanager sends every group_interval while they fire):
//                a repeat of a state already stored on an open incident is acknowledged without writing it again.
// Alerts/s answered 2xx, p99 latency, the ratio to a bare Fastify endpoint parsing the same bodies and, when Debian's
// Alertmanager is installed, to it accepting the same alerts into memory (POST /api/v2/alerts), all in this run.
// After each new-alert run: how long processing takes to catch up, and journal entries vs alerts answered.
// Every target (bare Fastify, Alertmanager, Lifeline) first takes the same load unmeasured for
// BENCH_INTAKE_WARMUP_SECONDS (1): the figures are of a running server, not of its first second (V8 compiling).
// BENCH_INTAKE_BATCHES=10,100 and BENCH_INTAKE_WORKLOADS=new pick cells; BENCH_INTAKE_SECONDS sets each run's length.
if (only('intake')) {
  const { execFileSync: run, spawn: spawnChild } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const SECONDS = Number(process.env.BENCH_INTAKE_SECONDS ?? 4);
  const WARMUP_SECONDS = Number(process.env.BENCH_INTAKE_WARMUP_SECONDS ?? 1);
  const BATCHES = (process.env.BENCH_INTAKE_BATCHES ?? '1,10,100').split(',').map(Number);
  type Workload = 'new' | 're-sent';
  const WORKLOADS = (process.env.BENCH_INTAKE_WORKLOADS ?? 'new,re-sent').split(',') as Workload[];
  let serial = 0;
  const alert = (i: number) => ({ labels: { alertname: 'HISSlow', system: 'HIS', severity: 'warning', instance: `his-app-${i}:9100` }, annotations: { summary: `HIS 应用 ${i} 响应慢` } });
  const startsAt = new Date().toISOString();
  const webhookBody = (ids: number[]) =>
    JSON.stringify({
      version: '4',
      status: 'firing',
      receiver: 'lifeline',
      groupKey: '{}:{alertname="HISSlow"}',
      groupLabels: { alertname: 'HISSlow' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am',
      alerts: ids.map((i) => ({ status: 'firing', ...alert(i), startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom', fingerprint: `b${String(i).padStart(15, '0')}` })),
    });
  const v2Body = (ids: number[]) => JSON.stringify(ids.map(alert));
  const fresh = (n: number) => Array.from({ length: n }, () => serial++);
  type Result = { alertsPerS: number; ok: number; p99: number; bad: number; warmupOk: number };
  // New-alert bodies are made before the clock starts, so that the load generator (on the same 2 cores) spends
  // little time per request; past the pool, they are made on the fly.
  const pools = new Map<string, string[]>();
  const pool = (make: (ids: number[]) => string, batch: number) => {
    const name = `${make === webhookBody ? 'webhook' : 'v2'}/${batch}`;
    if (!pools.has(name))
      pools.set(
        name,
        Array.from({ length: Math.ceil((80_000 * (SECONDS + WARMUP_SECONDS)) / batch) }, () => make(fresh(batch))),
      );
    return pools.get(name)!;
  };
  const load = async (url: string, make: (ids: number[]) => string, batch: number, workload: Workload, headers: Record<string, string> = {}): Promise<Result> => {
    const fixed = make(Array.from({ length: batch }, (_, i) => i));
    const bodies = workload === 'new' ? pool(make, batch) : [];
    let next = 0; // warm-up and measured run go through the pool in turn: every new-alert body is new
    const run = async (seconds: number) =>
      (await autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        connections: 50,
        duration: seconds,
        ...(workload === 're-sent' ? { body: fixed } : { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++] ?? make(fresh(batch)) }) }] }),
      } as never)) as unknown as { '2xx': number; non2xx: number; errors: number; latency: { p99: number } };
    const warmup = WARMUP_SECONDS > 0 ? await run(WARMUP_SECONDS) : { '2xx': 0, non2xx: 0, errors: 0 };
    const r = await run(SECONDS);
    const bad = warmup.non2xx + warmup.errors + r.non2xx + r.errors; // a refusal during the warm-up counts too
    return { alertsPerS: (r['2xx'] * batch) / SECONDS, ok: r['2xx'], p99: r.latency.p99, bad, warmupOk: warmup['2xx'] };
  };
  const key = (w: Workload, n: number) => `${w}/${n}`;

  const bareIntake = await bareServer();
  const bareRuns = new Map<string, Result>();
  for (const w of WORKLOADS) for (const n of BATCHES) bareRuns.set(key(w, n), await load(`${bareIntake.url}/api/v1/signals`, webhookBody, n, w));
  bareIntake.child.kill();

  const amRuns = new Map<string, Result>();
  const amBin = '/usr/bin/prometheus-alertmanager';
  if (fs.existsSync(amBin)) {
    for (const w of WORKLOADS) {
      const amDir = tempDir('lifeline-bench-am-');
      fs.writeFileSync(path.join(amDir, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
      const port = await freePort();
      const am = spawnChild(
        amBin,
        [`--config.file=${path.join(amDir, 'am.yml')}`, `--storage.path=${amDir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=error'],
        { stdio: 'ignore' },
      );
      const until = Date.now() + 15_000;
      while (
        Date.now() < until &&
        !(await fetch(`http://127.0.0.1:${port}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ))
      )
        await new Promise((r) => setTimeout(r, 100));
      for (const n of BATCHES) amRuns.set(key(w, n), await load(`http://127.0.0.1:${port}/api/v2/alerts`, v2Body, n, w));
      am.kill('SIGTERM');
    }
  }

  const lifeRuns = new Map<string, Result>();
  const drains = new Map<number, { ms: number; journaled: number; answered: number }>();
  for (const w of WORKLOADS) {
    for (const n of BATCHES) {
      const dataDir = tempDir('lifeline-bench-intake-');
      const env = { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'error' };
      const sourceKey = run(process.execPath, ['bin/lifeline.js', 'source', 'add', 'bench-am', '--type', 'alertmanager'], { env, encoding: 'utf8' }).trim().split('\n').at(-1)!;
      const life = await startServer({ LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'error' });
      if (w === 're-sent') {
        // the alerts are on their incident before the re-sends start
        await fetch(`${life.url}/api/v1/intake/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${sourceKey}` },
          body: webhookBody(Array.from({ length: n }, (_, i) => i)),
        });
        await new Promise((r) => setTimeout(r, 500));
      }
      const result = await load(`${life.url}/api/v1/intake/alertmanager`, webhookBody, n, w, { authorization: `Bearer ${sourceKey}` });
      lifeRuns.set(key(w, n), result);
      if (w === 'new') {
        const stopped = Date.now();
        for (;;) {
          const h = (await (await fetch(`${life.url}/healthz`)).json()) as { intake: { journalEnd: number; admittedUpTo: number; unprocessedSignals: number } };
          if (h.intake.admittedUpTo >= h.intake.journalEnd && h.intake.unprocessedSignals === 0) break;
          if (Date.now() - stopped > 600_000) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const ms = Date.now() - stopped;
        await life.stop();
        const Database = (await import('better-sqlite3')).default;
        const journal = new Database(path.join(dataDir, 'lifeline.intake.sqlite'), { readonly: true });
        const journaled = (journal.prepare('select coalesce(sum(count), 0) as n from signal_batches').get() as { n: number }).n;
        journal.close();
        drains.set(n, { ms, journaled, answered: (result.warmupOk + result.ok) * n });
      } else await life.stop();
    }
  }

  for (const w of WORKLOADS) {
    for (const n of BATCHES) {
      const l = lifeRuns.get(key(w, n))!;
      const b = bareRuns.get(key(w, n))!;
      const a = amRuns.get(key(w, n));
      const aim = n === 1 ? '' : '≥ 1.00';
      rows.push([`intake alerts/s, ${w} alerts, batch ${n} (50 conns)`, fmt(l.alertsPerS), fmt(b.alertsPerS), (l.alertsPerS / b.alertsPerS).toFixed(2), 'vs bare Fastify']);
      if (a) rows.push([`  vs Alertmanager 0.25 accepting into memory`, fmt(l.alertsPerS), fmt(a.alertsPerS), (l.alertsPerS / a.alertsPerS).toFixed(2), aim]);
      rows.push([`  p99 latency ms (vs Alertmanager, else bare)`, fmt(l.p99), fmt((a ?? b).p99), (l.p99 / Math.max(1, (a ?? b).p99)).toFixed(2), '']);
      if (l.bad) rows.push([`  errors / non-2xx`, fmt(l.bad), '', '', '0']);
      const d = w === 'new' ? drains.get(n) : undefined;
      if (d) {
        rows.push([`  journal entries vs alerts answered 2xx`, fmt(d.journaled), fmt(d.answered), (d.journaled / Math.max(1, d.answered)).toFixed(2), '≥ 1.00 (none lost)']);
        rows.push([`  processing caught up, ms after the load stopped`, fmt(d.ms), fmt(SECONDS * 1000), (d.ms / (SECONDS * 1000)).toFixed(2), 'load time = baseline']);
      }
    }
  }
}

// ---- 4. Paging (issue 4) ---------------------------------------------------------------------------
// One incident reaching L1 pages 1,000 HQ members (the plan's L1 notice), spread over six channels through the
// local vendor fakes (WeCom app, Aliyun SMS, e-mail over SMTP, DingTalk and Feishu robots, webhook), on a
// durable SQLite file and the real clock: from the level change (pages written in its transaction) to the
// last delivery recorded sent. Baseline: the same 1,000 messages sent straight through the adapters (no
// outbox, no database, same concurrency). Robots are kept within their per-minute budget by digests.
if (only('paging')) {
  const { composeLifeline } = await import('../src/app/compose.js');
  const { createLogger } = await import('../src/log/logger.js');
  const { loadDefaultPlan } = await import('../src/plan/load.js');
  const { systemClock } = await import('../src/shared/clock.js');
  const { parseNotifyConfig, renderTest } = await import('../src/notify/index.js');
  const { dispatch } = await import('../src/notify/dispatch.js');
  const { recipientOf } = await import('../src/notify/worker.js');
  const fakes = {
    wecom: await (await import('../src/notify/channels/fakes/wecom-app-fake.js')).startWecomAppFake({
      corpId: 'wwbench',
      corpSecret: 'bench-corp-secret-0123',
      agentId: 1,
      users: Array.from({ length: 1000 }, (_, i) => `u${i}`),
    }),
    sms: await (await import('../src/notify/channels/fakes/aliyun-fake.js')).startAliyunFake({ accessKeyId: 'LTAIbench', accessKeySecret: 'bench-aliyun-secret-0123' }),
    mail: await (await import('../src/notify/channels/fakes/smtp-fake.js')).startSmtpFake({ security: 'none' }),
    ding: await (await import('../src/notify/channels/fakes/robots-fake.js')).startDingtalkFake({ accessToken: 'bench-ding-token', secret: 'SECbench0123456789' }),
    feishu: await (await import('../src/notify/channels/fakes/robots-fake.js')).startFeishuFake({ token: 'bench-feishu-token', secret: 'bench-feishu-secret' }),
    hook: await (await import('../src/notify/channels/fakes/webhook-fake.js')).startWebhookFake({ secret: 'bench-webhook-secret-0123' }),
  };
  const smtp = new URL(fakes.mail.url);
  const config = parseNotifyConfig({
    channels: {
      wecom: { kind: 'wecom-app', config: { corpId: 'wwbench', corpSecret: 'bench-corp-secret-0123', agentId: 1, endpoint: fakes.wecom.url } },
      sms: { kind: 'sms-aliyun', config: { accessKeyId: 'LTAIbench', accessKeySecret: 'bench-aliyun-secret-0123', signName: '测试医院', templateCode: 'SMS_100000001', endpoint: fakes.sms.url } },
      mail: { kind: 'email', config: { host: smtp.hostname, port: Number(smtp.port), security: 'none', from: 'lifeline@hospital.example' } },
      ding: { kind: 'dingtalk-robot', config: { accessToken: 'bench-ding-token', secret: 'SECbench0123456789', endpoint: fakes.ding.url } },
      feishu: { kind: 'feishu-bot', config: { token: 'bench-feishu-token', secret: 'bench-feishu-secret', endpoint: fakes.feishu.url } },
      hook: { kind: 'webhook', config: { url: `${fakes.hook.url}/hook`, secret: 'bench-webhook-secret-0123' } },
    },
    concurrency: 16,
  });
  const kinds = ['wecom', 'sms', 'mail', 'ding', 'feishu', 'hook'];
  const dir = tempDir('lifeline-bench-paging-');
  const p = await composeLifeline({
    config: {
      server: { host: '127.0.0.1', port: 0, publicUrl: 'https://lifeline.hospital.example' },
      db: { kind: 'sqlite', file: `${dir}/lifeline.sqlite` },
      dataDir: dir,
      plan: {},
      log: { level: 'silent' },
      timezone: 'Asia/Shanghai',
      clockOffsetMs: 0,
      secret: 'bench-secret-0123456789',
    },
    plan: loadDefaultPlan(),
    clock: systemClock,
    log: createLogger('silent'),
    mode: 'server',
    notify: config,
  });
  const { paging } = p;
  await p.start();
  const ids: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const person = await paging.people.store.create({
      name: `科室主任${i}`,
      mobile: `139${String(10000000 + i)}`,
      email: `d${i}@hospital.example`,
      wecomUserId: `u${i}`,
      channels: [kinds[i % kinds.length]],
    });
    ids.push(person.id);
  }
  await paging.people.store.assign('hq_member', ids, []);
  const incident = await p.engine.openIncident({ title: '演练：全院系统中断', systems: [{ system: 'HIS' }] }, 'bench');
  await paging.worker.idle();
  const started = Date.now();
  await p.engine.act(incident, { type: 'set_level', level: 'L1', reason: '演练' }, 'bench', 'commander');
  const db = p.db;
  for (;;) {
    const open = await db
      .selectFrom('notify_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incident)
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirst();
    if (Number(open?.n) === 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const done = await db.selectFrom('notify_deliveries').select(['status', 'sent_at', 'digest_id', 'channel']).where('incident_id', '=', incident).execute();
  const sentRows = done.filter((d) => d.status === 'sent');
  const lastMs = Math.max(...sentRows.map((d) => Number(d.sent_at))) - started;
  const robotPages = sentRows.filter((d) => d.channel === 'ding' || d.channel === 'feishu').length;
  const robotPosts = fakes.ding.requests.length + fakes.feishu.requests.length;
  await paging.stop();
  await p.stop();

  // baseline: the same 1,000 messages straight through the adapters, 16 at a time
  const msg = renderTest('bench', 'bench', 'zh');
  const people = ids.map((id, i) => ({ id, name: `科室主任${i}`, mobile: `139${String(10000000 + i)}`, email: `d${i}@hospital.example`, wecomUserId: `u${i}` }));
  const bareStart = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < people.length) {
        const i = next++;
        await dispatch(config.channels.get(kinds[i % kinds.length])!, msg, recipientOf(people[i] as never), { now: Date.now, timeoutMs: 15_000 });
      }
    }),
  );
  const bareMs = Date.now() - bareStart;
  await Promise.all(Object.values(fakes).map((f) => f.close()));

  rows.push(['paging: 1,000 recipients, 6 channels — ms to last delivery', fmt(lastMs), fmt(bareMs), (lastMs / Math.max(1, bareMs)).toFixed(2), '< 10,000 ms']);
  rows.push(['paging deliveries/s (outbox, durable SQLite)', fmt((sentRows.length / lastMs) * 1000), fmt((1000 / bareMs) * 1000), (sentRows.length / lastMs / (1000 / bareMs)).toFixed(2), '']);
  rows.push(['paging deliveries sent / pages (none dropped)', fmt(sentRows.length), '1,000', (sentRows.length / 1000).toFixed(2), '1.00']);
  rows.push([`paging robot posts for ${robotPages} robot pages (digests, ≤ 20/min DingTalk)`, fmt(robotPosts), fmt(robotPages), (robotPosts / Math.max(1, robotPages)).toFixed(2), '']);
}

// ---- 5. Storm (issue 5) ----------------------------------------------------------------------------
// How soon a red alarm of a quiet system pages its on-duty engineer, on a quiet server and while another
// system storms. A real `lifeline start` (SQLite) pages `tech_oncall` when an incident opens; the one person
// holding it is reached on a webhook channel whose URL is a receiver in this process, which notes each page's
// arrival (performance.now()). A page is matched to its alarm by a tag in the alarm's summary (the incident's
// title, in the page's subject). Latency = page arrival − the alarm's 202. Alerts go to the Alertmanager webhook.
//   idle    20 red alarms, one at a time (each incident is closed after its page, so that the next alarm of
//           that system opens a new one);
//   storm   30,000 new orange alerts of EMR (each its own component; 10 a request, 1,000 requests/s for 3 s)
//           and, during it, a red alarm of each of the 13 other plan systems, one every 0.2 s from 0.2 s;
//   growth  on a fresh server, EMR's incident grows by 10,000 new alerts a slice (up to 6): each slice is posted
//           at full speed, then the time processing takes to catch up (GET /healthz: admittedUpTo reaching
//           journalEnd, one journal row a request) gives the slice's rate, without intake competing for it.
//           Bounded for slow code: no slice starts after 20 s, and one not caught up within 8 s is the last.
if (only('storm')) {
  const http = await import('node:http');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const STORM_SYSTEM = 'EMR';
  const OTHERS = ['HIS', 'PACS', 'LIS', 'MI_SETTLEMENT', 'APPOINTMENT', 'MOBILE_NURSING', 'DB_PRIMARY', 'NET_CORE', 'STORAGE', 'POWER', 'HVAC', 'DR_SITE', 'WAN_4G'];
  const PAGE_WAIT_MS = 60_000; // a page not there by then counts as this late
  const SLICE = 10_000;
  const SLICES = Number(process.env.BENCH_STORM_SLICES ?? 6);
  const GROWTH_MS = Number(process.env.BENCH_STORM_GROWTH_SECONDS ?? 20) * 1000; // no slice starts after this
  const SLICE_WAIT_MS = 8_000; // a slice not processed by then ends the growth run: what was reached is reported
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? NaN;

  const arrivals = new Map<string, number>();
  let received = 0;
  const receiver = http.createServer((req, res) => {
    const at = performance.now();
    received++;
    let body = '';
    req
      .on('data', (d) => (body += d))
      .on('end', () => {
        const tag = /probe-\d+/.exec(body)?.[0];
        if (tag && !arrivals.has(tag)) arrivals.set(tag, at);
        res.writeHead(204).end();
      });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/page`;

  let serial = 0;
  const startsAt = new Date().toISOString();
  const amBody = (system: string, severity: string, summaries: string[]) =>
    JSON.stringify({
      version: '4',
      status: 'firing',
      receiver: 'lifeline',
      groupKey: '{}:{alertname="Storm"}',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am',
      alerts: summaries.map((summary) => {
        const i = serial++;
        return {
          status: 'firing',
          labels: { alertname: 'Storm', system, component: `part-${i}`, severity, instance: `host-${i}:9100` },
          annotations: { summary },
          startsAt,
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prom',
          fingerprint: `s${String(i).padStart(15, '0')}`,
        };
      }),
    });
  const stormBodies = (requests: number) =>
    Array.from({ length: requests }, () =>
      amBody(
        STORM_SYSTEM,
        'warning',
        Array.from({ length: 10 }, () => `${STORM_SYSTEM} 应用响应慢`),
      ),
    );

  /** A Lifeline whose tech_oncall is one person, paged on the webhook above. */
  const pagedLifeline = async () => {
    const dataDir = tempDir('lifeline-bench-storm-');
    fs.writeFileSync(path.join(dataDir, 'notify.yaml'), `channels:\n  pager:\n    kind: webhook\n    config: { url: "${hookUrl}" }\nrouting:\n  default: [pager]\n`);
    const env = { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'error' };
    const sourceKey = execFileSync(process.execPath, ['bin/lifeline.js', 'source', 'add', 'bench-am', '--type', 'alertmanager'], { env, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const token = createToken(dataDir, 'admin', 'bench');
    const server = await startServer({ LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'error' });
    const api = async (url: string, method = 'GET', body?: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of several API answers
      return res.json() as Promise<any>;
    };
    const person = await api('/api/v1/people', 'POST', { name: '值班工程师' });
    await api('/api/v1/roles/tech_oncall/assignees', 'PUT', { holders: [person.id] });
    const intakeUrl = `${server.url}/api/v1/intake/alertmanager`;
    const intakeHeaders = { 'content-type': 'application/json', authorization: `Bearer ${sourceKey}` };
    /** Posts a red alarm of `system`; resolves with when its page arrived, in ms after the 202. */
    const probe = async (system: string) => {
      const tag = `probe-${serial}`;
      const res = await fetch(intakeUrl, { method: 'POST', headers: intakeHeaders, body: amBody(system, 'critical', [`${tag} ${system} 服务中断`]) });
      const answered = performance.now();
      if (res.status !== 202) throw new Error(`red alarm answered ${res.status}`);
      while (!arrivals.has(tag) && performance.now() - answered < PAGE_WAIT_MS) await sleep(2);
      return (arrivals.get(tag) ?? performance.now()) - answered;
    };
    const storm = (bodies: string[], rate?: number, connections = 20) =>
      autocannon({
        url: intakeUrl,
        method: 'POST',
        headers: intakeHeaders,
        connections,
        amount: bodies.length,
        ...(rate ? { overallRate: rate } : {}),
        requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies.shift() }) }],
      } as never) as unknown as Promise<{ '2xx': number; non2xx: number; errors: number }>;
    const health = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { intake: { journalEnd: number; admittedUpTo: number } }).intake;
    return { server, api, probe, storm, health };
  };

  // idle, then the storm, on one server
  const a = await pagedLifeline();
  const idle: number[] = [];
  for (let i = -1; i < 20; i++) {
    // the first alarm after the start (code not yet compiled, first send) is not an idle figure
    idle.push(await a.probe(OTHERS[(i + OTHERS.length) % OTHERS.length]));
    for (const inc of (await a.api('/api/v1/incidents?state=open')).items) await a.api(`/api/v1/incidents/${inc.id}/actions`, 'POST', { type: 'close', reason: 'bench' });
    await sleep(50);
  }
  const bodies = stormBodies(3_000);
  const stormStarted = performance.now();
  let stormMs = 0;
  const flood = a.storm(bodies, 1_000, 50).then((r) => {
    stormMs = performance.now() - stormStarted;
    return r;
  });
  const during = await Promise.all(
    OTHERS.map(async (system, i) => {
      await sleep(200 * (i + 1) - (performance.now() - stormStarted));
      return a.probe(system);
    }),
  );
  const flooded = await flood;
  await a.server.stop();
  const first = idle.shift()!;
  console.error(`storm: idle pages, ms after the 202: ${idle.map((ms) => ms.toFixed(0)).join(' ')}`);
  console.error(`storm: pages during the storm, ms after the 202 (alarm at 0.2 s, 0.4 s…): ${during.map((ms) => ms.toFixed(0)).join(' ')}`);

  // growth, on a fresh server
  const b = await pagedLifeline();
  const rates: { upTo: number; rate: number }[] = [];
  const growthStarted = performance.now();
  for (let k = 0; k < SLICES && performance.now() - growthStarted < GROWTH_MS; k++) {
    const posting = performance.now();
    await b.storm(stormBodies(SLICE / 10));
    let h = await b.health();
    // the rate of the catching up alone (intake no longer competing), or of the posting if processing kept up with it
    const [t0, from] = h.admittedUpTo < h.journalEnd ? [performance.now(), h.admittedUpTo] : [posting, h.journalEnd - SLICE / 10];
    while (h.admittedUpTo < h.journalEnd && performance.now() - t0 < SLICE_WAIT_MS) {
      await sleep(10);
      h = await b.health();
    }
    rates.push({ upTo: h.admittedUpTo * 10, rate: ((h.admittedUpTo - from) * 10) / ((performance.now() - t0) / 1000) });
    if (h.admittedUpTo < h.journalEnd) break;
  }
  await b.server.stop();

  // a drill in full flow (every system red at once: drill incidents and their pages queued) while real red alarms
  // arrive; the real pages must not wait behind the drill's (src/notify: real pages first)
  const c = await pagedLifeline();
  const closeReal = async () => {
    for (const inc of (await c.api('/api/v1/incidents?state=open')).items) if (!inc.drill) await c.api(`/api/v1/incidents/${inc.id}/actions`, 'POST', { type: 'close', reason: 'bench' });
  };
  const quiet: number[] = [];
  for (let i = -1; i < 12; i++) {
    quiet.push(await c.probe(OTHERS[(i + OTHERS.length) % OTHERS.length]));
    await closeReal();
  }
  quiet.shift(); // the first alarm after the start is not a quiet figure
  const drillSystems = [STORM_SYSTEM, ...OTHERS];
  const drillYaml = [
    'name: bench drill, every system at once',
    'plan: default',
    'start: 2026-03-02T09:00:00+08:00',
    'steps:',
    ...drillSystems.flatMap((system) =>
      Array.from({ length: 10 }, (_, k) => `  - at: 0m\n    signal: {source: zabbix, system: ${system}, component: part-${k}, severity: red, status: firing, summary: 演练 ${system} ${k}}`),
    ),
  ].join('\n');
  const receivedBefore = received;
  const run = await c.api('/api/v1/drills/runs', 'POST', { scenarioYaml: drillYaml, timeFactor: 1 });
  const drillStarted = performance.now();
  const midDrill: number[] = [];
  for (const [i, system] of OTHERS.entries()) {
    await sleep(150 * (i + 1) - (performance.now() - drillStarted)); // the server picks the run up within a second
    midDrill.push(await c.probe(system));
  }
  const drillPages = received - receivedBefore - midDrill.length; // webhook requests meanwhile, less the real pages
  const drillIncidents = (await c.api('/api/v1/incidents?state=open')).items.filter((inc: { drill?: unknown }) => inc.drill).length;
  await c.api(`/api/v1/drills/runs/${run.id}/end`, 'POST', {});
  await c.server.stop();
  receiver.close();
  rows.push([
    `drill: real red alarm → first page p50 ms, during a drill (${drillIncidents} drill incidents, ${drillPages} drill pages meanwhile; baseline quiet, ${quiet.length} alarms)`,
    fmt(pct(midDrill, 0.5)),
    fmt(pct(quiet, 0.5), 1),
    (pct(midDrill, 0.5) / pct(quiet, 0.5)).toFixed(1),
    '',
  ]);
  rows.push([
    'drill: real red alarm → first page max ms, during a drill (baseline quiet max)',
    fmt(Math.max(...midDrill)),
    fmt(Math.max(...quiet), 1),
    (Math.max(...midDrill) / Math.max(...quiet)).toFixed(1),
    '≤ 1,000 ms',
  ]);

  rows.push(['storm: red alarm → first page ms, first alarm after the start (not in idle)', fmt(first, 1), '', '', '']);
  rows.push(['storm: red alarm → first page p50 ms, idle server (20 alarms)', fmt(pct(idle, 0.5), 1), '', '', '']);
  rows.push(['storm: red alarm → first page p99 ms, idle server', fmt(pct(idle, 0.99), 1), '', '', '≤ 50 ms']);
  rows.push(['storm: red alarm → first page max ms, idle server', fmt(Math.max(...idle), 1), '', '', '']);
  rows.push([
    `storm: red alarm → first page p50 ms, during a storm (${during.length} alarms; baseline idle)`,
    fmt(pct(during, 0.5)),
    fmt(pct(idle, 0.5), 1),
    (pct(during, 0.5) / pct(idle, 0.5)).toFixed(1),
    '',
  ]);
  rows.push([
    'storm: red alarm → first page p99 ms, during a storm (baseline idle p99)',
    fmt(pct(during, 0.99)),
    fmt(pct(idle, 0.99), 1),
    (pct(during, 0.99) / pct(idle, 0.99)).toFixed(1),
    '≤ 1,000 ms',
  ]);
  rows.push([
    'storm: red alarm → first page max ms, during a storm (baseline idle max)',
    fmt(Math.max(...during)),
    fmt(Math.max(...idle), 1),
    (Math.max(...during) / Math.max(...idle)).toFixed(1),
    '',
  ]);
  const answered = (flooded['2xx'] * 10) / (stormMs / 1000);
  rows.push([`storm: alerts answered 2xx/s while storming (${fmt(flooded['2xx'] * 10)} in ${fmt(stormMs)} ms; offered)`, fmt(answered), '10,000', (answered / 10_000).toFixed(2), '']);
  if (flooded.errors || flooded.non2xx) rows.push(['storm: errors / non-2xx', `${flooded.errors} / ${flooded.non2xx}`, '', '', '0 / 0']);
  for (const [k, r] of rates.entries()) {
    rows.push([
      `storm processing alerts/s, incident at ${fmt(k * SLICE)}–${fmt(r.upTo)} alerts`,
      fmt(r.rate),
      fmt(rates[0].rate),
      (r.rate / rates[0].rate).toFixed(2),
      k === rates.length - 1 ? '≥ 0.80 (flat)' : '',
    ]);
  }
}

// 6. The patient status page (GET /status, from memory) on a real server with an open incident on HIS vs a bare
// Fastify GET route answering a string of the same size, each in its own process, in the same run.
if (only('status')) {
  const fs = await import('node:fs');
  const dir = tempDir('lifeline-bench-status-');
  const token = createToken(dir, 'admin', 'bench');
  const server = await startServer({ LIFELINE_DATA_DIR: dir, LIFELINE_LOG_LEVEL: 'error' });
  const opened = await fetch(`${server.url}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'HIS 中断', systems: [{ system: 'HIS', state: 'down' }], scope: 'hospital_wide' }),
  });
  if (opened.status !== 201) throw new Error(`bench: opening the incident failed: ${opened.status} ${await opened.text()}`);
  let page = '';
  for (let i = 0; i < 50 && !page.includes('暂停'); i++) {
    page = await (await fetch(`${server.url}/status`)).text();
    if (!page.includes('暂停')) await new Promise((r) => setTimeout(r, 100));
  }
  if (!page.includes('暂停')) throw new Error('bench: the status page never showed the outage');
  const bytes = Buffer.byteLength(page);
  const port = await freePort();
  // the bare route answers the very bytes of the page (UTF-8 Chinese, as a Buffer), so that only the work around them differs
  const bodyFile = `${dir}/status-page.html`;
  fs.writeFileSync(bodyFile, page);
  const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-status.ts'], { env: { ...process.env, PORT: String(port), BODY_FILE: bodyFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => bare.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  // The two servers take turns (bare, lifeline, lifeline, bare, …) so that a change in the machine's load
  // during the run falls on both alike; each side's figure is the mean of its turns.
  const ROUNDS = 4;
  // CPU the serving process spent (user + system, from /proc on Linux; 0 elsewhere): per request, load-independent
  const cpuMs = (pid: number | undefined) => {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 10 ms
    } catch {
      return 0;
    }
  };
  const turn = async (url: string, pid: number | undefined) => {
    const before = cpuMs(pid);
    const r = await autocannon({ url, connections: 50, duration: Math.max(2, Math.round(DURATION_S / 2)) } as never);
    return { rps: r.requests.average, p99: r.latency.p99, bad: r.errors + r.non2xx, cpuMs: cpuMs(pid) - before, requests: (r as unknown as { requests: { total: number } }).requests.total };
  };
  const bareUrl = `http://127.0.0.1:${port}/status`;
  const statusUrl = `${server.url}/status`;
  await autocannon({ url: bareUrl, connections: 50, duration: 1 } as never); // warm-up
  await autocannon({ url: statusUrl, connections: 50, duration: 1 } as never);
  const turns: { bare: Awaited<ReturnType<typeof turn>>[]; status: Awaited<ReturnType<typeof turn>>[] } = { bare: [], status: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? (['status', 'bare'] as const) : (['bare', 'status'] as const);
    for (const side of order) turns[side].push(await turn(side === 'bare' ? bareUrl : statusUrl, side === 'bare' ? bare.pid : server.process.pid));
  }
  const mean = (list: Awaited<ReturnType<typeof turn>>[]) => ({
    rps: list.reduce((a, r) => a + r.rps, 0) / list.length,
    p99: Math.max(...list.map((r) => r.p99)),
    bad: list.reduce((a, r) => a + r.bad, 0),
    cpuUsPerRequest:
      (1000 * list.reduce((a, r) => a + r.cpuMs, 0)) /
      Math.max(
        1,
        list.reduce((a, r) => a + r.requests, 0),
      ),
  });
  const baseline = mean(turns.bare);
  const status = mean(turns.status);
  bare.kill();
  await server.stop();
  rows.push([`status page GET /status req/s (${fmt(bytes / 1024, 1)} KiB, open incident on HIS, 50 conns)`, fmt(status.rps), fmt(baseline.rps), (status.rps / baseline.rps).toFixed(2), '≥ 0.90']);
  rows.push(['status page p99 latency ms', fmt(status.p99), fmt(baseline.p99), (status.p99 / Math.max(1, baseline.p99)).toFixed(2), '']);
  if (status.cpuUsPerRequest > 0)
    rows.push([
      'status page server CPU µs per request (bare/lifeline: ≥ 0.90 is within 10%)',
      fmt(status.cpuUsPerRequest, 1),
      fmt(baseline.cpuUsPerRequest, 1),
      (baseline.cpuUsPerRequest / status.cpuUsPerRequest).toFixed(2),
      '≥ 0.90',
    ]);
  if (status.bad || baseline.bad) rows.push(['status page errors / non-2xx (lifeline, bare)', String(status.bad), String(baseline.bad), '', '0']);
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
