/**
 * The zod schema of the plan document (`lifeline.plan/v1`).
 *
 * Known sections are strict: an unknown key inside a known object is an error, so a misspelled key
 * (`withn:`) cannot silently drop a deadline. Top-level sections that the engine does not interpret
 * (checklists, manual_procedures, supplies, drills, retention…)
 * pass through untouched, as does `monitoring.inspections`.
 *
 * Referential checks (an actor that names no role, an anchor that is not defined…) are not done here:
 * they live in `lint.ts`, which sees the whole plan at once.
 */
import { z } from 'zod';
import { COLOURS } from '../shared/colour.js';
import { parseIsoDuration } from '../shared/time.js';
import {
  ANNOUNCEMENT_KINDS,
  DRILL_CATEGORIES,
  DRILL_FORMATS,
  PUBLIC_CHANNELS,
  LEVEL_IDS,
  SCOPES,
  SYSTEM_CATEGORIES,
  SYSTEM_STATES,
  TALLY_CATEGORIES,
  FORM_TYPES,
  NUMBER_KINDS,
  RETENTION_CLASSES,
  type BreachEffect,
  type Plan,
} from './types.js';

export const PLAN_SCHEMA_ID = 'lifeline.plan/v1';

const id = z.string().min(1, 'must not be empty');
const prov = z.string().min(1, 'provenance must not be empty');
const text = z.object({ zh: z.string().min(1, 'must not be empty'), en: z.string().min(1, 'must not be empty') }).strict();

/** An ISO 8601 duration such as `PT5M`, `PT2H`, `P30D`. */
export const isoDuration = z.string().refine((s) => parseIsoDuration(s) !== undefined, { message: 'not an ISO 8601 duration (e.g. PT5M, PT2H, P1D)' });

const list = (v: readonly string[]) => v.map((x) => JSON.stringify(x)).join(', ');
const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: (issue, ctx) => ({
      message: issue.code === 'invalid_enum_value' ? `${JSON.stringify(ctx.data)} is not a ${what}; expected one of ${list(values)}` : `expected a ${what} (one of ${list(values)})`,
    }),
  });
const oneOrMany = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z.union([item, z.array(item).min(1)], {
    errorMap: () => ({ message: `expected a ${what} or a list of them` }),
  });

const levelId = oneOf(LEVEL_IDS, 'level');
const colour = oneOf(COLOURS, 'colour');

export const systemSchema = z
  .object({
    id,
    name: text,
    category: oneOf(SYSTEM_CATEGORIES, 'system category'),
    in_scope: z.boolean().optional(),
    patient_facing: z.boolean().optional(),
    issues_reports: z.boolean().optional(),
    prov,
  })
  .strict();

export const dependencySchema = z.object({ from: id, to: id, kind: z.enum(['hard', 'soft'], { errorMap: () => ({ message: 'expected "hard" or "soft"' }) }) }).strict();

export const roleSchema = z.object({ id, name: text, default_holder: z.string().optional(), prov }).strict();

export const groupSchema = z.object({ id, name: text, lead: id, members: z.array(z.string()).optional(), duties: z.array(z.string()) }).strict();

export const orgSchema = z
  .object({
    command_hq: z.object({ commander: id, deputy: id, members: z.array(id) }).strict(),
    groups: z.array(groupSchema),
  })
  .strict();

export const scenarioSchema = z.object({ id, name: text, examples: z.array(z.string()).optional() }).strict();

export const thresholdSchema = z
  .object({
    id,
    metric: id,
    op: z.enum(['>', '>=', '<', '<=', '==', '!='], {
      errorMap: () => ({ message: 'expected one of ">", ">=", "<", "<=", "==", "!="' }),
    }),
    value: z.union([z.number(), z.boolean(), z.literal('up'), z.literal('down')], { errorMap: () => ({ message: 'expected a number, a boolean, "up" or "down"' }) }),
    for: isoDuration.optional(),
    colour,
    prov,
  })
  .strict();

