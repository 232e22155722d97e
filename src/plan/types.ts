/**
 * The emergency plan as data. Keys mirror the YAML (snake_case); see docs/plan-format.md.
 * Every rule carries `prov`: `seed:<clause>` | `typical` | `reg[:…]` | `inferred`.
 */
import type { Colour } from '../shared/colour.js';

export interface Text {
  zh: string;
  en: string;
}

export const LEVEL_IDS = ['L1', 'L2', 'L3'] as const;
export type LevelId = (typeof LEVEL_IDS)[number];
/** Lower rank = more severe (L1 is the most severe). */
export const levelRank = (level: LevelId): number => LEVEL_IDS.indexOf(level);
export const moreSevere = (a: LevelId, b: LevelId): LevelId => (levelRank(a) <= levelRank(b) ? a : b);

export const SYSTEM_CATEGORIES = ['core', 'key', 'medtech', 'business', 'infra'] as const;
export type SystemCategory = (typeof SYSTEM_CATEGORIES)[number];
export const SYSTEM_STATES = ['down', 'degraded', 'up'] as const;
export type SystemState = (typeof SYSTEM_STATES)[number];
export const SCOPES = ['hospital_wide', 'department', 'floor', 'terminal'] as const;
export type Scope = (typeof SCOPES)[number];
export const TALLY_CATEGORIES = ['emergency', 'inpatient', 'outpatient', 'medical_insurance'] as const;
export type TallyCategory = (typeof TALLY_CATEGORIES)[number];

export interface PlanSystem {
  id: string;
  name: Text;
  category: SystemCategory;
  in_scope?: boolean;
  patient_facing?: boolean;
  /** Issues reports (检查检验报告): LIS, PACS… (the seed's L2 "报告无法出具"). */
  issues_reports?: boolean;
  prov: string;
}

export interface Dependency {
  from: string;
  to: string;
  kind: 'hard' | 'soft';
}

export interface Role {
  id: string;
  name: Text;
  default_holder?: string;
  prov: string;
}

export interface Group {
  id: string;
  name: Text;
  lead: string; // role id
  members?: string[];
  duties: string[];
}

export interface Organisation {
  command_hq: { commander: string; deputy: string; members: string[] };
  groups: Group[];
}

export interface ScenarioCategory {
  id: string; // HARDWARE, SOFTWARE, CYBER, NATURAL, HUMAN_ERROR
  name: Text;
  examples?: string[];
}

/** A metric the monitoring reports: a number (CPU %) or an up/down state (a database service). */
export interface MetricSpec {
  id: string;
  kind: 'number' | 'state';
  prov?: string;
}

export interface Threshold {
  id: string;
  metric: string;
  op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  value: number | boolean | 'up' | 'down';
  for?: string; // ISO duration
  colour: Colour;
  prov: string;
}

export interface Monitoring {
  /** A bare name is a number metric. */
  metrics?: (string | MetricSpec)[];
  /**
   * The scope of an alert whose sender and source mapping say nothing (seed 二(二) grades by scope): shown as
   * assumed on the incident until a person confirms or corrects it. Default hospital_wide.
   */
  alert_scope_default?: Scope;
  thresholds: Threshold[];
  colour_map?: Record<string, Record<string, Colour>>;
  /** The least urgent colour that opens an incident (seed 三(一): orange warning, red alarm). Default orange. */
  open_incident_from?: Colour;
}

/** Conditions of a criterion; all given parts must hold. */
export interface Condition {
  systems?: string[];
  categories?: SystemCategory[];
  match?: 'any' | 'all'; // over `systems`; default any
  state?: SystemState | SystemState[]; // default: down
  scope?: Scope | Scope[];
  impact_flags?: string[]; // all of them set
  any_flag?: string[]; // at least one set
  impact_flags_absent?: string[];
  scenario?: string | string[];
  /** Any system of the plan that issues reports (`issues_reports: true`) qualifies, as with `systems`/`categories`. */
  issues_reports?: boolean;
  tally?: { category: TallyCategory | 'any' | 'total'; ge?: number; gt?: number };
}

export interface Criterion {
  id: string; // L1.a …
  prov: string;
  summary: Text;
  when: Condition;
  duration?: { gt?: string; ge?: string }; // ISO durations; gt strict (超过), ge inclusive (以上)
}

export interface Level {
  id: LevelId;
  name: Text;
  default?: boolean; // the level of an incident no criterion grades higher
  criteria: Criterion[];
  /** Roles paged when an incident first reaches this level (paging: src/notify). */
  notify?: string[];
}

