import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_PATH, parsePlanText, planSchema } from './index.js';

const TEXT = readFileSync(DEFAULT_PLAN_PATH, 'utf8');
/** The default plan with one text replacement (which must apply), parsed and linted as `plan check` does. */
const check = (from: string, to: string) => {
  expect(TEXT).toContain(from);
  return parsePlanText(TEXT.replace(from, to), 'p.yaml');
};
const brief = (r: ReturnType<typeof check>) => r.issues.map((i) => `${i.severity} ${i.path}`);

describe('regulatory_reports become obligations of the plan', () => {
  it('each entry is an obligation of its id, with its conditions, actor, recipients, deadline and evidence', () => {
    const { plan } = parsePlanText(TEXT, 'default.yaml');
    const mi = plan!.obligations.find((o) => o.id === 'RR.mi')!;
    expect(mi).toMatchObject({
      trigger: 'incident.opened',
      actor: 'publicity_lead',
      anchor: 'detected_at',
      within: 'PT2H',
      evidence: 'regulator_report_submitted',
      applies_if: { systems_affected: ['MI_SETTLEMENT'], level_reached: ['L2', 'L1'] },
      report: { source: 'RR.mi', recipients: ['医保局/医保经办机构'], kind: 'initial' },
    });
    expect(plan!.obligations.find((o) => o.id === 'RR.cac')).toMatchObject({ within: 'PT4H', applies_if: { national_grade_at_least: '较大' }, report: { recipients: ['属地省级网信部门'] } });
    expect(plan!.obligations.find((o) => o.id === 'RR.cac.summary')).toMatchObject({ trigger: 'incident.closed', anchor: 'closed_at', within: 'P30D', applies_if: { obligation_started: ['RR.cac'] } });
    expect(plan!.obligations.find((o) => o.id === 'RR.pipl')).toMatchObject({ within: 'PT24H', report: { asap: true } });
    // a loaded plan parses again as it is (the made obligations are accepted, not made twice)
    expect(planSchema.safeParse(structuredClone(plan)).success).toBe(true);
  });

  it('a hospital that is critical information infrastructure gets the CII deadline and recipients', () => {
    const { plan } = check('hospital_is_cii: false', 'hospital_is_cii: true');
    expect(plan!.obligations.find((o) => o.id === 'RR.cac')).toMatchObject({ within: 'PT1H', report: { recipients: ['保护工作部门', '公安机关'] } });
  });

  it('plan check names each mistake of the section', () => {
    expect(brief(check('actor: publicity_lead              # seed:一.4 — the publicity group reports progress to the MI bureau', 'actor: publicity'))).toEqual(['error regulatory_reports[4].actor']);
    expect(brief(check('applies_if: { national_grade_at_least: 较大 }', 'applies_if: { national_grade_at_least: 较重 }'))).toEqual(['error regulatory_reports[0].applies_if.national_grade_at_least']);
    expect(brief(check('systems_affected_any: [MI_SETTLEMENT]', 'systems_affected_any: [MI]'))).toEqual(['error regulatory_reports[4].applies_if.systems_affected_any[0]']);
    expect(brief(check('    overdue_after: PT1H                # inferred\n', ''))).toEqual(['warning regulatory_reports[2].overdue_after']);
    expect(brief(check('initial_within: PT2H               # inferred placeholder; local rule', 'initial_within: 2h'))).toEqual(['error regulatory_reports[4].initial_within']);
    expect(brief(check('  - id: RR.mi\n', '  - id: O3.1\n'))).toEqual(['error regulatory_reports[4].id']);
    const noEvidence = check('  - { id: regulator_report_submitted,', '  - { id: regulator_report_sent,');
    expect(brief(noEvidence)).toContain('error evidence');
    expect(noEvidence.plan).toBeUndefined();
  });
});