/** `monitoring.inspections` is an extra of the document (not in `Monitoring`), checked loosely. */
const inspectionSchema = z.object({ id, every: isoDuration.optional(), actor: id.optional() }).passthrough();

export const monitoringSchema = z
  .object({
    metrics: z
      .array(z.union([z.string().min(1), z.object({ id, kind: z.enum(['number', 'state'], { errorMap: () => ({ message: 'expected "number" or "state"' }) }), prov: prov.optional() }).strict()]))
      .optional(),
    alert_scope_default: oneOf(SCOPES, 'scope').optional(),
    thresholds: z.array(thresholdSchema),
    colour_map: z.record(z.record(colour)).optional(),
    open_incident_from: colour.optional(),
    inspections: z.array(inspectionSchema).optional(),
  })
  .strict();

export const conditionSchema = z
  .object({
    systems: z.array(id).min(1).optional(),
    categories: z.array(oneOf(SYSTEM_CATEGORIES, 'system category')).min(1).optional(),
    match: z.enum(['any', 'all'], { errorMap: () => ({ message: 'expected "any" or "all"' }) }).optional(),
    state: oneOrMany(oneOf(SYSTEM_STATES, 'system state'), 'system state').optional(),
    scope: oneOrMany(oneOf(SCOPES, 'scope'), 'scope').optional(),
    impact_flags: z.array(id).min(1).optional(),
    any_flag: z.array(id).min(1).optional(),
    impact_flags_absent: z.array(id).min(1).optional(),
    scenario: oneOrMany(id, 'scenario id').optional(),
    issues_reports: z.boolean().optional(),
    tally: z
      .object({
        category: z.enum([...TALLY_CATEGORIES, 'any', 'total'], {
          errorMap: () => ({ message: `expected one of ${list([...TALLY_CATEGORIES, 'any', 'total'])}` }),
        }),
        ge: z.number().int().nonnegative().optional(),
        gt: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const criterionSchema = z
  .object({
    id,
    prov,
    summary: text,
    when: conditionSchema,
    duration: z.object({ gt: isoDuration.optional(), ge: isoDuration.optional() }).strict().optional(),
  })
  .strict();

export const levelSchema = z.object({ id: levelId, name: text, default: z.boolean().optional(), criteria: z.array(criterionSchema), notify: z.array(id).optional() }).strict();

export const gradingPolicySchema = z
  .object({
    provisional_from: z.array(levelId),
    provisional_cap: levelId,
    provisional_label: text.optional(),
    downgrade: z.object({ by_roles: z.array(id), reason_required: z.boolean() }).strict(),
    tally_total: z
      .object({ sum: z.array(oneOf(TALLY_CATEGORIES, 'patient category')).min(1), overlapping: z.array(oneOf(TALLY_CATEGORIES, 'patient category')).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const escalationSchema = z
  .object({
    id,
    prov,
    when: z
      .object({
        obligation_breached: id.optional(),
        criterion_fired: z.array(id).min(1).optional(),
        manual: z.boolean().optional(),
        by_roles: z.array(id).optional(),
      })
      .strict(),
    then: z
      .object({
        set_level_at_least: levelId.optional(),
        set_level: z.literal('any', { errorMap: () => ({ message: 'expected "any"' }) }).optional(),
        notify: z.array(id).optional(),
        reason_required: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

export const anchorSchema = z.object({ id, name: text, set_by: id.optional(), until_then_due_of: id.optional() }).strict();

export const evidenceSchema = z.object({ id, name: text, recorded_by: z.array(id).min(1).optional() }).strict();

export const impactFlagSchema = z.object({ id, name: text, implies: z.object({ scenario: id.optional() }).strict().optional(), prov: prov.optional() }).strict();

const BREACH_HINT = 'expected "mark_overdue", { page: <role> }, { notify: <role> } or { escalate: <escalation id> }';
export const breachEffectSchema: z.ZodType<BreachEffect> = z.union(
  [z.literal('mark_overdue'), z.object({ page: id }).strict(), z.object({ notify: id }).strict(), z.object({ escalate: id }).strict()],
  { errorMap: () => ({ message: BREACH_HINT }) },
);

export const obligationSchema = z
  .object({
    id,
    prov,
    trigger: id,
    actor: id,
    action: text,
    anchor: id.optional(),
    within: isoDuration.optional(),
    evidence: id.optional(),
    evidence_by: z.array(id).min(1).optional(),
    on_breach: z.array(breachEffectSchema).optional(),
    recurring: isoDuration.optional(),
    applies_if: z
      .object({
        patient_facing_system_affected: z.boolean().optional(),
        level_reached: z.array(levelId).min(1).optional(),
        scenario: z.array(id).min(1).optional(),
        systems_affected: z.array(id).min(1).optional(),
        national_grade_at_least: id.optional(),
        flags_any: z.array(id).min(1).optional(),
        obligation_started: z.array(id).min(1).optional(),
      })
      .strict()
      .optional(),
    page_on_start: z.boolean().optional(),
    announcement: id.optional(),
    /** Set by the loader on the obligations it makes from `regulatory_reports` (src/plan/regulatory.ts); accepted so a loaded plan parses again. */
    report: z
      .object({
        source: id,
        recipients: z.array(z.string().min(1)).min(1),
        recipients_en: z.array(z.string().min(1)).optional(),
        content: z.array(id),
        kind: z.enum(['initial', 'summary']),
        asap: z.boolean().optional(),
        partial_allowed: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const departmentSchema = z
  .object({
    id,
    name: text,
    kind: z.enum(['opd', 'ed', 'ward', 'medtech', 'pharmacy', 'admin'], { errorMap: () => ({ message: 'expected opd, ed, ward, medtech, pharmacy or admin' }) }).optional(),
    prov: prov.optional(),
  })
  .strict();

const procedureStep = z.object({ id, text, prov: prov.optional() }).strict();

export const businessLineSchema = z
  .object({
    id,
    name: text,
    prov,
    depends_on: z.array(id).min(1, 'name at least one system'),
    departments: z.array(id).min(1, 'name at least one department'),
    retention: oneOf(RETENTION_CLASSES, 'retention class'),
    forms: z.array(oneOf(FORM_TYPES, 'form type')).optional(),
    numbers: z.array(oneOf(NUMBER_KINDS, 'number kind')).optional(),
    procedure: z
      .object({
        before: z.array(procedureStep).default([]),
        during: z.array(procedureStep).min(1, 'say what to do during the outage'),
        after: z.array(procedureStep).min(1, 'say how to catch up after it'),
      })
      .strict(),
  })
  .strict();

export const downtimeSettingsSchema = z
  .object({
    numbers: z
      .record(
        oneOf(NUMBER_KINDS, 'number kind'),
        z.object({ prefix: z.string().regex(/^[A-Z0-9-]{1,8}$/, 'use 1-8 capital letters, digits or dashes'), width: z.number().int().min(3).max(12).optional() }).strict(),
      )
      .optional(),
    late_entry_within: isoDuration.optional(),
    kit_copies_per_form: z.number().int().min(1).max(200).optional(),
  })
  .strict();

/** A service patients use (挂号, 缴费…) as the public status page names it; `depends_on` names business lines and/or systems. */
export const patientServiceSchema = z
  .object({
    id,
    name: text,
    depends_on: z.array(id).min(1, 'name at least one business line or system'),
    alternatives: z.array(text).default([]),
    note: text.optional(),
    prov: prov.optional(),
  })
  .strict();

/** The drills section (src/drills): marking, the catalogue with each drill's frequency, reminders, evaluation criteria. */
export const drillsSchema = z
  .object({
    marking: z
      .object({ prefix: text, sms_template: text.optional(), voice_template: text.optional() })
      .strict()
      .default({ prefix: { zh: '【演练】', en: '[DRILL] ' } }),
    catalogue: z
      .array(
        z
          .object({
            id,
            title: text,
            category: z.enum(DRILL_CATEGORIES),
            format: z.enum(DRILL_FORMATS),
            scenario: z.string().min(1).optional(),
            every: isoDuration,
            organiser: id,
            groups: z.array(id).optional(),
            time_factor: z.number().min(1).max(60).optional(),
            prov: prov.optional(),
          })
          .strict(),
      )
      .default([]),
    remind_before: z.array(isoDuration).default(['P14D', 'P1D']),
    evaluation: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** The public status page's settings; internal details (levels, system names) are shown only when set true here. */
export const statusPageSchema = z
  .object({
    title: text,
    contact: text.optional(),
    show_levels: z.boolean().default(false),
    show_systems: z.boolean().default(false),
  })
  .strict();

const announcementText = z.object({ title: z.string().min(1, 'must not be empty').max(200), body: z.string().min(1, 'must not be empty').max(5000) }).strict();

/** An announcement template (src/publicity/announcements): texts with {placeholders}, the channels it goes to. */
export const announcementTemplateSchema = z
  .object({
    id,
    kind: oneOf(ANNOUNCEMENT_KINDS, 'announcement kind'),
    name: text.optional(),
    channels: z.array(oneOf(PUBLIC_CHANNELS, 'public channel')).min(1, 'name at least one channel'),
    zh: announcementText,
    en: announcementText.optional(),
    prov: prov.optional(),
  })
  .strict();

/** `ASAP` (the law says "immediately") or an ISO duration. */
const reportWithin = z.union([z.literal('ASAP'), isoDuration], { errorMap: () => ({ message: 'expected an ISO 8601 duration (e.g. PT4H) or ASAP' }) });
const recipients = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { errorMap: () => ({ message: 'expected a recipient or a list of them' }) });

/** A report owed to an authority; the loader makes it an obligation (src/plan/regulatory.ts). */
export const regulatoryReportSchema = z
  .object({
    id,
    prov,
    actor: id,
    applies_if: z
      .object({
        systems_affected_any: z.array(id).min(1).optional(),
        level_reached: z.array(levelId).min(1).optional(),
        national_grade_at_least: id.optional(),
        flags_any: z.array(id).min(1).optional(),
      })
      .strict(),
    to: z.union([recipients, z.object({ default: recipients, if_cii: recipients.optional() }).strict()], { errorMap: () => ({ message: 'expected a recipient, a list, or { default, if_cii }' }) }),
    initial_within: z.union([reportWithin, z.object({ default: reportWithin, if_cii: reportWithin.optional() }).strict()], {
      errorMap: () => ({ message: 'expected an ISO 8601 duration, ASAP, or { default, if_cii }' }),
    }),
    overdue_after: isoDuration.optional(),
    anchor: id.optional(),
    partial_allowed: z.string().optional(),
    content: z.array(id).optional(),
    summary_within: isoDuration.optional(),
    summary_content: z.array(id).optional(),
  })
  .strict();

export const nationalGradingSchema = z
  .object({
    source: z.string().optional(),
    includes_number: z.boolean().optional(),
    grades: z.array(z.object({ id, verified: z.union([z.boolean(), z.literal('partial')]).optional(), typical: z.record(z.unknown()).optional() }).strict()).min(1),
  })
  .strict();

/** The `plan:` header. `source`, `review_every` and `hospital_is_cii` are optional extras of the header. */
export const planHeaderSchema = z
  .object({
    id,
    version: z.union([z.string().min(1), z.number()], { errorMap: () => ({ message: 'expected a version string' }) }).transform((v) => String(v)),
    title: text,
    source: z.union([z.string(), z.record(z.string())]).optional(),
    review_every: isoDuration.optional(),
    hospital_is_cii: z.boolean().optional(),
  })
  .strict();

export const planSchema = z
  .object({
    schema: z.literal(PLAN_SCHEMA_ID, {
      errorMap: (_issue, ctx) => ({
        message: `unsupported plan schema ${JSON.stringify(ctx.data)}; expected ${JSON.stringify(PLAN_SCHEMA_ID)}`,
      }),
    }),
    plan: planHeaderSchema,
    systems: z.array(systemSchema),
    dependencies: z.array(dependencySchema),
    roles: z.array(roleSchema),
    org: orgSchema,
    scenarios: z.array(scenarioSchema),
    monitoring: monitoringSchema,
    anchors: z.array(anchorSchema),
    evidence: z.array(evidenceSchema),
    impact_flags: z.array(impactFlagSchema).optional(),
    levels: z.array(levelSchema).min(1),
    grading_policy: gradingPolicySchema,
    escalations: z.array(escalationSchema),
    obligations: z.array(obligationSchema),
    departments: z.array(departmentSchema).optional(),
    business_lines: z.array(businessLineSchema).optional(),
    downtime: downtimeSettingsSchema.optional(),
    announcement_templates: z.array(announcementTemplateSchema).optional(),
    patient_services: z.array(patientServiceSchema).optional(),
    status_page: statusPageSchema.optional(),
    regulatory_reports: z.array(regulatoryReportSchema).optional(),
    /** English names of the recipients of regulator reports, keyed by the Chinese name the reports are addressed to. */
    regulatory_recipients: z.record(z.string().min(1), z.object({ en: z.string().min(1) }).strict()).optional(),
    national_grading: nationalGradingSchema.optional(),
    drills: drillsSchema.optional(),
  })
  .passthrough();

/** The parsed document: a `Plan` plus the optional extras of the header and of monitoring. */
export type PlanDocument = z.infer<typeof planSchema>;

// Compile-time check: whatever the schema accepts is a `Plan`.
const _planCheck: Plan = {} as PlanDocument;
void _planCheck;

/** Top-level sections the schema does not interpret but the platform knows; others earn a lint warning. */
export const EXTRA_SECTIONS = ['checklists', 'manual_procedures', 'supplies', 'retention'] as const;

/**
 * The keys an object schema accepts at `path` (for "did you mean" hints on unknown keys), or undefined.
 * Walks zod's own structure: objects, arrays, optionals, defaults, effects, unions, records.
 */
export function knownKeysAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): string[] | undefined {
  const candidates = resolveAt(schema, path);
  const keys = new Set<string>();
  for (const s of candidates) if (s instanceof z.ZodObject) for (const k of Object.keys(s.shape)) keys.add(k);
  return keys.size ? [...keys] : undefined;
}

function unwrap(s: z.ZodTypeAny): z.ZodTypeAny[] {
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return unwrap(s.unwrap());
  if (s instanceof z.ZodDefault) return unwrap(s._def.innerType);
  if (s instanceof z.ZodEffects) return unwrap(s.innerType());
  if (s instanceof z.ZodUnion) return (s.options as z.ZodTypeAny[]).flatMap(unwrap);
  if (s instanceof z.ZodLazy) return unwrap(s.schema);
  return [s];
}

function resolveAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): z.ZodTypeAny[] {
  let current = unwrap(schema);
  for (const seg of path) {
    const next: z.ZodTypeAny[] = [];
    for (const s of current) {
      if (s instanceof z.ZodObject && typeof seg === 'string' && seg in s.shape) next.push(...unwrap(s.shape[seg]));
      else if (s instanceof z.ZodArray && typeof seg === 'number') next.push(...unwrap(s.element));
      else if (s instanceof z.ZodRecord) next.push(...unwrap(s.valueSchema));
    }
    current = next;
  }
  return current;
}
