import { z } from 'zod';
import { LEVEL_IDS, SCOPES, TALLY_CATEGORIES } from '../plan/types.js';
import { signalSchema } from '../signals/normalise.js';
import { parseShortDuration } from '../shared/time.js';

const offset = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v * 60_000 : parseShortDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected an offset like 0m, 90s, 2h1m' });
    return z.NEVER;
  }
  return ms;
});

const signalStep = signalSchema.extend({ summary: z.string().default('') }).omit({ at: true });
const impactStep = z
  .object({
    system: z.string().optional(),
    scope: z.enum(SCOPES).optional(),
    flags: z.union([z.array(z.string()), z.record(z.boolean())]).optional(),
    tally: z.record(z.enum(TALLY_CATEGORIES), z.number().int().min(0)).optional(),
    scenario: z.string().nullable().optional(),
    /** When the facts began (an offset from the scenario's start, e.g. 0m): a person records them late. */
    since: offset.optional(),
    systems: z.array(z.object({ system: z.string(), component: z.string().optional(), state: z.enum(['down', 'degraded', 'up']) }).strict()).optional(),
    /** The national cyber-incident grade (plan.national_grading), independent of L1–L3; null clears it. */
    nationalGrade: z.string().nullable().optional(),
  })
  .strict();
const actionStep = z
  .object({
    type: z.string().min(1),
    by: z.string().default('tech_oncall'),
    system: z.string().optional(),
    level: z.enum(LEVEL_IDS).optional(),
    reason: z.string().optional(),
    obligation: z.string().optional(),
  })
  .strict();
const openStep = z
  .object({ title: z.string().min(1), systems: z.array(z.string()).default([]), scope: z.enum(SCOPES).optional(), scenario: z.string().optional(), by: z.string().default('monitoring_post') })
  .strict();
const expectStep = z
  .object({
    system: z.string().optional(),
    level: z.enum(LEVEL_IDS).optional(),
    provisional: z.boolean().optional(),
    state: z.enum(['responding', 'recovering', 'closed']).optional(),
    rule: z.string().optional(),
    obligations: z.record(z.enum(['pending', 'met', 'breached', 'waived', 'cancelled', 'ended', 'absent'])).optional(),
    incidents: z.number().int().min(0).optional(),
    scope: z.enum(SCOPES).optional(),
    scopeAssumed: z.boolean().optional(),
    scenario: z.string().nullable().optional(),
    /** Which outage the incident is in: 2 after one relapse. */
    outage: z.number().int().min(1).optional(),
    flapping: z.boolean().optional(),
    /** A person's "restored" still awaits the monitoring's word. */
    recoveryClaim: z.boolean().optional(),
    /** The recovery claim was contradicted by the monitoring (a timeline entry says so). */
    contradicted: z.boolean().optional(),
    /** Pages written so far for this incident, per role (deputies not counted). */
    pages: z.record(z.number().int().min(0)).optional(),
    error: z.string().optional(),
  })
  .strict();

export const stepSchema = z
  .object({
    at: offset,
    signal: signalStep.optional(),
    impact: impactStep.optional(),
    action: actionStep.optional(),
    open: openStep.optional(),
    expect: expectStep.optional(),
  })
  .strict()
  .refine((s) => [s.signal, s.impact, s.action, s.open, s.expect].filter(Boolean).length === 1, {
    message: 'each step has exactly one of signal, impact, action, open, expect',
  });

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    plan: z.string().default('default'),
    start: z.union([z.string(), z.date()]).transform((v, ctx) => {
      const ms = v instanceof Date ? v.getTime() : Date.parse(v);
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 date-time' });
        return z.NEVER;
      }
      return ms;
    }),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = Scenario['steps'][number];
