import { describe, expect, it } from 'vitest';
import { lintPlan, loadDefaultPlan, loadPlanFile, DEFAULT_PLAN_PATH, EXTRA_SECTIONS } from './index.js';

const plan = loadDefaultPlan();
const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);
const obligation = (id: string) => plan.obligations.find((o) => o.id === id);
const criterion = (id: string) => plan.levels.flatMap((l) => l.criteria).find((c) => c.id === id);

describe('default plan', () => {
  it('loads and lints with no issue at all', () => {
    expect(loadPlanFile(DEFAULT_PLAN_PATH).issues).toEqual([]);
    expect(lintPlan(plan)).toEqual([]);
    expect(plan.schema).toBe('lifeline.plan/v1');
  });

  it('has exactly the stable system ids, categories and patient-facing flags', () => {
    expect(Object.fromEntries(plan.systems.map((s) => [s.id, s.category]))).toEqual({
      HIS: 'core',
      EMR: 'core',
      MI_SETTLEMENT: 'core',
      PACS: 'key',
      LIS: 'medtech',
      APPOINTMENT: 'business',
      MOBILE_NURSING: 'business',
      DB_PRIMARY: 'infra',
      NET_CORE: 'infra',
      STORAGE: 'infra',
      POWER: 'infra',
      HVAC: 'infra',
      DR_SITE: 'infra',
      WAN_4G: 'infra',
    });
    expect(
      plan.systems
        .filter((s) => s.patient_facing)
        .map((s) => s.id)
        .sort(),
    ).toEqual(['APPOINTMENT', 'MI_SETTLEMENT', 'MOBILE_NURSING']);
  });

  it('has exactly the stable roles, groups and scenarios', () => {
    expect(ids(plan.roles)).toEqual([
      'commander',
      'deputy_commander',
      'hq_member',
      'monitoring_post',
      'tech_oncall',
      'tech_lead',
      'coordination_lead',
      'logistics_lead',
      'publicity_lead',
      'department_liaison',
      'vendor_engineer',
    ]);
    expect(plan.org.groups.map((g) => [g.id, g.lead])).toEqual([
      ['tech', 'tech_lead'],
      ['coordination', 'coordination_lead'],
      ['logistics', 'logistics_lead'],
      ['publicity', 'publicity_lead'],
    ]);
    expect(plan.org.command_hq).toMatchObject({ commander: 'commander', deputy: 'deputy_commander' });
    expect(ids(plan.scenarios)).toEqual(['HARDWARE', 'SOFTWARE', 'CYBER', 'NATURAL', 'HUMAN_ERROR']);
  });

  it('has the seed alarm thresholds and the Zabbix colour map', () => {
    expect(plan.monitoring.thresholds.map(({ id, metric, op, value, colour }) => ({ id, metric, op, value, colour }))).toEqual([
      { id: 'cpu_orange', metric: 'cpu_usage_pct', op: '>', value: 90, colour: 'orange' },
      { id: 'db_red', metric: 'db_service_up', op: '==', value: 'down', colour: 'red' },
    ]);
    expect(plan.monitoring.metrics).toContainEqual({ id: 'db_service_up', kind: 'state' });
    expect(plan.monitoring.colour_map?.zabbix).toMatchObject({ Average: 'orange', Disaster: 'red' });
    expect((plan.monitoring as unknown as { inspections: { every: string }[] }).inspections[0].every).toBe('PT1H');
  });

  it('has the anchors and evidence actions', () => {
    expect(plan.anchors.map(({ id, set_by, until_then_due_of }) => ({ id, set_by, until_then_due_of }))).toEqual([
      { id: 'detected_at', set_by: undefined, until_then_due_of: undefined },
      { id: 'notified_at', set_by: 'acknowledge', until_then_due_of: 'O3.1' },
      { id: 'onsite_at', set_by: 'check_in', until_then_due_of: undefined },
      { id: 'recovered_at', set_by: 'restore', until_then_due_of: undefined },
      { id: 'level_changed_at', set_by: undefined, until_then_due_of: undefined },
      { id: 'closed_at', set_by: undefined, until_then_due_of: undefined },
    ]);
    expect(ids(plan.evidence)).toEqual(
      expect.arrayContaining(['acknowledge', 'check_in', 'restore', 'report', 'backup_started', 'manual_mode_started', 'announcement_published', 'inspection_logged', 'report_submitted']),
    );
    for (const e of plan.evidence) expect(e.name.zh && e.name.en).toBeTruthy();
  });

  it('grades with exactly the seed criteria', () => {
    expect(plan.levels.map((l) => [l.id, ids(l.criteria), l.default ?? false])).toEqual([
      ['L1', ['L1.a', 'L1.b', 'L1.c'], false],
      ['L2', ['L2.a', 'L2.b'], false],
      ['L3', ['L3.a'], true],
    ]);
    expect(criterion('L1.a')).toMatchObject({
      when: { systems: ['HIS', 'EMR', 'MI_SETTLEMENT'], match: 'any', state: 'down', scope: 'hospital_wide' },
      duration: { gt: 'PT2H' },
    });
    expect(criterion('L1.b')).toMatchObject({
      when: { systems: ['PACS'], state: 'down', impact_flags: ['emergency_imaging_blocked'] },
      duration: { gt: 'PT4H' },
    });
    expect(criterion('L1.c')?.when).toEqual({ any_flag: ['data_leak_confirmed', 'ransomware_encryption', 'reputation_impact'] });
    // the flags imply the scenario instead (a leak is a cyber event whatever else was said)
    for (const flag of ['data_leak_confirmed', 'ransomware_encryption', 'reputation_impact']) expect(plan.impact_flags?.find((f) => f.id === flag)?.implies).toEqual({ scenario: 'CYBER' });
    expect(criterion('L1.c')?.duration).toBeUndefined();
    expect(criterion('L2.a')).toMatchObject({
      when: { categories: ['business', 'core', 'key', 'medtech'], state: ['down', 'degraded'], impact_flags: ['department_operations_affected'] },
      duration: { gt: 'PT1H' },
    });
    expect(criterion('L2.b')?.when).toEqual({ issues_reports: true, state: 'down', impact_flags: ['reports_blocked'], tally: { category: 'total', ge: 50 } });
    expect(plan.systems.filter((s) => s.issues_reports).map((s) => s.id)).toEqual(['PACS', 'LIS']);
    expect(criterion('L2.b')?.duration).toBeUndefined();
    expect(plan.grading_policy).toEqual({
      provisional_from: ['L1'],
      provisional_cap: 'L2',
      provisional_label: { zh: '暂定', en: 'provisional' },
      downgrade: { by_roles: ['commander', 'deputy_commander'], reason_required: true },
      tally_total: { sum: ['emergency', 'inpatient', 'outpatient'], overlapping: ['medical_insurance'] },
    });
  });

  it('has the escalations', () => {
    expect(ids(plan.escalations)).toEqual(['E3to2', 'E_auto_L1', 'E_hq_override']);
    expect(plan.escalations[0]).toMatchObject({ when: { obligation_breached: 'O3.3' }, then: { set_level_at_least: 'L2' } });
  });

  it('has exactly the stable obligations', () => {
    const REPORTS = ['RR.cac', 'RR.cac.summary', 'RR.pipl', 'RR.police', 'RR.health', 'RR.mi']; // regulatory_reports, made obligations by the loader
    expect(ids(plan.obligations)).toEqual(['O3.1', 'O3.2', 'O3.3', 'O2.1', 'O2.2', 'O2.3', 'O2.4', 'O2.5', 'O1.1', 'O1.2', 'O1.3', 'O1.4', 'O1.5', 'OM.1', 'OR.1', 'OR.2', 'OR.3', 'OR.4', ...REPORTS]);
    const pick = (id: string) => {
      const o = obligation(id)!;
      return { trigger: o.trigger, actor: o.actor, anchor: o.anchor, within: o.within, evidence: o.evidence, on_breach: o.on_breach, recurring: o.recurring };
    };
    expect(pick('O3.1')).toEqual({
      trigger: 'incident.opened',
      actor: 'monitoring_post',
      anchor: 'detected_at',
      within: 'PT5M',
      evidence: 'acknowledge',
      on_breach: ['mark_overdue', { page: 'tech_lead' }],
      recurring: undefined,
    });
    expect(pick('O3.2')).toEqual({
      trigger: 'incident.opened',
      actor: 'tech_oncall',
      anchor: 'notified_at',
      within: 'PT10M',
      evidence: 'check_in',
      on_breach: ['mark_overdue', { page: 'tech_lead' }],
      recurring: undefined,
    });
    expect(pick('O3.3')).toEqual({
      trigger: 'incident.opened',
      actor: 'tech_oncall',
      anchor: 'notified_at',
      within: 'PT30M',
      evidence: 'restore',
      on_breach: [{ escalate: 'E3to2' }],
      recurring: undefined,
    });
    expect(pick('O2.1')).toEqual({
      trigger: 'level.reached:L2',
      actor: 'tech_lead',
      anchor: 'level_changed_at',
      within: 'PT10M',
      evidence: 'report',
      on_breach: ['mark_overdue', { notify: 'commander' }],
      recurring: undefined,
    });
    expect(pick('O2.2')).toMatchObject({ trigger: 'level.reached:L2', actor: 'tech_lead', anchor: 'level_changed_at', within: 'PT10M', evidence: 'backup_started' });
    expect(obligation('O2.4')?.applies_if).toEqual({ patient_facing_system_affected: true });
    expect(obligation('O2.5')?.recurring).toBe('PT30M');
    expect(pick('OM.1')).toEqual({
      trigger: 'schedule',
      actor: 'monitoring_post',
      anchor: undefined,
      within: 'PT1H',
      evidence: 'inspection_logged',
      on_breach: ['mark_overdue', { page: 'monitoring_post' }, { notify: 'tech_lead' }],
      recurring: 'PT1H',
    });
    expect(obligation('OM.1')?.page_on_start).toBe(false);
    expect(obligation('OR.4')).toMatchObject({ trigger: 'incident.closed', anchor: 'closed_at', within: 'P30D', applies_if: { level_reached: ['L1', 'L2'] } });
    for (const id of ['O1.1', 'O1.2', 'O1.3', 'O1.4', 'O1.5']) expect(obligation(id)?.trigger).toBe('level.reached:L1');
  });

  it('carries provenance on every rule and keeps the extra sections', () => {
    const rules = [...plan.systems, ...plan.roles, ...plan.monitoring.thresholds, ...plan.levels.flatMap((l) => l.criteria), ...plan.escalations, ...plan.obligations];
    for (const r of rules) expect(r.prov, (r as { id: string }).id).toMatch(/^(seed|typical|reg|inferred)/);
    for (const section of EXTRA_SECTIONS) expect(plan[section], section).toBeDefined();
  });
});
