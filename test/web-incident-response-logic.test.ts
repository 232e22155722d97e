// The incident page's reading of the response loop, without a browser: when a person's "restored" stands
// contradicted, which outage an obligation belongs to, and what the impact form sends (only what changed, with `since`).
import { describe, expect, it } from 'vitest';
import type { Incident } from '../web/src/api/types.js';
import { activeContradiction, outageOf, outageStarts } from '../web/src/lib/response.js';
import { impactChanges, type ImpactValues } from '../web/src/routes/incident/impact-changes.js';

const at = (min: number) => new Date(Date.UTC(2026, 2, 2, 1, min)).toISOString();
const entry = (min: number, kind: string, data: Record<string, unknown> = {}) => ({ id: `${kind}@${min}`, at: at(min), actor: 'system', kind, message: 'ENGLISH', data });
const restored = (min: number) => entry(min, 'incident.state', { from: 'responding', to: 'recovering' });
const contradicted = (min: number) => entry(min, 'recovery.contradicted', { claimAt: Date.parse(at(min - 1)), claimBy: '张伟', source: 'zabbix', summary: 'HIS 数据库服务中断' });

describe('a contradicted recovery stands until something recovers again', () => {
  it('is the latest contradiction after the latest recovery', () => {
    const c = contradicted(5);
    expect(activeContradiction([restored(4), c, entry(5, 'incident.state', { from: 'recovering', to: 'responding', cause: 'claim_contradicted' })])).toBe(c);
    // the contradiction answers the claim made at the same instant
    expect(activeContradiction([restored(5), c])).toBe(c);
    const later = contradicted(9);
    expect(activeContradiction([restored(4), c, restored(8), later])).toBe(later);
  });
  it('ends with a later restore or a confirmation, and is nothing without a contradiction', () => {
    expect(activeContradiction([restored(4), contradicted(5), restored(7)])).toBeUndefined();
    expect(activeContradiction([restored(4), contradicted(5), entry(7, 'recovery.confirmed', { claimAt: 0, claimBy: '张伟' })])).toBeUndefined();
    expect(activeContradiction([restored(4), entry(5, 'signal.firing')])).toBeUndefined();
  });
});

describe('obligations of a relapsing incident name their outage', () => {
  const incident = { openedAt: at(0), timeline: [restored(10), entry(20, 'incident.state', { from: 'recovering', to: 'responding', cause: 'alert_firing_again' })] };
  const starts = outageStarts(incident);
  it('counts the opening and each return to responding', () => {
    expect(starts).toEqual([Date.parse(at(0)), Date.parse(at(20))]);
    expect(outageOf({ triggeredAt: at(0) }, starts, 2)).toBe(1);
    expect(outageOf({ triggeredAt: at(15) }, starts, 2)).toBe(1);
    expect(outageOf({ triggeredAt: at(20) }, starts, 2)).toBe(2);
    expect(outageOf({ triggeredAt: at(40) }, starts, 2)).toBe(2);
    expect(outageOf({ triggeredAt: at(40) }, [...starts, Date.parse(at(30))], 2)).toBe(2); // never beyond the server's count
  });
});

describe('the impact form sends what the person changed', () => {
  const incident = { scope: 'hospital_wide', scopeAssumed: true, scenario: 'SOFTWARE', flags: ['reports_blocked'], tallies: { emergency: 3 } } as unknown as Incident;
  const values = (v: Partial<ImpactValues> = {}): ImpactValues => ({ scope: 'hospital_wide', scenario: 'SOFTWARE', flags: ['reports_blocked'], tally: { emergency: 3 }, ...v });
  it('leaves an assumed scope alone unless the person chose one (the same one confirms it)', () => {
    expect(impactChanges(values(), incident, false)).toEqual({});
    expect(impactChanges(values(), incident, true)).toEqual({ scope: 'hospital_wide' });
    expect(impactChanges(values({ scope: 'department' }), incident, false)).toEqual({ scope: 'department' });
  });
  it('sends flags as what was set and cleared, so an old flag keeps its start', () => {
    expect(impactChanges(values({ flags: ['core_business_affected'] }), incident, false)).toEqual({ flags: { core_business_affected: true, reports_blocked: false } });
    expect(impactChanges(values({ scenario: undefined, tally: { emergency: 3, inpatient: 2 } }), incident, false)).toEqual({ scenario: null, tally: { inpatient: 2 } });
  });
  it('sends since as an ISO instant when the person says when it began, and a system only when named', () => {
    const local = '2026-03-02T09:05';
    const body = impactChanges(values({ since: local, system: 'HIS', component: ' db ', systemState: 'down' }), incident, false);
    expect(body).toEqual({ since: new Date(local).toISOString(), systems: [{ system: 'HIS', component: 'db', state: 'down' }] });
    expect(impactChanges(values({ since: '' }), incident, false)).toEqual({});
  });
});
