// Shapes of the Lifeline HTTP API (/api/v1) as the UI reads them. Extra fields may appear; optional ones may be absent.

export type Lang = 'zh-CN' | 'en';
/** A bilingual plan text; some plan fields may still arrive as a plain string. */
export type Text = { zh: string; en: string } | string;

export type LevelId = 'L1' | 'L2' | 'L3';
export type IncidentState = 'responding' | 'recovering' | 'closed';
export type SystemState = 'down' | 'degraded' | 'up';
export type ObligationState = 'pending' | 'met' | 'breached' | 'waived' | 'cancelled';
export type ActionType = 'acknowledge' | 'check_in' | 'restore' | 'report' | 'set_level' | 'waive' | 'close';
/** set_level / waive / close, or any evidence id of the plan (acknowledge, check_in, backup_started …) */
export type ActionName = ActionType | (string & {});
export const TALLY_CATEGORIES = ['emergency', 'inpatient', 'outpatient', 'medical_insurance'] as const;
export type TallyCategory = (typeof TALLY_CATEGORIES)[number];

export interface PlanSystem {
  id: string;
  name: Text;
  category: string;
  patientFacing?: boolean;
}
export interface PlanRole {
  id: string;
  name: Text;
}
export interface PlanGroup {
  id: string;
  name: Text;
  lead: string;
}
export interface PlanScenario {
  id: string;
  name: Text;
}
export interface PlanCriterion {
  id: string;
  summary: Text;
  prov: string;
  duration?: unknown;
  when?: Record<string, unknown>;
}
export interface PlanLevel {
  id: LevelId;
  name: Text;
  criteria: PlanCriterion[];
}
export interface PlanEscalation {
  id: string;
  prov: string;
  when: unknown;
  then: unknown;
}
export interface PlanEvidence {
  id: string;
  name: Text;
}
export interface PlanObligation {
  id: string;
  prov: string;
  trigger: string;
  actor: string;
  action: Text;
  anchor?: string;
  within?: string;
  evidence?: string;
  onBreach?: unknown;
  recurring?: string;
}
export interface Plan {
  id: string;
  version: string;
  title: Text;
  systems: PlanSystem[];
  roles: PlanRole[];
  groups: PlanGroup[];
  scenarios: PlanScenario[];
  levels: PlanLevel[];
  escalations: PlanEscalation[];
  obligations: PlanObligation[];
  /** what a person does that counts as meeting an obligation; each id is also an incident action type */
  evidence?: PlanEvidence[];
}

export interface PlanIssue {
  path?: string;
  message: string;
  code?: string;
  severity?: string;
  line?: number;
}
export interface PlanCheck {
  errors: PlanIssue[];
  warnings: PlanIssue[];
}

export interface IncidentSystem {
  system: string;
  component?: string;
  state: SystemState;
  since?: string;
}
export interface LevelChange {
  at: string;
  level: LevelId;
  provisional: boolean;
  rule: string;
  actor?: string;
  reason?: string;
}
export interface Obligation {
  id: string;
  ruleId: string;
  actorRole: string;
  action: Text | null;
  dueAt: string | null;
  state: ObligationState;
  metAt?: string;
  metBy?: string;
  breachedAt?: string;
  lateMs?: number;
}
export interface TimelineEntry {
  id: string;
  at: string;
  actor: string;
  kind: string;
  message: string;
  data?: unknown;
}
/** Checklist sections: shapes are still open on the server side, so every field is optional. */
export interface ChecklistItem {
  id?: string;
  text?: Text;
  title?: Text;
  done?: boolean;
  doneAt?: string;
  doneBy?: string;
  dueAt?: string;
}
export interface Checklist {
  id?: string;
  group?: string;
  title?: Text;
  name?: Text;
  items?: ChecklistItem[];
}
/** One row of GET /incidents/:id/deliveries: one (page, round, channel) of the outbox. */
export interface Delivery {
  id: string;
  /** configured channel id and its notifier kind (sms-aliyun, wecom-app, email …) */
  channel: string;
  kind: string;
  /** the person's name (their id when not in the directory) */
  person: string | null;
  personId: string | null;
  role: string;
  /** opened | breach:<rule>:<obligation> | level:Lx | escalation:<id> | …, plus ~d<n> for deputies */
  step: string;
  deputyRank: number;
  round: number;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | (string & {});
  attempts: number;
  at: string | null;
  sentAt: string | null;
  /** when the page (any of its channels) was acknowledged */
  ackAt: string | null;
  error: string | null;
  digest: string | null;
}
export interface Incident {
  id: string;
  title: string;
  state: IncidentState;
  level: LevelId;
  provisional: boolean;
  decidedBy: string;
  nextChange: { at: string; level: string; rule: string } | null;
  systems: IncidentSystem[];
  scope?: string | null;
  flags: string[];
  tallies: Partial<Record<TallyCategory, number>>;
  scenario?: string | null;
  detectedAt: string;
  openedAt: string;
  recoveredAt?: string | null;
  closedAt?: string | null;
  levelHistory: LevelChange[];
  obligations: Obligation[];
  timeline: TimelineEntry[];
  checklists?: Checklist[];
}

export interface Signal {
  id: string;
  source: string;
  system?: string;
  component?: string;
  severity?: string;
  status?: string;
  summary?: string;
  host?: string;
  labels?: Record<string, string>;
  at?: string;
  receivedAt?: string;
  incidentId?: string;
}

export interface SessionUser {
  name: string;
  role: string;
  permissions: string[];
}
export interface Session {
  user: SessionUser;
  csrfToken?: string;
}

export interface OnDutyEntry {
  role?: string;
  roleName?: Text;
  person?: { name?: string } | string;
  name?: string;
  until?: string;
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

export interface ActionBody {
  type: ActionName;
  level?: LevelId;
  reason?: string;
  obligation?: string;
}
export interface ImpactBody {
  systems?: IncidentSystem[];
  scope?: string;
  flags?: string[];
  tally?: Partial<Record<TallyCategory, number>>;
  scenario?: string;
}