export interface GradingPolicy {
  /** Armed (conditions hold, duration not yet elapsed) criteria of these levels make the grade provisional… */
  provisional_from: LevelId[];
  /** …at this level. */
  provisional_cap: LevelId;
  provisional_label?: Text;
  downgrade: { by_roles: string[]; reason_required: boolean };
  /**
   * How the `total` patient tally is counted: the sum of `sum`, never below any single category of
   * `overlapping` (insured patients are also emergency, inpatient or outpatient ones). Default: the sum of
   * emergency, inpatient and outpatient, overlapped by medical_insurance.
   */
  tally_total?: { sum: TallyCategory[]; overlapping?: TallyCategory[] };
}

export interface Escalation {
  id: string;
  prov: string;
  when: { obligation_breached?: string; criterion_fired?: string[]; manual?: boolean; by_roles?: string[] };
  then: { set_level_at_least?: LevelId; set_level?: 'any'; notify?: string[]; reason_required?: boolean };
}

/** Named instants an obligation's clock may start from. */
export interface Anchor {
  id: string; // detected_at, notified_at, onsite_at, level_changed_at, recovered_at, closed_at
  name: Text;
  /** The action that records this instant (e.g. acknowledge → notified_at). Absent: set by the engine. */
  set_by?: string;
  /** Until it happens, it counts from the moment it was due: the due time of this obligation. */
  until_then_due_of?: string;
}

/** Things a person does that count as evidence for obligations (acknowledge, check_in, restore, report…). */
export interface EvidenceAction {
  id: string;
  name: Text;
  /** Platform events that record this evidence too (e.g. `downtime.session_started` → manual_mode_started). */
  recorded_by?: string[];
}

/** An impact flag a person may set on an incident; `implies` sets the scenario category with it (a leak is a cyber event). */
export interface ImpactFlag {
  id: string;
  name: Text;
  implies?: { scenario?: string };
}

export type BreachEffect =
  | 'mark_overdue'
  | { page: string } // role id
  | { notify: string } // role id
  | { escalate: string }; // escalation id

export interface Obligation {
  id: string; // O3.1 …
  prov: string;
  /** incident.opened | level.reached:L2 | incident.recovering | incident.closed | schedule */
  trigger: string;
  actor: string; // role id or group id
  action: Text;
  anchor?: string; // anchor id; default: the trigger's own instant
  within?: string; // ISO duration; absent = a task with no deadline
  evidence?: string; // evidence action id
  /** Only these roles' evidence meets it (O1.1 is the deputy commander's report, not anyone's). Absent: anyone's. */
  evidence_by?: string[];
  on_breach?: BreachEffect[];
  recurring?: string; // ISO duration: a cadence duty
  applies_if?: ObligationCondition;
  /** Page the actor role when the obligation starts, with its deadline (default true). */
  page_on_start?: boolean;
  /**
   * Set on the obligations the loader makes from `regulatory_reports` (src/plan/regulatory.ts): a report to an
   * authority. It starts whenever its conditions come to hold (not only at its trigger), at most once per incident,
   * and only a recorded submission of this very report meets it (never another obligation's evidence).
   */
  report?: ReportSpec;
  /** An announcement template (announcement_templates[].id): when the obligation starts, a draft is prepared from it. */
  announcement?: string;
}

// ---- downtime: departments, business lines and their manual procedures (optional sections) ----------

