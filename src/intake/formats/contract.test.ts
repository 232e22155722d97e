import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { INTAKE_BODY_INVALID, parseIntake, type IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { COLOURS } from '../../shared/colour.js';
import { formatByKind, intakeFormats, INTAKE_KINDS } from './index.js';
import { fixture, testContext } from './fixture.js';

/**
 * The contract every intake format keeps (one case per format; a new format adds one line here).
 * firing/resolved: fixtures of the same alert; emptyPath: the issue path `{}` must produce;
 * wrongType: breaks one field's type in the firing sample and names the path the issue must carry.
 */
interface ContractCase {
  format: IntakeFormat<unknown>;
  firing: string;
  resolved: string;
  emptyPath: string;
  // biome-ignore lint/suspicious/noExplicitAny: mutates a recorded JSON payload by path
  wrongType: { path: string; mutate: (body: any) => void };
}

const cases: ContractCase[] = [
  {
    format: formatByKind('alertmanager'),
    firing: 'alertmanager/firing.json',
    resolved: 'alertmanager/resolved.json',
    emptyPath: 'alerts',
    wrongType: { path: 'alerts[0].status', mutate: (b) => (b.alerts[0].status = 42) },
  },
  {
    format: formatByKind('alertmanager-v2'),
    firing: 'alertmanager-v2/firing.json',
    resolved: 'alertmanager-v2/resolved.json',
    emptyPath: '', // the body is an array: `{}` is wrong as a whole
    wrongType: { path: '[0].annotations.summary', mutate: (b) => (b[0].annotations.summary = ['not', 'text']) },
  },
  {
    format: formatByKind('zabbix'),
    firing: 'zabbix/problem.json',
    resolved: 'zabbix/recovery.json',
    emptyPath: 'event_id',
    wrongType: { path: 'event_value', mutate: (b) => (b.event_value = true) },
  },
  {
    format: formatByKind('nagios'),
    firing: 'nagios/service-problem.json',
    resolved: 'nagios/service-recovery.json',
    emptyPath: 'notification_type',
    wrongType: { path: 'service_state', mutate: (b) => (b.service_state = 2) },
  },
  {
    format: formatByKind('grafana'),
    firing: 'grafana/firing.json',
    resolved: 'grafana/resolved.json',
    emptyPath: 'alerts',
    wrongType: { path: 'alerts[0].labels.severity', mutate: (b) => (b.alerts[0].labels.severity = 3) },
  },
  {
    format: formatByKind('pagerduty'),
    firing: 'pagerduty/alertmanager-trigger.json',
    resolved: 'pagerduty/alertmanager-resolve.json',
    emptyPath: 'routing_key',
    wrongType: { path: 'payload.summary', mutate: (b) => (b.payload.summary = 123) },
  },
  {
    format: formatByKind('generic'),
    firing: 'generic/firing.json',
    resolved: 'generic/resolved.json',
    emptyPath: 'summary',
    wrongType: { path: 'metric.value', mutate: (b) => (b.metric.value = 'very high') },
  },
];

function rejection(format: IntakeFormat<unknown>, body: unknown): ValidationError {
  try {
    parseIntake(format, body, testContext());
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`${format.kind} accepted an invalid body`);
}

describe('intake format registry', () => {
  it('registers every kind once and finds each by kind', () => {
    expect([...INTAKE_KINDS].sort()).toEqual(['alertmanager', 'alertmanager-v2', 'generic', 'grafana', 'nagios', 'pagerduty', 'zabbix']);
    for (const format of intakeFormats) expect(formatByKind(format.kind)).toBe(format);
    expect(() => formatByKind('opsgenie')).toThrow(/unknown intake format "opsgenie"/);
  });

  it('has a contract case for every registered format', () => {
    expect(cases.map((c) => c.format.kind).sort()).toEqual([...INTAKE_KINDS].sort());
  });
});

describe.each(cases)('intake format contract: $format.kind', (c) => {
  const ctx = testContext();

  it('parses a valid firing sample into signals with severity, status and dedupKey', () => {
    const signals = parseIntake(c.format, fixture(c.firing), ctx);
    expect(signals.length).toBeGreaterThanOrEqual(1);
    for (const s of signals) {
      expect(COLOURS).toContain(s.severity);
      expect(['firing', 'resolved']).toContain(s.status);
      expect(typeof s.dedupKey).toBe('string');
      expect(s.dedupKey!.length).toBeGreaterThan(0);
      expect(s.summary.trim().length).toBeGreaterThan(0);
      expect(s.source).toBe('test-source');
    }
    expect(signals[0]!.status).toBe('firing');
  });

  it('gives the resolved sample the status "resolved" and the same dedupKey as the firing one', () => {
    const firing = parseIntake(c.format, fixture(c.firing), ctx)[0]!;
    const resolved = parseIntake(c.format, fixture(c.resolved), ctx)[0]!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.dedupKey).toBe(firing.dedupKey);
  });

  it('rejects an empty object with an issue naming the missing field', () => {
    const error = rejection(c.format, {});
    expect(error.code).toBe(INTAKE_BODY_INVALID);
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.path)).toContain(c.emptyPath);
    for (const issue of error.issues) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('rejects a wrongly typed field with an issue naming its path', () => {
    const body = fixture(c.firing);
    c.wrongType.mutate(body);
    const error = rejection(c.format, body);
    expect(error.issues.map((i) => i.path)).toContain(c.wrongType.path);
    expect(error.message).toContain(c.format.kind);
  });

  it('is deterministic and leaves the input untouched', () => {
    const body = fixture(c.firing);
    const before = JSON.stringify(body);
    const first: NormalisedSignal[] = parseIntake(c.format, body, ctx);
    const second: NormalisedSignal[] = parseIntake(c.format, fixture(c.firing), ctx);
    expect(second).toEqual(first);
    expect(JSON.stringify(body)).toBe(before);
    // the raw JSON text (as an HTTP route may hand it over) gives the same signals
    expect(parseIntake(c.format, before, ctx)).toEqual(first);
  });

  it('reports a body that is not JSON as a validation issue', () => {
    const error = rejection(c.format, '{"truncated": ');
    expect(error.issues[0]!.message).toMatch(/not valid JSON/);
  });
});
