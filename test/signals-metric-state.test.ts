import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { loadDefaultPlan, parsePlanText } from '../src/plan/load.js';
import type { Plan } from '../src/plan/types.js';
import { applyThresholds, metricKinds, signalSchema } from '../src/signals/normalise.js';
import { parseInput } from '../src/shared/parse-input.js';
import { ValidationError } from '../src/shared/errors.js';
import { testPlatform, type TestPlatform } from './support/platform.js';
import { readFileSync } from 'node:fs';

const yellow = (value: unknown, name = 'db_service_up') =>
  parseInput(signalSchema, { source: 'zabbix', system: 'HIS', component: 'db', severity: 'yellow', status: 'firing', summary: 'HIS 数据库服务', metric: { name, value } });

describe('state metrics (seed 三(一): 数据库服务中断 → 红色告警)', () => {
  const plan = loadDefaultPlan();

  it.each([false, 0, 'down', 'DOWN', '0', 'stopped', '中断'])('the default plan turns db_service_up = %j into red', (value) => {
    const signal = yellow(value);
    expect(signal.metric?.value).toBe(0);
    expect(applyThresholds(plan, signal)).toBe('red');
  });

  it.each([true, 1, 'up', '1', 'running', 'ok', '正常'])('db_service_up = %j stays as sent', (value) => {
    const signal = yellow(value);
    expect(signal.metric?.value).toBe(1);
    expect(applyThresholds(plan, signal)).toBe('yellow');
  });

  it('a state metric with a value other than 0 or 1 matches no state threshold; number metrics compare as before', () => {
    expect(applyThresholds(plan, yellow(-1))).toBe('yellow');
    expect(applyThresholds(plan, yellow(0.5))).toBe('yellow');
    expect(applyThresholds(plan, yellow(90, 'cpu_usage_pct'))).toBe('yellow');
    expect(applyThresholds(plan, yellow('91', 'cpu_usage_pct'))).toBe('orange');
    // a number metric never meets a state threshold: cpu 0 is not "down"
    const text = readFileSync('src/plan/default-plan.yaml', 'utf8').replace(
      '{ id: cpu_orange, metric: cpu_usage_pct, op: ">",  value: 90,',
      '{ id: cpu_orange, metric: cpu_usage_pct, op: "==", value: down,',
    );
    const odd = parsePlanText(text, 'odd.yaml', { lint: false }).plan as Plan;
    expect(applyThresholds(odd, yellow(0, 'cpu_usage_pct'))).toBe('yellow');
  });

  it('knows each metric kind, built once per plan', () => {
    const kinds = metricKinds(plan);
    expect(kinds.get('db_service_up')).toBe('state');
    expect(kinds.get('cpu_usage_pct')).toBe('number');
    expect(metricKinds(plan)).toBe(kinds);
  });

  it('an undeclared metric compared with a state is read as a state', () => {
    const text = readFileSync('src/plan/default-plan.yaml', 'utf8')
      .replace(/\n {2}metrics: .*\n/, '\n')
      .replace('value: down, colour: red', 'value: false, colour: red');
    const bare = parsePlanText(text, 'bare.yaml', { lint: false }).plan as Plan;
    expect(bare.monitoring.metrics).toBeUndefined();
    expect(applyThresholds(bare, yellow('down'))).toBe('red');
    expect(applyThresholds(bare, yellow(true))).toBe('yellow');
  });

  it('refuses a value that is neither a number nor a state, naming metric.value', () => {
    for (const value of ['sideways', '1.2 GB', null, { state: 'down' }, Number.NaN]) {
      let error: unknown;
      try {
        yellow(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['metric.value']);
    }
  });
});

describe('POST /api/v1/signals with a state metric', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  beforeEach(async () => {
    p = await testPlatform('sqlite');
    app = await buildApp(p, { logger: false });
  });
  afterEach(async () => {
    await app.close();
    await p.dispose();
  });
  const body = (value: unknown) => ({
    source: 'zabbix',
    system: 'HIS',
    component: 'db',
    severity: 'yellow',
    status: 'firing',
    summary: 'HIS 数据库服务',
    dedupKey: 'z-db',
    metric: { name: 'db_service_up', value },
  });

  it('a yellow alert carrying db_service_up = "down" opens an incident graded like a red alarm', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/signals', payload: body('down') });
    expect(res.statusCode).toBe(202);
    await p.engine.processPending();
    const { items } = (await app.inject({ method: 'GET', url: '/api/v1/incidents' })).json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ level: 'L2', provisional: true });
  });

  it('a bad metric value is a 400 problem+json naming metric.value, and nothing is stored', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/signals', payload: body('sideways') });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, errors: [{ path: 'metric.value' }] });
    expect(await p.db.selectFrom('signals').selectAll().execute()).toHaveLength(0);
  });
});
