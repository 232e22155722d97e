import { describe, expect, it } from 'vitest';
import { parseIntake } from '../format.js';
import { fixture, testContext } from './fixture.js';
import { generic } from './generic.js';

const parse = (body: unknown, ctx = testContext()) => parseIntake(generic, body, ctx);
const issuePaths = (body: unknown): string[] => {
  try {
    parse(body);
  } catch (error) {
    return (error as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
  }
  return [];
};

describe('generic JSON', () => {
  it('reads a single signal with every field', () => {
    expect(parse(fixture('generic/firing.json'))).toEqual([
      {
        source: 'test-source',
        severity: 'orange',
        status: 'firing',
        dedupKey: 'his-registration-latency',
        summary: 'HIS 挂号接口超时 (p95 8.2s)',
        system: 'HIS',
        component: '挂号接口',
        host: 'his-app-02',
        labels: { check: 'registration-latency', env: 'prod', origin: 'his-cron' },
        at: '2026-11-26T01:02:03.000Z',
        metric: { name: 'latency_p95_s', value: 8.2 },
      },
    ]);
  });

  it('reads a batch, with severity words, colours and defaults', () => {
    const signals = parse(fixture('generic/batch.json'));
    expect(signals.map((s) => [s.severity, s.status, s.system, s.host])).toEqual([
      ['red', 'firing', '机房动力', 'ups-01'],
      ['yellow', 'firing', '机房动力', 'th-sensor-3'],
    ]);
    expect(signals[1]!.metric).toEqual({ name: 'temperature_c', value: 31 });
    expect(parse({ summary: 'x' })[0]!.severity).toBe('orange');
    expect(parse({ summary: 'x', severity: 'P1' }, testContext({ severityMap: { p1: 'red' } }))[0]!.severity).toBe('red');
  });

  it('derives a stable dedupKey from the identity fields when none is given', () => {
    const firing = parse({ summary: 'UPS 市电中断', system: '机房动力', host: 'ups-01' })[0]!;
    const resolved = parse({ summary: 'UPS 市电恢复', status: 'resolved', system: '机房动力', host: 'ups-01' })[0]!;
    const other = parse({ summary: 'UPS 市电中断', system: '机房动力', host: 'ups-02' })[0]!;
    expect(resolved.dedupKey).toBe(firing.dedupKey);
    expect(other.dedupKey).not.toBe(firing.dedupKey);
    const bare = parse({ summary: '备份失败' })[0]!.dedupKey;
    expect(parse({ summary: '备份失败', status: 'resolved' })[0]!.dedupKey).toBe(bare);
  });

  it('names fields inside a batch and rejects times without a zone', () => {
    expect(issuePaths({ signals: [{ summary: 'ok' }, { severity: 'red' }] })).toEqual(['signals[1].summary']);
    expect(issuePaths({ signals: [] })).toEqual(['signals']);
    expect(issuePaths({ summary: 'x', at: '2026-11-26 09:02:03' })).toEqual(['at']);
    expect(issuePaths({ summary: 'x', status: 'open' })).toEqual(['status']);
  });

  it('reads a state metric as 1 (up) or 0 (down) and refuses a value that is neither a number nor a state', () => {
    const value = (v: unknown) => parse({ summary: 'x', metric: { name: 'db_service_up', value: v } })[0]!.metric?.value;
    expect([false, 'down', 'DOWN', 'stopped', '中断', 0, '0'].map(value)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect([true, 'up', 'ok', 'running', '正常', 1, '1'].map(value)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(value('97.5 %')).toBe(97.5);
    expect(issuePaths({ summary: 'x', metric: { name: 'db_service_up', value: 'sideways' } })).toEqual(['metric.value']);
    expect(issuePaths({ summary: 'x', metric: { name: 'db_service_up', value: null } })).toEqual(['metric.value']);
  });
});
