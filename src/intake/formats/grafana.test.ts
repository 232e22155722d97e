import { describe, expect, it } from 'vitest';
import { parseIntake } from '../format.js';
import { fixture, testContext } from './fixture.js';
import { grafana } from './grafana.js';

describe('grafana webhook', () => {
  it('reads a firing alert like an Alertmanager alert, ignoring the Grafana extras', () => {
    expect(parseIntake(grafana, fixture('grafana/firing.json'), testContext())).toEqual([
      {
        source: 'test-source',
        severity: 'orange',
        status: 'firing',
        dedupKey: 'bc97ff14869b13e3',
        summary: 'HL7 ACK p95 > 5s',
        system: 'LIS',
        host: 'lis-if-01',
        at: '2026-11-26T01:02:03.000Z',
        labels: { alertname: 'LIS 接口延迟', grafana_folder: '医院信息系统', severity: 'warning', system: 'LIS', host: 'lis-if-01' },
      },
    ]);
  });

  it('resolves per alert status with the time of endsAt', () => {
    const [signal] = parseIntake(grafana, fixture('grafana/resolved.json'), testContext());
    expect(signal).toMatchObject({ status: 'resolved', dedupKey: 'bc97ff14869b13e3', at: '2026-11-26T01:20:03.000Z' });
  });

  it('accepts null values (NoData) and maps severity through severityMap', () => {
    const body = fixture('grafana/firing.json');
    body.alerts[0].values = null;
    const [signal] = parseIntake(grafana, body, testContext({ severityMap: { warning: 'yellow' } }));
    expect(signal!.severity).toBe('yellow');
  });

  it('reads a state metric from a metric label and a value annotation, as for Alertmanager', () => {
    const body = fixture('grafana/firing.json');
    body.alerts[0].labels.metric = 'db_service_up';
    body.alerts[0].annotations = { ...body.alerts[0].annotations, value: 'down' };
    expect(parseIntake(grafana, body, testContext())[0]!.metric).toEqual({ name: 'db_service_up', value: 0 });
  });
});
