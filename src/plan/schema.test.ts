import { describe, expect, it } from 'vitest';
import { knownKeysAt, planSchema } from './schema.js';
import { isoDuration, loadDefaultPlan } from './index.js';

describe('plan schema', () => {
  it('validates ISO 8601 durations', () => {
    for (const ok of ['PT5M', 'PT2H', 'P1D', 'P30D', 'P1Y', 'PT0S', 'PT1H30M']) expect(isoDuration.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['5m', 'PT', 'P', 'PT5X', '', 'pt5m', 'PT5M ']) expect(isoDuration.safeParse(bad).success, bad).toBe(false);
  });

  it('is strict on known objects and lets extra sections through', () => {
    const doc = structuredClone(loadDefaultPlan()) as Record<string, unknown>;
    expect(planSchema.safeParse(doc).success).toBe(true);
    const withExtra = { ...doc, whatever: { a: 1 } };
    expect(planSchema.safeParse(withExtra).success).toBe(true);
    const obligations = structuredClone(doc.obligations) as Record<string, unknown>[];
    obligations[0].withn = 'PT5M';
    const result = planSchema.safeParse({ ...doc, obligations });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['withn'], path: ['obligations', 0] }]);
  });

  it('accepts only the documented breach effects', () => {
    const doc = structuredClone(loadDefaultPlan()) as Record<string, unknown>;
    const obligations = structuredClone(doc.obligations) as Record<string, unknown>[];
    obligations[0].on_breach = ['mark_overdue', { page: 'tech_lead' }, { notify: 'commander' }, { escalate: 'E3to2' }];
    expect(planSchema.safeParse({ ...doc, obligations }).success).toBe(true);
    obligations[0].on_breach = ['shout'];
    const result = planSchema.safeParse({ ...doc, obligations });
    expect(result.error?.issues[0]).toMatchObject({ path: ['obligations', 0, 'on_breach', 0] });
    expect(result.error?.issues[0].message).toMatch(/mark_overdue/);
  });

  it('knows the keys of nested objects, for "did you mean" hints', () => {
    expect(knownKeysAt(planSchema, ['obligations', 3])).toContain('on_breach');
    expect(knownKeysAt(planSchema, ['levels', 0, 'criteria', 1, 'when'])).toContain('impact_flags');
    expect(knownKeysAt(planSchema, ['obligations', 3, 'on_breach', 0])).toEqual(['page', 'notify', 'escalate']);
    expect(knownKeysAt(planSchema, ['nope'])).toBeUndefined();
  });
});
