// `npm run bench`: every figure is printed beside a baseline measured in the same run, as a ratio.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, startServer, tempDir } from '../test/support/server.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const signalBody = JSON.stringify({ source: 'bench', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'bench-1' });

async function cannon(url: string, body: string, connections = 50): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: DURATION_S });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function bareServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  return { url: `http://127.0.0.1:${port}`, child };
}

const rows: string[][] = [['measure', 'lifeline', 'baseline', 'ratio', 'aim']];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

// 1. Durable signal ingest over HTTP vs a bare Fastify endpoint.
const bare = await bareServer();
const bareResult = await cannon(`${bare.url}/api/v1/signals`, signalBody);
bare.child.kill();
const server = await startServer({ LIFELINE_DATA_DIR: tempDir('lifeline-bench-'), LIFELINE_LOG_LEVEL: 'error' });
const ingest = await cannon(`${server.url}/api/v1/signals`, signalBody);
await server.stop();
rows.push(['signals ingested/s (durable, SQLite, 50 conns)', fmt(ingest.rps), fmt(bareResult.rps), (ingest.rps / bareResult.rps).toFixed(2), '≥ 0.50']);
rows.push(['ingest p99 latency ms', fmt(ingest.p99), fmt(bareResult.p99), (ingest.p99 / Math.max(1, bareResult.p99)).toFixed(2), '']);
if (ingest.errors || ingest.non2xx) rows.push(['ingest errors / non-2xx', `${ingest.errors} / ${ingest.non2xx}`, '', '', '0']);

// 2. 100,000 pending obligation timers: lateness and peak memory vs a bare setTimeout loop.
const timers = (mode: string, dir = '', env: Record<string, string> = {}) =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/timers-child.ts', mode, '100000', '10000', dir], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env } }).trim().split('\n').at(-1) || '{}');
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

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
