// Every plan check finding carries a stable code and its params (the web words it from them, in the screen's
// language; web/src/routes/admin/config/PlanFindingText.tsx), whichever check produced it: lint, dead rules,
// regulator reports, announcements, the schema or the YAML parser.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../shared/errors.js';
import { lintPlan, loadDefaultPlan, parsePlanText, type Plan } from './index.js';

// biome-ignore lint/suspicious/noExplicitAny: a plan broken on purpose, in ways its types do not allow
type Loose = any;
/** A loose copy of the default plan (which lints clean), for breaking things the types would not allow. */
const fresh = (): Loose => structuredClone(loadDefaultPlan());
const byId = (list: Loose[], id: string): Loose => list.find((x) => x.id === id);

/** One breakage each, so that no finding hides another. */
const BREAKAGES: ((p: Loose) => void)[] = [
  (p) => p.roles.push({ ...p.roles[0] }),
  (p) => (p.levels[1].criteria[1].id = 'L2.a'),
  (p) => (p.org.groups[0].id = 'tech_lead'),
  (p) => (byId(p.obligations, 'O3.2').actor = 'nobody'),
  (p) => (byId(p.obligations, 'O3.2').anchor = 'noticed_at'),
  (p) => (p.suplies = []),
  (p) => (byId(p.obligations, 'O1.5').prov = 'hics'),
  (p) => p.dependencies.push({ from: 'HIS', to: 'HIS', kind: 'hard' }),
  (p) => p.dependencies.push({ from: 'STORAGE', to: 'HIS', kind: 'hard' }),
  (p) => (p.drills.catalogue[0].groups = ['nobody']),
  (p) => p.levels.reverse(),
  (p) => delete p.levels[2].default,
  (p) => (p.levels[1].default = true),
  (p) => (p.levels[1].criteria = []),
  (p) => (p.levels[1].criteria[0].id = 'L3.b'),
  (p) => (p.levels[1].criteria[1].when.categories = ['lab']),
  (p) => (p.levels[0].criteria[0].duration = { gt: 'PT2H', ge: 'PT2H' }),
  (p) => (p.levels[0].criteria[0].duration = {}),
  (p) => p.systems.push({ id: 'OA', name: { zh: '办公系统', en: 'Office automation' }, category: 'infra', in_scope: true, prov: 'inferred' }),
  (p) => (p.grading_policy.provisional_cap = 'L1'),
  (p) => (byId(p.escalations, 'E_auto_L1').when = {}),
  (p) => (byId(p.escalations, 'E_auto_L1').then = {}),
  (p) => (byId(p.obligations, 'O2.5').trigger = 'incident.open'),
  (p) => delete byId(p.obligations, 'O1.1').evidence,
  (p) => (byId(p.obligations, 'O3.2').on_breach = [{ escalate: 'E3to2' }]),
  (p) => (p.obligations = p.obligations.filter((o: Loose) => o.trigger !== 'level.reached:L1')),
  (p) => (p.monitoring.thresholds[1].op = '>'),
  (p) => (p.monitoring.thresholds[0].metric = 'disk'),
  (p) => (p.patient_services[0].depends_on = ['nothing']),
  (p) => (p.patient_services[0].alternatives = []),
  (p) => (p.announcement_templates[0].zh.title = '{nowhere}'),
  (p) => p.announcement_templates.push({ ...p.announcement_templates[0] }),
  (p) => (p.regulatory_reports[0].actor = 'nobody'),
  (p) => (p.regulatory_reports[0].applies_if = {}),
  (p) => (p.regulatory_reports[0].applies_if = { national_grade_at_least: '极大' }),
  (p) => delete p.regulatory_reports[1].overdue_after,
  (p) => (p.regulatory_recipients = {}),
  (p) => (p.evidence = p.evidence.filter((e: Loose) => e.id !== 'regulator_report_submitted')),
  (p) => (p.impact_flags = []),
];

/** Documents the schema or the YAML parser rejects. */
const BROKEN_TEXTS = ['', 'schema: [', 'schema: lifeline.plan/v1\nplann: {}\n', 'schema: lifeline.plan/v1\nplan: { id: 3 }\nsystems: {}\n', 'a: 1\na: 2\n'];

const findings: Issue[] = [
  ...BREAKAGES.flatMap((breakIt) => {
    const plan = fresh();
    breakIt(plan);
    return lintPlan(plan as unknown as Plan);
  }),
  ...BROKEN_TEXTS.flatMap((text) => parsePlanText(text, 'broken.yaml').issues),
];
const texts = JSON.parse(fs.readFileSync('web/src/i18n/plan-findings.en.json', 'utf8')) as { planFinding: Record<string, unknown> };

describe('plan check finding codes', () => {
  it('the broken plans give many kinds of finding', () => {
    expect(new Set(findings.map((f) => f.code)).size).toBeGreaterThan(40);
  });

  it('every finding has a code and params, and keeps its English message', () => {
    for (const f of findings) {
      expect(f.code, f.message).toMatch(/^PLAN_[A-Z_]+$/);
      expect(f.params, f.message).toBeTypeOf('object');
      expect(f.message).toBeTruthy();
    }
  });

  it('every finding gives the parameters its text names', () => {
    for (const f of findings) {
      const text = texts.planFinding[f.code ?? ''];
      expect(typeof text, `${f.code}: ${f.message}`).toBe('string');
      const named = [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
      for (const name of named) expect(f.params, `${f.code}: ${f.message}`).toHaveProperty(name);
    }
  });

  it('puts the values as they are in params', () => {
    const plan = fresh();
    byId(plan.obligations, 'O3.2').actor = 'nobody';
    plan.roles.push({ ...plan.roles[0] });
    const issues = lintPlan(plan as unknown as Plan);
    expect(issues.find((i) => i.code === 'PLAN_ACTOR_UNKNOWN')).toMatchObject({ params: { actor: 'nobody' }, message: 'actor "nobody" is neither a role nor a group' });
    expect(issues.find((i) => i.code === 'PLAN_DUPLICATE_ID')).toMatchObject({ params: { what: 'role', id: plan.roles[0].id, first: 'roles[0].id' } });
  });
});
