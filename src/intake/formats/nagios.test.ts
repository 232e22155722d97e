import { describe, expect, it } from 'vitest';
import { ACK_LABEL, parseIntake } from '../format.js';
import { fixture, testContext } from './fixture.js';
import { nagios } from './nagios.js';

// The nagios/*.json fixtures are `integrations/nagios/lifeline-notify --dry-run` output for
// Nagios-style NAGIOS_* environments.

const parse = (body: unknown, ctx = testContext()) => parseIntake(nagios, body, ctx);

describe('nagios notification body', () => {
  it('reads a service problem', () => {
    expect(parse(fixture('nagios/service-problem.json'))).toEqual([
      {
        source: 'test-source',
        severity: 'red',
        status: 'firing',
        dedupKey: 'his-db-01!Oracle 监听 1521',
        summary: 'Oracle 监听 1521 on HIS 数据库主机: CRITICAL - TNS 连接超时 "ORA-12170" (10.001s)',
        host: 'his-db-01',
        system: 'HIS',
        at: '2026-11-26T01:02:03.000Z',
        labels: {
          notification_type: 'PROBLEM',
          host_state: 'UP',
          service_state: 'CRITICAL',
          last_state: 'OK',
          host_address: '10.1.1.31',
          host_display_name: 'HIS 数据库主机',
          problem_id: '4711',
          output: 'CRITICAL - TNS 连接超时 "ORA-12170" (10.001s)',
          long_date_time: 'Thu Nov 26 09:02:03 CST 2026',
          monitor: 'nagios',
        },
      },
    ]);
  });

  it('resolves on RECOVERY and colours it like the problem it ends', () => {
    const [signal] = parse(fixture('nagios/service-recovery.json'));
    expect(signal).toMatchObject({ status: 'resolved', severity: 'red', dedupKey: 'his-db-01!Oracle 监听 1521' });
    expect(signal!.labels?.problem_id).toBe('4711');
  });

  it('keys host notifications by host name', () => {
    const [down] = parse(fixture('nagios/host-down.json'));
    const [up] = parse(fixture('nagios/host-up.json'));
    expect(down).toMatchObject({ status: 'firing', severity: 'red', dedupKey: 'pacs-gw-02', summary: 'PACS 影像网关 2 DOWN: CRITICAL - 10.1.2.4: rta nan, lost 100%' });
    expect(up).toMatchObject({ status: 'resolved', severity: 'red', dedupKey: 'pacs-gw-02' });
  });

  it('marks an ACKNOWLEDGEMENT without resolving', () => {
    const [signal] = parse(fixture('nagios/service-ack.json'));
    expect(signal).toMatchObject({ status: 'firing', severity: 'red' });
    expect(signal!.labels).toMatchObject({ [ACK_LABEL]: 'true', author: 'zhangwei', comment: 'DBA 正在处理，预计 10 分钟' });
  });

  it.each([
    ['WARNING', 'orange'],
    ['UNKNOWN', 'yellow'],
    ['critical', 'red'],
  ])('colours service state %s %s', (state, colour) => {
    expect(parse({ ...fixture('nagios/service-problem.json'), service_state: state })[0]!.severity).toBe(colour);
  });

  it('colours UNREACHABLE hosts orange and honours severityMap', () => {
    const unreachable = { ...fixture('nagios/host-down.json'), host_state: 'UNREACHABLE' };
    expect(parse(unreachable)[0]!.severity).toBe('orange');
    expect(parse(unreachable, testContext({ severityMap: { unreachable: 'red' } }))[0]!.severity).toBe('red');
  });

  it.each([
    ['DOWNTIMESTART', 'OK', 'resolved', 'blue'],
    ['DowntimeEnd', 'CRITICAL', 'firing', 'red'],
    ['FLAPPINGSTART', 'OK', 'firing', 'yellow'],
    ['FLAPPINGSTOP', 'WARNING', 'firing', 'orange'],
    ['CUSTOM', 'OK', 'resolved', 'blue'],
  ])('%s with state %s is %s and %s', (type, state, status, severity) => {
    const body = { ...fixture('nagios/service-problem.json'), notification_type: type, service_state: state, last_state: undefined };
    expect(parse(body)[0]).toMatchObject({ status, severity });
  });

  it('requires the state that matches the notification kind', () => {
    const { service_state: _s, ...service } = fixture('nagios/service-problem.json');
    expect(() => parse(service)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'service_state' })] }));
    const { host_state: _h, ...host } = fixture('nagios/host-down.json');
    expect(() => parse(host)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'host_state' })] }));
    expect(() => parse({ ...fixture('nagios/host-down.json'), timestamp: 'yesterday' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'timestamp' })] }));
  });
});
