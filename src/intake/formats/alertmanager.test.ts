import { describe, expect, it } from 'vitest';
import { parseIntake } from '../format.js';
import { alertmanager } from './alertmanager.js';
import { alertmanagerV2 } from './alertmanager-v2.js';
import { labelFingerprint } from './fingerprint.js';
import { fixture, NOW, testContext } from './fixture.js';

// alertmanager/firing.json and resolved.json were captured from a real Alertmanager 0.25.0
// (Debian 12) webhook receiver after POSTing alertmanager-v2/firing.json and resolved.json to it.

describe('alertmanager webhook v4', () => {
  it('reads a real Alertmanager 0.25 firing notification', () => {
    expect(parseIntake(alertmanager, fixture('alertmanager/firing.json'), testContext())).toEqual([
      {
        source: 'test-source',
        severity: 'red',
        status: 'firing',
        dedupKey: 'fef0370d14c887c0',
        summary: 'HIS 数据库不可达',
        system: 'HIS',
        component: 'database',
        host: 'his-db-01',
        at: '2026-11-26T09:10:00.000Z',
        labels: {
          alertname: 'HISDown',
          component: 'database',
          instance: 'his-db-01:9100',
          job: 'node',
          severity: 'critical',
          system: 'HIS',
        },
      },
    ]);
  });

  it('takes the time of a resolved alert from endsAt', () => {
    const [signal] = parseIntake(alertmanager, fixture('alertmanager/resolved.json'), testContext());
    expect(signal).toMatchObject({ status: 'resolved', at: '2026-11-26T09:18:13.000Z', dedupKey: 'fef0370d14c887c0' });
  });

  it('computes the same fingerprint as Alertmanager for the same labels', () => {
    const body = fixture('alertmanager/firing.json');
    expect(labelFingerprint(body.alerts[0].labels)).toBe(body.alerts[0].fingerprint);
    // identity survives a sender that omits the fingerprint
    delete body.alerts[0].fingerprint;
    expect(parseIntake(alertmanager, body, testContext())[0]!.dedupKey).toBe('fef0370d14c887c0');
  });

  it('accepts 0.34 fields and reads every alert of the group', () => {
    const signals = parseIntake(alertmanager, fixture('alertmanager/v0.34-two-alerts.json'), testContext());
    expect(signals.map((s) => [s.dedupKey, s.status, s.severity, s.host, s.summary])).toEqual([
      ['5f1d8c1a2b3c4d5e', 'firing', 'orange', 'fd00::12', '归档卷剩余 8%'],
      ['0a1b2c3d4e5f6071', 'resolved', 'blue', 'pacs-store-02', 'PACS 缓存卷空间恢复'],
    ]);
    expect(signals[0]!.component).toBe('存储');
    expect(signals[0]!.at).toBe('2026-11-26T01:02:03.123Z'); // nanoseconds cut to milliseconds
  });

  it('maps severity through the source severityMap, case-insensitively', () => {
    const ctx = testContext({ severityMap: { CRITICAL: 'orange', page: 'red' } });
    expect(parseIntake(alertmanager, fixture('alertmanager/firing.json'), ctx)[0]!.severity).toBe('orange');
    const body = fixture('alertmanager/firing.json');
    body.alerts[0].labels.severity = 'page';
    expect(parseIntake(alertmanager, body, ctx)[0]!.severity).toBe('red');
  });

  it('falls back to orange and to the alert name when severity and summary are missing', () => {
    const body = fixture('alertmanager/firing.json');
    delete body.alerts[0].labels.severity;
    body.alerts[0].annotations = {};
    const [signal] = parseIntake(alertmanager, body, testContext());
    expect(signal).toMatchObject({ severity: 'orange', summary: 'HISDown' });
  });

  it('decides from endsAt when an alert carries no status', () => {
    const body = fixture('alertmanager/resolved.json');
    delete body.alerts[0].status;
    expect(parseIntake(alertmanager, body, testContext())[0]!.status).toBe('resolved');
    expect(parseIntake(alertmanager, body, testContext({ now: Date.parse('2026-11-26T09:15:00Z') }))[0]!.status).toBe('firing');
    const firing = fixture('alertmanager/firing.json');
    delete firing.alerts[0].status; // endsAt is Go's zero time
    expect(parseIntake(alertmanager, firing, testContext())[0]!.status).toBe('firing');
  });
});

describe('alertmanager API v2 (POST /api/v2/alerts)', () => {
  it('identifies an alert by the fingerprint Alertmanager itself gives it', () => {
    const [signal] = parseIntake(alertmanagerV2, fixture('alertmanager-v2/firing.json'), testContext());
    expect(signal).toMatchObject({
      status: 'firing',
      dedupKey: 'fef0370d14c887c0', // as reported by Alertmanager 0.25 for these labels
      severity: 'red',
      system: 'HIS',
      summary: 'HIS 数据库不可达',
      at: '2026-11-26T09:10:00.000Z',
    });
  });

  it('resolves only once endsAt has passed at reception time', () => {
    const body = fixture('alertmanager-v2/resolved.json'); // endsAt 09:18:13Z
    expect(parseIntake(alertmanagerV2, body, testContext())[0]).toMatchObject({ status: 'resolved', at: '2026-11-26T09:18:13.000Z' });
    const early = testContext({ now: Date.parse('2026-11-26T09:18:12Z') });
    expect(parseIntake(alertmanagerV2, body, early)[0]!.status).toBe('firing');
    expect(NOW).toBeGreaterThan(Date.parse(body[0].endsAt));
  });

  it('drops empty label values before fingerprinting, as Alertmanager does', () => {
    const body = [{ labels: { alertname: 'PACSEchoFailed', system: 'PACS', severity: 'critical', env: '' }, annotations: { summary: 'PACS C-ECHO 失败' } }];
    const [signal] = parseIntake(alertmanagerV2, body, testContext());
    expect(signal!.dedupKey).toBe('a8f4a51b118361b5'); // Alertmanager 0.25 reported this fingerprint
    expect(signal!.labels).not.toHaveProperty('env');
  });

  it('requires labels on every alert', () => {
    expect(() => parseIntake(alertmanagerV2, [{}], testContext())).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ path: '[0].labels' })],
      }),
    );
    expect(() => parseIntake(alertmanagerV2, [{ labels: { a: '' } }], testContext())).toThrow(
      expect.objectContaining({
        issues: [{ path: '[0].labels', message: 'at least one label with a value is required' }],
      }),
    );
  });

  it('reads a state metric from a metric label and a value annotation ("up == 0" → down, 0)', () => {
    const body = fixture('alertmanager/firing.json');
    body.alerts[0].labels.metric = 'db_service_up';
    body.alerts[0].annotations.value = '0';
    expect(parseIntake(alertmanager, body, testContext())[0]!.metric).toEqual({ name: 'db_service_up', value: 0 });
    body.alerts[0].annotations.value = 'up';
    expect(parseIntake(alertmanager, body, testContext())[0]!.metric).toEqual({ name: 'db_service_up', value: 1 });
    body.alerts[0].annotations.value = '97.3 %';
    expect(parseIntake(alertmanager, body, testContext())[0]!.metric).toEqual({ name: 'db_service_up', value: 97.3 });
    body.alerts[0].annotations.value = 'unknown';
    expect(parseIntake(alertmanager, body, testContext())[0]!.metric).toBeUndefined();
  });
});
