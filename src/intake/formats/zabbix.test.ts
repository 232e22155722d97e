import { describe, expect, it } from 'vitest';
import { ACK_LABEL, parseIntake } from '../format.js';
import { fixture, testContext } from './fixture.js';
import { zabbix } from './zabbix.js';

// The zabbix/*.json fixtures are what integrations/zabbix/lifeline.js posted (run with TZ=Asia/Shanghai)
// for integrations/zabbix/fixtures/params-*.json, i.e. macros as a Zabbix 6.0 server resolves them.

const parse = (body: unknown, ctx = testContext()) => parseIntake(zabbix, body, ctx);

describe('zabbix webhook body', () => {
  it('reads a problem event', () => {
    expect(parse(fixture('zabbix/problem.json'))).toEqual([
      {
        source: 'test-source',
        severity: 'red',
        status: 'firing',
        dedupKey: '123456',
        summary: 'HIS 应用服务器 CPU 过高 (> 90% for 5m) on "his-app-01"',
        system: 'HIS',
        component: 'cpu',
        host: 'his-app-01',
        at: '2026-11-26T01:02:03.000Z',
        metric: { name: 'system.cpu.util', value: 97.3 },
        labels: {
          component: 'cpu',
          scope: 'performance',
          system: 'HIS',
          event_id: '123456',
          trigger_id: '23001',
          severity: 'High',
          host_name: 'HIS 应用服务器 01',
          host_ip: '10.1.1.21',
          host_groups: 'Hospital/HIS, Linux servers',
          item_key: 'system.cpu.util',
          item_name: 'CPU utilization',
          item_value: '97.3 %',
          opdata: 'CPU 97.3 %',
          event_url: 'http://zabbix.hospital.local/zabbix/tr_events.php?triggerid=23001&eventid=123456',
        },
      },
    ]);
  });

  it('keys a recovery by the problem event id, not by the recovery event id', () => {
    const [signal] = parse(fixture('zabbix/recovery.json'));
    expect(signal).toMatchObject({ status: 'resolved', dedupKey: '123456', at: '2026-11-26T01:17:45.000Z' });
    expect(signal!.labels).toMatchObject({ recovery_event_id: '123470' });
    expect(signal!.metric).toEqual({ name: 'system.cpu.util', value: 35.2 });
  });

  it('marks an acknowledging update, but not an unacknowledge', () => {
    const [ack] = parse(fixture('zabbix/update-ack.json'));
    expect(ack).toMatchObject({ status: 'firing', dedupKey: '123456' });
    expect(ack!.labels?.[ACK_LABEL]).toBe('true');
    const unack = { ...fixture('zabbix/update-ack.json'), event_update_action: 'unacknowledged, commented' };
    expect(parse(unack)[0]!.labels).not.toHaveProperty(ACK_LABEL);
    expect(parse(fixture('zabbix/problem.json'))[0]!.labels).not.toHaveProperty(ACK_LABEL);
  });

  it('treats unresolved macros and *UNKNOWN* as absent', () => {
    const body = {
      ...fixture('zabbix/problem.json'),
      event_recovery_id: '{EVENT.RECOVERY.ID}',
      zabbix_url: '{$ZABBIX.URL}',
      item_value: '*UNKNOWN*',
      host_host: '{HOST.HOST}',
    };
    const [signal] = parse(body);
    expect(signal!.labels).not.toHaveProperty('recovery_event_id');
    expect(signal!.labels).not.toHaveProperty('event_url');
    expect(signal!.labels).not.toHaveProperty('item_value');
    expect(signal!.metric).toBeUndefined();
    expect(signal!.host).toBe('HIS 应用服务器 01'); // falls back to the visible name
    expect(() => parse({ ...body, event_id: '{EVENT.ID}' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'event_id', message: 'Required' })] }));
  });

  it.each([
    ['0', 'Not classified', 'blue'],
    ['1', 'Information', 'blue'],
    ['2', 'Warning', 'yellow'],
    ['3', 'Average', 'orange'],
    ['4', 'High', 'red'],
    ['5', 'Disaster', 'red'],
  ])('colours severity %s (%s) %s by default', (number, name, colour) => {
    expect(parse({ ...fixture('zabbix/problem.json'), event_nseverity: number, event_severity: name })[0]!.severity).toBe(colour);
  });

  it('prefers the severity number over renamed or localised severity names', () => {
    const body = fixture('zabbix/problem.json');
    expect(parse({ ...body, event_nseverity: '4', event_severity: '严重' })[0]!.severity).toBe('red');
    expect(parse({ ...body, event_nseverity: '3', event_severity: 'High' })[0]!.severity).toBe('orange');
    const { event_nseverity: _dropped, ...nameOnly } = body;
    expect(parse({ ...nameOnly, event_severity: 'Disaster' })[0]!.severity).toBe('red');
  });

  it('lets severityMap override by name or by number', () => {
    const body = fixture('zabbix/problem.json');
    expect(parse(body, testContext({ severityMap: { high: 'orange' } }))[0]!.severity).toBe('orange');
    expect(parse(body, testContext({ severityMap: { '4': 'yellow' } }))[0]!.severity).toBe('yellow');
  });

  it('accepts numbers where Zabbix sends strings, and the {EVENT.TAGS} text form', () => {
    const body = { ...fixture('zabbix/problem.json'), event_id: 123456, event_value: 1, event_nseverity: 5, event_tags: 'system:PACS, tier:app, maintenance' };
    const [signal] = parse(body);
    expect(signal).toMatchObject({ dedupKey: '123456', status: 'firing', severity: 'red', system: 'PACS' });
    expect(signal!.labels).toMatchObject({ tier: 'app', maintenance: '' });
  });

  it('joins repeated tags', () => {
    const tags = [
      { tag: 'service', value: 'HIS' },
      { tag: 'service', value: 'EMR' },
    ];
    expect(parse({ ...fixture('zabbix/problem.json'), event_tags: tags })[0]!.labels?.service).toBe('HIS, EMR');
  });

  it.each([
    ['97.3 %', 97.3],
    ['-3.5', -3.5],
    ['1e3', 1000],
    ['Up (1)', 1],
    ['Down (0)', 0],
    ['down', 0],
    ['Running', 1],
    ['1.2 GB', undefined],
    ['Degraded', undefined],
  ])('makes a metric from item value %j only when it is a number or a state', (itemValue, value) => {
    const [signal] = parse({ ...fixture('zabbix/problem.json'), item_value: itemValue });
    expect(signal!.metric?.value).toBe(value);
  });

  it('requires a severity and a valid event value', () => {
    const { event_nseverity: _n, event_severity: _s, ...body } = fixture('zabbix/problem.json');
    expect(() => parse(body)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'event_nseverity' })] }));
    expect(() => parse({ ...fixture('zabbix/problem.json'), event_value: '2' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'event_value' })] }));
  });
});