/** Paper forms the downtime module prints (each carries a serial and a QR code). */
export const FORM_TYPES = [
  'registration_slip',
  'patient_roster',
  'temporary_receipt',
  'prescription',
  'lab_requisition',
  'imaging_requisition',
  'emergency_lab_report',
  'order_sheet',
  'medication_execution_sheet',
  'activity_log',
] as const;
export type FormType = (typeof FORM_TYPES)[number];
/** Kinds of pre-allocated downtime numbers: temporary medical-record numbers, visit numbers, receipt numbers. */
export const NUMBER_KINDS = ['mrn', 'visit', 'receipt'] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];
export const PROCEDURE_BANDS = ['before', 'during', 'after'] as const;
export type ProcedureBand = (typeof PROCEDURE_BANDS)[number];
/** Which retention period of `retention` applies to a business line's paper records. */
export const RETENTION_CLASSES = ['outpatient', 'inpatient'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

export interface Department {
  id: string;
  name: Text;
  kind?: 'opd' | 'ed' | 'ward' | 'medtech' | 'pharmacy' | 'admin';
  prov?: string;
}

export interface ProcedureStep {
  id: string;
  text: Text;
  prov?: string;
}

/** A business line (registration, pharmacy…) that goes to paper when a system it depends on is down. */
export interface BusinessLine {
  id: string;
  name: Text;
  prov: string;
  /** Systems whose outage (directly or through `dependencies`) takes this line to manual mode. */
  depends_on: string[];
  /** Departments that run this line (manual mode is per department and line). */
  departments: string[];
  retention: RetentionClass;
  forms?: FormType[];
  numbers?: NumberKind[];
  procedure: Record<ProcedureBand, ProcedureStep[]>;
}

export interface DowntimeSettings {
  /** How each kind of downtime number is written: prefix + zero-padded sequence. */
  numbers?: Partial<Record<NumberKind, { prefix: string; width?: number }>>;
  /** Back-entered records later than this after the event are flagged as overdue late entries. */
  late_entry_within?: string;
  /** How many serial-numbered copies of each form an offline kit carries. */
  kit_copies_per_form?: number;
}

// ---- publicity: the services patients use and the public status page (optional sections) ------------

/** A service patients use (挂号, 缴费, 取药…), in patients' words, with what to do instead while it is down. */
export interface PatientService {
  id: string;
  name: Text;
  /** Business-line ids and/or system ids; the service is down when one of them is down. */
  depends_on: string[];
  /** Where to go or what to do instead (人工窗口, 纸质申请单…), most useful first. */
  alternatives: Text[];
  note?: Text;
  prov?: string;
}

export interface StatusPageSettings {
  title: Text;
  /** Whom patients call (the hospital's service line). */
  contact?: Text;
  /** Show incident levels (L1…) on the public page. Default false. */
  show_levels: boolean;
  /** Show system names (HIS…) on the public page. Default false. */
  show_systems: boolean;
}

// ---- publicity: announcement templates (optional section; src/publicity/announcements) --------------

export const ANNOUNCEMENT_KINDS = ['initial', 'update', 'all_clear'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];
/** Where an announcement is published: the public status page, the hospital website, the WeChat Official Account, SMS to subscribers, a printed notice. */
export const PUBLIC_CHANNELS = ['status_page', 'website', 'wechat_oa', 'sms', 'onsite_notice'] as const;
export type PublicChannelKind = (typeof PUBLIC_CHANNELS)[number];
/** Placeholders a template's texts may use; filled from the incident when a draft is prepared. */
export const ANNOUNCEMENT_PLACEHOLDERS = ['services', 'alternatives', 'expected_recovery', 'since', 'hospital', 'status_url'] as const;

export interface AnnouncementText {
  title: string;
  body: string;
}

/** A template of an announcement to patients (seed 一.4: the fault, the expected recovery time, the alternatives). */
export interface AnnouncementTemplate {
  id: string;
  kind: AnnouncementKind;
  name?: Text;
  channels: PublicChannelKind[];
  zh: AnnouncementText;
  en?: AnnouncementText;
  prov?: string;
}

// ---- drills (optional section `drills`; src/drills) ------------------------------------------------

/** The risk categories a hospital drills against (hardware, software, cyber, natural disaster, human error). */
export const DRILL_CATEGORIES = ['hardware', 'software', 'cyber', 'natural', 'human_error'] as const;
export type DrillCategory = (typeof DRILL_CATEGORIES)[number];
/** Tabletop: people talk the scenario through, usually compressed in time; live: injected into the live system on real time. */
export const DRILL_FORMATS = ['tabletop', 'live'] as const;
export type DrillFormat = (typeof DRILL_FORMATS)[number];

/** One drill the hospital holds regularly. */
export interface DrillCatalogueEntry {
  id: string;
  title: Text;
  category: DrillCategory;
  format: DrillFormat;
  /** A scenario file (the `simulate` format), relative to the plan's scenario folder (`scenarios/` by default). */
  scenario?: string;
  /** How often (ISO 8601 duration, e.g. P1Y, P6M). */
  every: string;
  /** The plan role that organises it (reminded before it falls due). */
  organiser: string;
  /** The groups it exercises (org group ids); all groups when absent. */
  groups?: string[];
  /** Tabletop: the default time factor (e.g. 10: ten minutes of the scenario pass in one). */
  time_factor?: number;
  prov?: string;
}

/** How everything about a drill is marked, so that nobody mistakes it for the real thing. */
export interface DrillMarking {
  /** Put before every page, title and printed form of a drill, per language (e.g. 【演练】). */
  prefix: Text;
  /**
   * The wording of drill SMS and voice pages around the normal short text (`{{text}}`): what the hospital registers
   * with its vendor as the drill template (the channel's `drillTemplateCode` / `drillTtsCode` / `drillTemplateId`
   * names the approved one); the webhook renders them itself (`short`, `spoken`). Default: the prefix and the text.
   */
  sms_template?: Text;
  voice_template?: Text;
}

export interface DrillsSection {
  marking: DrillMarking;
  catalogue: DrillCatalogueEntry[];
  /** Reminders to the organiser this long before a drill falls due (ISO 8601 durations). */
  remind_before: string[];
  /** What the score looks at (kept as the plan's record of its evaluation criteria). */
  evaluation: string[];
}

export interface Plan {
  schema: string;
  plan: { id: string; version: string; title: Text; hospital_is_cii?: boolean };
  systems: PlanSystem[];
  dependencies: Dependency[];
  roles: Role[];
  org: Organisation;
  scenarios: ScenarioCategory[];
  monitoring: Monitoring;
  anchors: Anchor[];
  evidence: EvidenceAction[];
  impact_flags?: ImpactFlag[];
  levels: Level[];
  grading_policy: GradingPolicy;
  escalations: Escalation[];
  obligations: Obligation[];
  departments?: Department[];
  business_lines?: BusinessLine[];
  downtime?: DowntimeSettings;
  patient_services?: PatientService[];
  status_page?: StatusPageSettings;
  announcement_templates?: AnnouncementTemplate[];
  regulatory_reports?: RegulatoryReport[];
  /** English names of report recipients, keyed by the Chinese name (the English screens and texts use them). */
  regulatory_recipients?: Record<string, { en: string }>;
  national_grading?: NationalGrading;
  drills?: DrillsSection;
  /** Everything else of the plan document (checklists, manual procedures, supplies, reports…), kept verbatim. */
  [section: string]: unknown;
}

// ---- regulator reports (optional section `regulatory_reports`; obligations made by src/plan/regulatory.ts) ----

/** When an obligation applies; all given parts must hold. */
export interface ObligationCondition {
  patient_facing_system_affected?: boolean;
  level_reached?: LevelId[];
  scenario?: string[];
  /** One of these systems is affected (itself, or through a hard dependency). */
  systems_affected?: string[];
  /** The national grade recorded on the incident (national_grading.grades) is this one or more serious. */
  national_grade_at_least?: string;
  /** At least one of these impact flags is set. */
  flags_any?: string[];
  /** One of these obligations was started on the incident (a summary follows its initial report). */
  obligation_started?: string[];
}

/** What a regulator-report obligation carries beyond an obligation: for display and for its document. */
export interface ReportSpec {
  /** The `regulatory_reports` entry it comes from. */
  source: string;
  /** Who receives it (the CII variant when the hospital is critical information infrastructure). */
  recipients: string[];
  /** The same recipients' English names (the Chinese name where the plan gives none). */
  recipients_en?: string[];
  /** The content items its document lists, in order. */
  content: string[];
  kind: 'initial' | 'summary';
  /** The law says "immediately": the deadline is the entry's `overdue_after`. */
  asap?: boolean;
  partial_allowed?: string;
}

/** One entry of `regulatory_reports`: a report the hospital owes an authority (src/plan/regulatory.ts). */
export interface RegulatoryReport {
  id: string;
  prov: string;
  /** The role that prepares and submits it. */
  actor: string;
  applies_if: { systems_affected_any?: string[]; level_reached?: LevelId[]; national_grade_at_least?: string; flags_any?: string[] };
  to: string | string[] | { default: string | string[]; if_cii?: string | string[] };
  /** An ISO duration, `ASAP`, or one per kind of operator. */
  initial_within: string | { default: string; if_cii?: string };
  /** For `ASAP`: when it is shown overdue (default PT1H). */
  overdue_after?: string;
  anchor?: string;
  partial_allowed?: string;
  content?: string[];
  /** A summary report is due this long after the incident closes (CAC Art. 8). */
  summary_within?: string;
  /** The summary's own content items (default: the CAC Art. 8 list). */
  summary_content?: string[];
}

/** The national cyber-incident grades (CAC 网络安全事件分级指南), most serious first; independent of L1–L3. */
export interface NationalGrading {
  source?: string;
  includes_number?: boolean;
  grades: { id: string; verified?: boolean | 'partial'; typical?: Record<string, unknown> }[];
}
