/**
 * Account roles, what each may do (permissions) and which role of the plan each acts as. The one table of
 * authorisation: the server checks every request against it (src/auth/hook.ts); the web app only hides
 * what `permissions` does not grant. Documented in docs/security.md (keep the two in step).
 */

/** Every permission a route may declare (`config: { permission }`). Names ending in `.read` only read. */
export const PERMISSIONS = {
  // reading
  'incident.read': 'incidents, their timelines and obligations; the live event stream',
  'plan.read': 'the plan and the result of `plan check`',
  'signal.read': 'received signals, mapped and unmapped',
  'source.read': 'intake sources (never their keys)',
  'maintenance.read': 'maintenance windows',
  'oncall.read': 'who is on duty now, who holds each role of the plan',
  'downtime.read': 'manual mode (downtime): numbers, forms, back-entry, the offline kit',
  'security.audit': 'the sign-in audit (successes, failures, lock-outs, logouts)',
  // acting on incidents
  'incident.open': 'open an incident by hand (a staff report)',
  'incident.impact': 'record impact: scope, flags, system states, patient tallies',
  'incident.acknowledge': 'acknowledge (收到)',
  'incident.check_in': 'check in on site (到场)',
  'incident.restore': 'mark the service restored',
  'incident.report': 'record a report to the HQ',
  'incident.evidence': 'record any other evidence action of the plan (backup started, announcement published …)',
  'incident.set_level': 'raise or lower the level, with a reason (lowering: only the plan’s downgrade roles)',
  'obligation.waive': 'waive an obligation, with a reason',
  'incident.close': 'close an incident',
  'incident.act': 'mark a duty of the plan done (group checklists)',
  // signals and intake
  'signal.post': 'post normalised signals to /api/v1/signals (scripts, monitoring)',
  'signal.map': 'map an unmapped signal to a system of the plan',
  'source.manage': 'create, change and revoke intake sources',
  'maintenance.manage': 'create and cancel maintenance windows',
  // manual mode (downtime)
  'downtime.operate': 'start manual mode, issue numbers, print forms, register and back-enter records, tallies',
  'downtime.verify': 'verify a back-entered record (second person), sign off reconciliation',
  'downtime.waive': 'HQ: waive back-entry / reconciliation so that an incident may close',
  // telling patients, regulators and the hospital
  'publicity.manage': 'announcements (edit, approve, publish, retry), patient feedback on the status page',
  'report.submit': 'record a regulator report as submitted (who, when, to whom, reference, the file as sent)',
  'review.edit': 'the post-incident review: root cause, lessons, corrective actions',
  // people and paging
  'people.manage': 'the people directory (contact details), role holders, duty rosters',
  'notify.test': 'send a marked test message to a person on a channel',
  // administration
  'access.manage': 'user accounts (add, disable, reset a password, unlock, link to a person) and API tokens',
  'channel.manage': 'notification channels set up in the browser (add, edit, test); their secrets are never shown',
  'plan.manage': 'upload a new version of the plan, check it, compare it with the active one and activate it',
  // drills
  'drill.run': 'schedule, start, pause and end drills; their scores, reports and corrective actions',
  'drill.observe': "mark the observers' evaluation sheet (观察评核表) during a drill",
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** The permission of each incident action type; any other evidence action of the plan needs `incident.evidence`. */
export const ACTION_PERMISSIONS: Record<string, Permission> = {
  acknowledge: 'incident.acknowledge',
  check_in: 'incident.check_in',
  restore: 'incident.restore',
  report: 'incident.report',
  set_level: 'incident.set_level',
  waive: 'obligation.waive',
  close: 'incident.close',
};
export const actionPermission = (type: unknown): Permission => (typeof type === 'string' && Object.hasOwn(ACTION_PERMISSIONS, type) ? ACTION_PERMISSIONS[type] : 'incident.evidence')!;

const READ = ['*.read'];
const RESPOND = ['incident.acknowledge', 'incident.check_in', 'incident.report', 'incident.evidence', 'incident.act'];

export interface RoleDef {
  /** 中文 / English label */
  label: { zh: string; en: string };
  /** Grants: a permission, `prefix.*`, `*.read` (every read) or `*` (everything). */
  permissions: readonly string[];
  /**
   * The plan role (plan.roles[].id) the person acts as in the engine, e.g. for `grading_policy.downgrade.by_roles`.
   * null: the role never acts. An account may override it (`lifeline user add … --plan-role ID`).
   */
  planRole: string | null;
}

/**
 * The organisation of the plan (seed:一): the command HQ (commander, deputy, members), the four working groups,
 * plus people who only look (viewer: the wall screen, department heads) or check (auditor).
 */
export const ROLES = {
  admin: {
    label: { zh: '系统管理员', en: 'Administrator' },
    permissions: ['*'],
    // The platform is run for the deputy commander (分管信息工作的副院长, who owns IT): an admin can do everything the
    // UI offers, lowering a level included. Give an IT-centre admin `--plan-role tech_lead` to act as such instead.
    planRole: 'deputy_commander',
  },
  commander: {
    label: { zh: '总指挥', en: 'Commander' },
    permissions: [...READ, 'incident.*', 'obligation.waive', 'signal.map', 'downtime.*', 'publicity.manage', 'report.submit', 'review.edit', 'drill.*'],
    planRole: 'commander', // in grading_policy.downgrade.by_roles: may lower the level
  },
  hq_member: {
    label: { zh: '指挥部成员', en: 'Command HQ member' },
    permissions: [...READ, 'incident.*', 'signal.map', 'downtime.*', 'publicity.manage', 'report.submit', 'review.edit', 'drill.*'],
    planRole: 'hq_member', // may raise the level and close; lowering stays with the commander and deputy
  },
  technical: {
    label: { zh: '技术保障组', en: 'Technical support group' },
    permissions: [...READ, ...RESPOND, 'incident.open', 'incident.impact', 'incident.restore', 'signal.post', 'signal.map', 'maintenance.manage', 'downtime.operate', 'review.edit', 'drill.observe'],
    planRole: 'tech_oncall', // the duty engineer; the group lead: `--plan-role tech_lead`
  },
  coordination: {
    label: { zh: '业务协调组', en: 'Business coordination group' },
    permissions: [...READ, ...RESPOND, 'incident.open', 'incident.impact', 'downtime.operate', 'downtime.verify', 'report.submit', 'drill.observe'],
    planRole: 'coordination_lead', // acts for the group, as the plan's obligations name its lead
  },
  logistics: {
    label: { zh: '后勤保障组', en: 'Logistics support group' },
    permissions: [...READ, ...RESPOND, 'incident.open', 'drill.observe'],
    planRole: 'logistics_lead',
  },
  publicity: {
    label: { zh: '宣传组', en: 'Publicity group' },
    permissions: [...READ, ...RESPOND, 'publicity.manage', 'report.submit', 'drill.observe'],
    planRole: 'publicity_lead',
  },
  viewer: {
    label: { zh: '只读', en: 'Viewer' },
    permissions: READ,
    planRole: null,
  },
  auditor: {
    label: { zh: '审计', en: 'Auditor' },
    permissions: [...READ, 'security.audit', 'drill.observe'],
    planRole: null,
  },
} as const satisfies Record<string, RoleDef>;

export type RoleId = keyof typeof ROLES;
export const ROLE_IDS = Object.keys(ROLES) as RoleId[];
export const isRole = (value: string): value is RoleId => Object.hasOwn(ROLES, value);

/** Whether grants cover a permission: exactly, by `prefix.*`, by `*.suffix` or by `*`. */
export function grants(granted: readonly string[], wanted: string): boolean {
  return granted.some((g) => g === '*' || g === wanted || (g.endsWith('.*') && wanted.startsWith(g.slice(0, -1))) || (g.startsWith('*.') && wanted.endsWith(g.slice(1))));
}

/** Every known permission a role holds (expanded; for display and docs). */
export const permissionsOf = (role: RoleId): Permission[] => (Object.keys(PERMISSIONS) as Permission[]).filter((p) => grants(ROLES[role].permissions, p));
