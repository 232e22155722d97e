import { describe, expect, it } from 'vitest';
import { RepeatedBodies } from './repeated-bodies.js';
import type { Source } from '../sources.js';

const source = (name: string): Source => ({ id: `src_${name}`, name, type: 'alertmanager', severityMap: {}, rules: [], options: {}, createdAt: 0, revokedAt: null });
const body = JSON.stringify({ version: '4', alerts: [{ fingerprint: 'a' }, { fingerprint: 'b' }] });

describe('RepeatedBodies', () => {
  it('knows a body judged to repeat settled states, for the same source object and format, for a second', () => {
    const prom = source('prom');
    const bodies = new RepeatedBodies();
    expect(bodies.repeats('alertmanager', prom, body, 1_000)).toBeUndefined();
    bodies.judged('alertmanager', prom, body, 2, 1_000);
    expect(bodies.repeats('alertmanager', prom, body, 1_999)).toBe(2);
    expect(bodies.repeats('alertmanager', prom, `${body} `, 1_999)).toBeUndefined(); // another text
    expect(bodies.repeats('grafana', prom, body, 1_999)).toBeUndefined();
    expect(bodies.repeats('alertmanager', source('prom'), body, 1_999)).toBeUndefined(); // the source as reloaded (rules may differ)
    bodies.judged('alertmanager', prom, body, 2, 1_000);
    expect(bodies.repeats('alertmanager', prom, body, 2_000)).toBeUndefined(); // a second later it is read again
  });

  it('forgets everything when told something changed; keeps neither empty nor oversized bodies', () => {
    const prom = source('prom');
    const bodies = new RepeatedBodies();
    bodies.judged('alertmanager', prom, body, 2, 0);
    bodies.clear();
    expect(bodies.repeats('alertmanager', prom, body, 1)).toBeUndefined();
    bodies.judged('alertmanager', prom, '{"alerts":[]}', 0, 0);
    expect(bodies.repeats('alertmanager', prom, '{"alerts":[]}', 1)).toBeUndefined();
    const huge = JSON.stringify({ alerts: [{ summary: 'x'.repeat(300 * 1024) }] });
    bodies.judged('alertmanager', prom, huge, 1, 0);
    expect(bodies.repeats('alertmanager', prom, huge, 1)).toBeUndefined();
  });

  it('holds a bounded number of bodies', () => {
    const prom = source('prom');
    const bodies = new RepeatedBodies();
    for (let i = 0; i < 300; i++) bodies.judged('alertmanager', prom, `${body}#${i}`, 2, 0);
    const kept = Array.from({ length: 300 }, (_, i) => bodies.repeats('alertmanager', prom, `${body}#${i}`, 1)).filter((n) => n !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(256);
  });
});
