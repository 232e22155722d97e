import { describe, expect, it } from 'vitest';
import { ACK_LABEL, parseIntake } from '../format.js';
import { fixture, testContext } from './fixture.js';
import { pagerduty, pagerDutyReply } from './pagerduty.js';

// pagerduty/alertmanager-*.json were captured from a real Alertmanager 0.25.0 `pagerduty_configs`
// receiver whose url pointed at a local server.

const parse = (body: unknown, ctx = testContext()) => parseIntake(pagerduty, body, ctx);
const invalidPaths = (body: unknown): string[] => {
  try {
    parse(body);
  } catch (error) {
    return (error as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
  }
  return [];
};

describe('pagerduty events API v2', () => {
  it('reads an Alertmanager trigger and keeps its dedup_key through resolve', () => {
    const [trigger] = parse(fixture('pagerduty/alertmanager-trigger.json'));
    const [resolve] = parse(fixture('pagerduty/alertmanager-resolve.json'));
    expect(trigger).toMatchObject({
      status: 'firing',
      severity: 'red',
      dedupKey: '9803fe86fb591fb5fcf856040416afdbb0f078bcd517765d30ad6e988749b291',
      summary: '[FIRING:1] HISDown his-db-01:9100 (database node critical HIS)',
      system: 'HIS',
      component: 'database',
      host: 'Alertmanager',
    });
    expect(trigger!.labels).toMatchObject({ num_firing: '1', class: 'availability', client: 'Alertmanager' });
    expect(resolve).toMatchObject({ status: 'resolved', dedupKey: trigger!.dedupKey });
  });

  it('reads the Zabbix PagerDuty media type event', () => {
    const [signal] = parse(fixture('pagerduty/zabbix-trigger.json'));
    expect(signal).toMatchObject({
      severity: 'orange',
      dedupKey: 'zabbix-123456',
      host: 'his-app-01 : 10.1.1.21',
      system: 'HIS',
      component: 'cpu',
      at: '2026-11-26T01:02:03.000Z',
    });
    expect(signal!.labels).toMatchObject({
      'Trigger opdata': 'CPU 97%',
      link: 'http://zabbix/tr_events.php?triggerid=23001&eventid=123456',
    });
  });

  it.each([
    ['critical', 'red'],
    ['error', 'orange'],
    ['warning', 'yellow'],
    ['info', 'blue'],
  ])('colours severity %s %s', (severity, colour) => {
    const body = fixture('pagerduty/zabbix-trigger.json');
    body.payload.severity = severity;
    expect(parse(body)[0]!.severity).toBe(colour);
  });

  it('turns acknowledge and resolve without payload into signals for the same key', () => {
    const [ack] = parse(fixture('pagerduty/acknowledge.json'));
    const [resolve] = parse(fixture('pagerduty/resolve.json'));
    expect(ack).toMatchObject({ status: 'firing', dedupKey: 'zabbix-123456', labels: { [ACK_LABEL]: 'true' } });
    expect(resolve).toMatchObject({ status: 'resolved', dedupKey: 'zabbix-123456' });
    expect(resolve!.labels).not.toHaveProperty(ACK_LABEL);
  });

  it('generates a dedup_key for a trigger without one and answers it like PagerDuty', () => {
    const body = fixture('pagerduty/trigger-without-dedup-key.json');
    const signals = parse(body);
    const key = signals[0]!.dedupKey!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(parse(body)[0]!.dedupKey).toBe(key); // same event, same reception time
    expect(parse(body, testContext({ now: testContext().now + 1 }))[0]!.dedupKey).not.toBe(key); // a new alert, as in PagerDuty
    expect(pagerDutyReply(signals)).toEqual({ status: 'success', message: 'Event processed', dedup_key: key });
    expect(signals[0]!.labels).toEqual({ p95_ms: '5700', queue: '["ORU","ORM"]' });
  });

  it('never copies the routing key into the signal', () => {
    for (const name of ['alertmanager-trigger', 'zabbix-trigger', 'acknowledge', 'trigger-without-dedup-key']) {
      expect(JSON.stringify(parse(fixture(`pagerduty/${name}.json`)))).not.toContain('R0UTINGKEY');
    }
  });

  it('requires payload for trigger and dedup_key for acknowledge/resolve', () => {
    expect(invalidPaths({ routing_key: 'k', event_action: 'trigger' })).toEqual(['payload']);
    expect(invalidPaths({ routing_key: 'k', event_action: 'resolve' })).toEqual(['dedup_key']);
    const body = fixture('pagerduty/zabbix-trigger.json');
    body.payload.severity = 'fatal';
    expect(invalidPaths(body)).toEqual(['payload.severity']);
    expect(invalidPaths({ ...fixture('pagerduty/resolve.json'), event_action: 'close' })).toEqual(['event_action']);
  });

  it('reads a state metric from custom_details metric and value', () => {
    const body = fixture('pagerduty/alertmanager-trigger.json');
    body.payload.custom_details = { system: 'HIS', metric: 'db_service_up', value: false };
    expect(parse(body)[0]!.metric).toEqual({ name: 'db_service_up', value: 0 });
    body.payload.custom_details = { system: 'HIS', metric: 'db_service_up', value: 'Down (0)' };
    expect(parse(body)[0]!.metric).toEqual({ name: 'db_service_up', value: 0 });
    body.payload.custom_details = { system: 'HIS', metric: 'cpu_usage_pct' };
    expect(parse(body)[0]!.metric).toBeUndefined();
  });
});
