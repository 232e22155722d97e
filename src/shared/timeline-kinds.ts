/**
 * Every kind of timeline entry the server writes, with the `data` parameters its sentence needs. The web app
 * renders an entry from `kind` + `data` in the reader's language (web/src/lib/timeline.ts); `message` is English
 * for logs and the CLI only, so nothing a screen shows may have to be read out of it. Parameters are ids, numbers,
 * codes and the plan's own bilingual names ({ zh, en }), never English prose; free text a person typed (a reason,
 * a note) and what a monitoring tool or a delivery channel said (a summary, a delivery error) are kept as given.
 *
 * A parameter listed here is always present in the entry's data (its value may be null); `a|b` means one of them.
 * test/timeline-kinds.test.ts holds the writers and the web app to this list.
 */
export const TIMELINE_PARAMS = {
  // incidents (src/incidents)
  'incident.opened': [], // by a person (the actor), or by a signal: { signal }
  'incident.state': ['from', 'to'], // + reason (typed by a person) or cause (a STATE_CAUSES code)
  'incident.reported': ['title'], // a staff report on a system whose incident is open
  'incident.flapping': ['reopens', 'windowMs', 'paged'],
  'recovery.contradicted': ['claimAt', 'claimBy', 'signal', 'source', 'system', 'component', 'severity', 'summary'],
  'recovery.confirmed': ['claimAt', 'claimBy'],
  'signal.firing': ['signal', 'source', 'severity', 'system', 'component', 'summary'],
  'signal.resolved': ['signal', 'source', 'severity', 'system', 'component', 'summary'],
  'system.state': ['system', 'component', 'state'],
  'impact.scope': ['scope'], // + since when the person back-dates it
  'impact.scope_confirmed': ['scope'],
  'impact.scenario': ['scenario'],
  'impact.flag': ['flag', 'on'],
  'impact.tally': ['category', 'count'],
  'impact.national_grade': ['grade'], // null: cleared
  'level.manual': ['level', 'reason'],
  'level.changed': ['from', 'to', 'provisional', 'rule'],
  escalation: ['escalation', 'level'],
  // obligations (src/obligations, src/incidents)
  'obligation.met': ['obligation', 'by'],
  'obligation.met_late': ['obligation', 'by'],
  'obligation.waived': ['obligation', 'reason'],
  'obligation.ended': ['obligation'],
  'obligation.reopened': ['obligation'],
  'obligation.breached': ['obligation', 'lateMs'],
  // regulator reports (src/reports/regulators): a submission recorded; its obligation is met in the same entry's unit of work
  'regulator.report_submitted': ['obligation', 'to', 'reference', 'submittedAt'],
  'duty.done': ['obligation', 'note'],
  'page.requested': ['role', 'obligation|escalation'],
  // paging (src/notify)
  'page.queued': ['role', 'person', 'name', 'channels', 'deputyRank', 'deputyFor'],
  'page.not_sent': ['role', 'person', 'name'],
  'page.unreachable': ['role', 'person', 'name', 'why', 'lacking', 'deputies'],
  'page.unstaffed': ['role', 'deputies'],
  'page.sent': ['channel', 'kind', 'person', 'name', 'round'],
  'page.retry': ['channel', 'kind', 'person', 'name', 'failure', 'reason', 'retryAt'],
  'page.failed': ['channel', 'kind', 'person', 'name', 'failure', 'reason'],
  'page.repeat': ['role', 'person', 'round', 'limit'],
  'page.answered': ['person', 'role', 'action'],
  'page.acknowledged': ['person', 'name', 'role', 'action', 'via', 'pages'], // via: app | monitoring; their open pages stop
  // intake noise control (src/intake)
  'signal.acknowledged': ['signal', 'source', 'author', 'summary'],
  // checklists (src/tasks)
  'checklist.done': ['item', 'group', 'text'],
  'checklist.undone': ['item', 'group', 'text'],
  'checklist.assigned': ['item', 'group', 'text', 'assignee'],
  // manual mode (src/downtime)
  'downtime.started': ['businessLine', 'line', 'department', 'departmentName'],
  'downtime.state': ['from', 'to', 'businessLine', 'line', 'department', 'departmentName'], // + reason (typed) or cause + record
  'downtime.waived': ['state', 'reason', 'businessLine', 'line', 'department', 'departmentName'],
  'downtime.tally': ['department', 'departmentName', 'counts'],
  // post-incident review (src/reports/post-incident)
  'review.updated': ['fields'], // which of summary, rootCause, lessons changed
  'corrective_action.added': ['action', 'title', 'owner', 'ownerName', 'due'],
  'corrective_action.changed': ['action', 'title', 'fields'], // + ownerName / due when they changed
  'corrective_action.done': ['action', 'title', 'note'],
  'corrective_action.reopened': ['action', 'title'],
  // drills (src/drills): a drill incident's run started (its time factor), paused, resumed, ended
  'drill.started': ['runId', 'timeFactor'],
  'drill.paused': ['runId'],
  'drill.resumed': ['runId'],
  'drill.ended': ['runId'],
  // patient feedback from the status page (src/publicity/status): the publicity group answered it; + answer (typed by a person)
  'feedback.answered': ['feedback', 'service'],
} as const satisfies Record<string, readonly string[]>;

export type TimelineKind = keyof typeof TIMELINE_PARAMS;

/** The fixed kinds, in the order above. */
export const TIMELINE_KINDS = Object.keys(TIMELINE_PARAMS) as TimelineKind[];

/** A person's recorded action (`action.<evidence id of the plan>`, e.g. action.acknowledge): data { action, note }. */
export const ACTION_KIND_PREFIX = 'action.';
export type ActionKind = `action.${string}`;
export const ACTION_PARAMS = ['action', 'note'] as const;
export const actionKind = (evidence: string): ActionKind => `${ACTION_KIND_PREFIX}${evidence}` as ActionKind;

/** Every kind a timeline row may have. */
export type AnyTimelineKind = TimelineKind | ActionKind;

export const isTimelineKind = (kind: string): kind is AnyTimelineKind => Object.hasOwn(TIMELINE_PARAMS, kind) || (kind.startsWith(ACTION_KIND_PREFIX) && kind.length > ACTION_KIND_PREFIX.length);

/** The parameters `data` must carry for a kind (undefined for a kind the server does not write). */
export const timelineParams = (kind: string): readonly string[] | undefined =>
  Object.hasOwn(TIMELINE_PARAMS, kind) ? TIMELINE_PARAMS[kind as TimelineKind] : kind.startsWith(ACTION_KIND_PREFIX) ? ACTION_PARAMS : undefined;

/** Why an incident changed state without a person giving a reason (`incident.state` data.cause). */
export const STATE_CAUSES = ['alert_firing_again', 'staff_report', 'claim_contradicted', 'flapping'] as const;
/** Why paging could not reach a person (`page.unreachable` data.why); `no_address` names the channels in data.lacking. */
export const UNREACHABLE_WHY = ['not_in_directory', 'inactive', 'no_address'] as const;
export type UnreachableWhy = (typeof UNREACHABLE_WHY)[number];
/** Why a delivery failed (`page.retry`/`page.failed` data.failure): `channel_removed` by Lifeline; `channel` when the channel said why (data.reason, its own words). */
export const DELIVERY_FAILURES = ['channel', 'channel_removed'] as const;
/** Why a reconciled manual-mode session went back to back entry (`downtime.state` data.cause, with data.record). */
export const DOWNTIME_CAUSES = ['late_record'] as const;
