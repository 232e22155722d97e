// The plan's announcement templates and the obligations' links to them (issue 16): the default plan links O2.4, O1.3
// and OR.1 and passes plan check; a link to an unknown template, an unknown placeholder, a duplicate template id and
// an all-clear linked from an outage duty are reported at their place.
import { describe, expect, it } from 'vitest';
import { lintPlan } from '../src/plan/lint.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import type { Plan } from '../src/plan/types.js';

const clone = (plan: Plan): Plan => structuredClone(plan);

describe('announcement templates in the plan', () => {
  it('the default plan links the publicity duties to templates and passes plan check', () => {
    const plan = loadDefaultPlan();
    const links = Object.fromEntries(plan.obligations.filter((o) => o.announcement).map((o) => [o.id, o.announcement]));
    expect(links).toEqual({ 'O2.4': 'onsite_initial', 'O1.3': 'public_initial', 'OR.1': 'all_clear' });
    const kinds = Object.fromEntries((plan.announcement_templates ?? []).map((t) => [t.id, t.kind]));
    expect(kinds).toMatchObject({ onsite_initial: 'initial', public_initial: 'initial', progress_update: 'update', all_clear: 'all_clear' });
    expect(plan.announcement_templates!.find((t) => t.id === 'public_initial')!.channels).toEqual(['status_page', 'website', 'wechat_oa', 'sms', 'onsite_notice']);
    expect(lintPlan(plan).filter((i) => /announcement/.test(i.path))).toEqual([]);
  });

  it('reports broken links and placeholders at their place', () => {
    const plan = clone(loadDefaultPlan());
    const o13 = plan.obligations.findIndex((o) => o.id === 'O1.3');
    const o24 = plan.obligations.findIndex((o) => o.id === 'O2.4');
    plan.obligations[o13]!.announcement = 'no_such_template';
    plan.obligations[o24]!.announcement = 'all_clear';
    const templates = plan.announcement_templates!;
    templates[0]!.zh.body += ' {eta}';
    templates.push({ ...templates[1]!, kind: 'update' });
    const issues = lintPlan(plan).filter((i) => /announcement/.test(i.path));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', path: `obligations[${o13}].announcement`, message: expect.stringContaining('"no_such_template" is not defined') }),
        expect.objectContaining({ severity: 'warning', path: `obligations[${o24}].announcement`, message: expect.stringContaining('is an all_clear') }),
        expect.objectContaining({ severity: 'error', path: 'announcement_templates[0].zh.body', message: expect.stringContaining('{eta}') }),
        expect.objectContaining({ severity: 'error', path: `announcement_templates[${templates.length - 1}].id`, message: expect.stringContaining('duplicate') }),
      ]),
    );
    expect(issues).toHaveLength(4);
  });
});
