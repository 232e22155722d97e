// Timeline entries as sentences in the UI language, from `kind` + `data` alone. The server's `message` is English
// for logs and the CLI: nothing here reads it. Every kind the server writes (src/shared/timeline-kinds.ts) has a
// renderer in TIMELINE_RENDERERS (test/timeline-kinds.test.ts compares the two); a kind from a newer server is
// shown as a generic, translated line with its code. No imports: the server's tests load this file as it is.

type Data = Record<string, unknown>;

/** What a renderer reads of an entry (web/src/api/types.ts TimelineEntry has it): never `message`. */
export interface TimelineEntryLike {
  kind: string;
  actor?: string | null;
  data?: unknown;
}

/** What a renderer needs from i18next and the plan (the hook supplies them; tests pass an i18next instance). */
export interface TimelineHelpers {
  /** i18next `t`: a key, and interpolation values or a default value. */
  t: (key: string, options?: Record<string, unknown> | string) => string;
  exists: (key: string) => boolean;
  /** A plan text ({ zh, en }) in the UI language; '' for anything else. */
  pick: (text: unknown) => string;
  systemName: (id: string) => string | undefined;
  roleName: (id: string) => string | undefined;
  scenarioName: (id: string) => string | undefined;
  evidenceName: (id: string) => string | undefined;
  /** An obligation of the plan by what it asks (for ids that are not clause numbers, e.g. RR.mi). */
  obligationName?: (id: string) => string | undefined;
  /** A duration such as 1:05:00 (lib/format formatClock). */
  duration: (ms: number) => string;
  /** An instant as the screens show it (lib/format formatTime). */
  time: (ms: number) => string;
}

type Render = (e: TimelineEntryLike, d: Data, h: TimelineHelpers) => string;

/** An action is `action.<evidence id of the plan>`. */
export const ACTION_KIND_PREFIX = 'action.';

const s = (v: unknown) => (v == null ? '' : String(v));
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const note = (v: unknown) => (typeof v === 'string' && v.trim() ? ` — ${v}` : '');

export function timelineActor(a: string | undefined | null, h: Pick<TimelineHelpers, 't'>): string {
  if (!a) return '';
  if (a === 'system') return h.t('common.system');
  if (a === 'paging') return h.t('tl.pagingActor');
  if (a.startsWith('token:')) return h.t('tl.tokenActor'); // an API token's name is a technical id
  return a.startsWith('source:') ? a.slice('source:'.length) : a;
}

const sys = (v: unknown, h: TimelineHelpers) => (str(v) ? (h.systemName(str(v)) ?? str(v)) : '');
const role = (v: unknown, h: TimelineHelpers) => (str(v) ? (h.roleName(str(v)) ?? str(v)) : '');
/** An action of the plan by its name; one Lifeline records itself (`downtime.session_started`) by its own text. */
const evidence = (id: string, h: TimelineHelpers) =>
  h.evidenceName(id) ??
  (h.exists(`timelineKind.action.${id}`)
    ? h.t(`timelineKind.action.${id}`)
    : h.exists(`timelineKind.linked.${id.replace(/\./g, '_')}`)
      ? h.t(`timelineKind.linked.${id.replace(/\./g, '_')}`)
      : h.t('timelineKind.unknown'));
const component = (v: unknown) => (str(v) ? ` / ${str(v)}` : '');
const person = (d: Data) => s(d.name ?? d.person);

/** A configured channel id when translated (sms, wecom …), else the family of its notifier kind (sms-aliyun → sms). */
function channel(id: unknown, notifier: unknown, h: TimelineHelpers): string {
  const c = str(id);
  if (c && h.exists(`channel.${c}`)) return h.t(`channel.${c}`);
  const family = str(notifier).split('-')[0];
  return family && h.exists(`channel.${family}`) ? h.t(`channel.${family}`) : c;
}
const channels = (v: unknown, h: TimelineHelpers) => (Array.isArray(v) ? v.map((x) => channel(x, undefined, h)).join(h.t('tl.listSep')) : '');

/** Why paging cannot reach a person: a code, with the channels lacking an address. */
function why(d: Data, h: TimelineHelpers): string {
  if (d.why === 'not_in_directory') return h.t('tl.whyNotInDirectory');
  if (d.why === 'inactive') return h.t('tl.whyInactive');
  if (d.why === 'no_address') return Array.isArray(d.lacking) && d.lacking.length ? h.t('tl.whyNoAddress', { channels: channels(d.lacking, h) }) : h.t('tl.whyNoAddressAny');
  return str(d.why);
}

/** Why a delivery failed: Lifeline's own reasons are codes; a channel's answer is shown as it said it. */
const failure = (d: Data, h: TimelineHelpers) => (d.failure === 'channel_removed' ? h.t('tl.failChannelRemoved') : s(d.reason));

const deputyFor = (d: Data, h: TimelineHelpers) => (d.deputyForRole ? h.t('tl.deputyForRole', { role: role(d.deputyForRole, h) }) : d.deputyFor ? h.t('tl.deputyFor', { name: s(d.deputyFor) }) : '');
const deputies = (d: Data, h: TimelineHelpers) => (typeof d.deputies !== 'number' ? '' : h.t(d.deputies > 0 ? 'tl.pagingDeputy' : 'tl.noDeputy'));

const where = (d: Data, h: TimelineHelpers) => [h.pick(d.line) || str(d.businessLine), h.pick(d.departmentName) || str(d.department)].filter(Boolean).join(' @ ');
const downtimeState = (v: unknown, h: TimelineHelpers) => h.t(`downtime.state.${s(v)}`, s(v));
/** An obligation: a clause-like id (O3.1) as it is in the plan, a word-like one (RR.mi) by what it asks. */
const obligationOf = (id: string, h: TimelineHelpers) => (/\d/.test(id) ? id : (h.obligationName?.(id) ?? h.obligationName?.(id.replace(/\.summary$/, '')) ?? id));
const obligation = (d: Data, h?: TimelineHelpers) => (h ? obligationOf(s(d.obligation), h) : s(d.obligation));
/** The fields a review or corrective-action change touched (data.fields: summary, rootCause, lessons, title, owner, due, note). */
const reviewFields = (d: Data, h: TimelineHelpers) => (Array.isArray(d.fields) ? d.fields.map((f) => h.t(`tl.reviewField.${s(f)}`, s(f))).join(h.t('tl.listSep')) : '');

const signal =
  (key: string): Render =>
  (e, d, h) =>
    h.t(key, { source: str(d.source) || timelineActor(e.actor, h), system: sys(d.system, h), component: component(d.component), severity: h.t(`colour.${s(d.severity)}`, s(d.severity)) }) +
    (str(d.summary) ? ` — ${str(d.summary)}` : '');

const checklistItem = (d: Data, h: TimelineHelpers) => h.pick(d.text) || s(d.item);

/** "（自 HH:MM 起）" when a person back-dated the fact (data.since, epoch ms). */
const since = (d: Data, h: TimelineHelpers) => (typeof d.since === 'number' ? h.t('tl.since', { time: h.time(d.since) }) : '');
/** When and by whom a person said "restored" (recovery.* data.claimAt epoch ms, data.claimBy). */
const claim = (d: Data, h: TimelineHelpers) => ({ by: s(d.claimBy) || '—', time: typeof d.claimAt === 'number' ? h.time(d.claimAt) : '—' });

/** A person's "restored" contradicted by a live alarm: who said it when, and what the monitoring still reports. */
export function contradictionText(d: Data, h: TimelineHelpers): string {
  return (
    h.t('tl.recoveryContradicted', {
      ...claim(d, h),
      source: str(d.source) || h.t('tl.monitoring'),
      system: sys(d.system, h),
      component: component(d.component),
      severity: h.t(`colour.${s(d.severity)}`, s(d.severity)),
    }) + (str(d.summary) ? ` — ${str(d.summary)}` : '')
  );
}

/** One renderer per kind the server writes; `action.*` below. */
export const TIMELINE_RENDERERS = {
  'incident.opened': (e, _d, h) => h.t('tl.opened', { actor: timelineActor(e.actor, h) }),
  'incident.reported': (e, d, h) => h.t('tl.reported', { actor: timelineActor(e.actor, h), title: s(d.title) }),
  'incident.flapping': (_e, d, h) =>
    h.t('tl.flapping', { reopens: s(d.reopens), window: typeof d.windowMs === 'number' ? h.duration(d.windowMs) : '—' }) + h.t(d.paged ? 'tl.flappingPaged' : 'tl.flappingQuiet'),
  'recovery.contradicted': (_e, d, h) => contradictionText(d, h),
  'recovery.confirmed': (_e, d, h) => h.t('tl.recoveryConfirmed', claim(d, h)),
  'incident.state': (_e, d, h) =>
    h.t('tl.state', { from: h.t(`incidentState.${s(d.from)}`, s(d.from)), to: h.t(`incidentState.${s(d.to)}`, s(d.to)) }) +
    (d.cause ? ` — ${h.t(`tl.stateCause.${s(d.cause)}`, s(d.cause))}` : '') +
    note(d.reason),
  'signal.firing': signal('tl.signalFiring'),
  'signal.resolved': signal('tl.signalResolved'),
  'system.state': (_e, d, h) => h.t('tl.systemState', { system: sys(d.system, h), component: component(d.component), state: h.t(`systemState.${s(d.state)}`, s(d.state)) }),
  'impact.scope': (_e, d, h) => h.t('tl.scope', { scope: h.t(`scope.${s(d.scope)}`, s(d.scope)) }) + since(d, h),
  'impact.scope_confirmed': (_e, d, h) => h.t('tl.scopeConfirmed', { scope: h.t(`scope.${s(d.scope)}`, s(d.scope)) }),
  'impact.scenario': (_e, d, h) => h.t('tl.scenario', { scenario: (str(d.scenario) && (h.scenarioName(str(d.scenario)) ?? str(d.scenario))) || '—' }) + since(d, h),
  'impact.flag': (_e, d, h) => h.t(d.on === false ? 'tl.flagOff' : 'tl.flagOn', { flag: h.t(`flag.${s(d.flag)}`, s(d.flag)) }) + since(d, h),
  'impact.tally': (_e, d, h) => h.t('tl.tally', { category: h.t(`tally.${s(d.category)}`, s(d.category)), count: d.count }),
  'impact.national_grade': (_e, d, h) => (d.grade ? h.t('tl.nationalGrade', { grade: s(d.grade) }) : h.t('tl.nationalGradeCleared')),
  'regulator.report_submitted': (_e, d, h) => h.t('tl.regulatorSubmitted', { rule: obligation(d, h), to: s(d.to), reference: s(d.reference) }),
  'level.manual': (_e, d, h) => h.t('tl.levelManual', { level: h.t(`level.short.${s(d.level)}`, s(d.level)), reason: s(d.reason) }),
  'level.changed': (_e, d, h) =>
    h.t('tl.levelChanged', {
      from: h.t(`level.short.${s(d.from)}`, s(d.from)),
      to: h.t(`level.short.${s(d.to)}`, s(d.to)),
      provisional: d.provisional ? h.t('tl.provisionalSuffix') : '',
      rule: d.rule === 'manual' ? h.t('rule.manual') : s(d.rule),
    }),
  escalation: (_e, d, h) => (d.level ? h.t('tl.escalationTo', { rule: s(d.escalation), level: h.t(`level.short.${s(d.level)}`, s(d.level)) }) : h.t('tl.escalation', { rule: s(d.escalation) })),
  'obligation.met': (_e, d, h) => h.t('tl.obligationMet', { rule: obligation(d, h) }),
  'obligation.met_late': (_e, d, h) => h.t('tl.obligationMetLate', { rule: obligation(d, h) }),
  'obligation.waived': (_e, d, h) => h.t('tl.obligationWaived', { rule: obligation(d, h), reason: s(d.reason) }),
  'obligation.ended': (_e, d, h) => h.t('tl.obligationEnded', { rule: obligation(d, h) }),
  'obligation.reopened': (_e, d, h) => h.t('tl.obligationReopened', { rule: obligation(d, h) }),
  'obligation.breached': (_e, d, h) => h.t('tl.obligationBreached', { rule: obligation(d, h), late: typeof d.lateMs === 'number' && d.lateMs >= 1000 ? h.duration(d.lateMs) : '' }),
  'duty.done': (_e, d, h) => h.t('tl.dutyDone', { rule: obligation(d, h) }) + note(d.note),
  'page.requested': (_e, d, h) => h.t('tl.pageRequested', { role: role(d.role, h), rule: d.obligation ? obligation(d, h) : s(d.escalation) }),
  'page.queued': (_e, d, h) => h.t('tl.pageQueued', { name: person(d), role: role(d.role, h), channels: channels(d.channels, h) }) + deputyFor(d, h),
  'page.not_sent': (_e, d, h) => h.t('tl.pageNotSent', { name: person(d), role: role(d.role, h) }),
  'page.unreachable': (_e, d, h) => h.t('tl.pageUnreachable', { name: person(d), role: role(d.role, h), why: why(d, h) }) + deputies(d, h),
  'page.unstaffed': (_e, d, h) => h.t('tl.pageUnstaffed', { role: role(d.role, h) }) + deputies(d, h),
  'page.sent': (_e, d, h) =>
    h.t('tl.pageSent', { name: person(d), channel: channel(d.channel, d.kind, h) }) + (typeof d.round === 'number' && d.round > 1 ? h.t('tl.pageRound', { round: d.round }) : ''),
  'page.retry': (_e, d, h) =>
    h.t('tl.pageRetry', {
      name: person(d),
      channel: channel(d.channel, d.kind, h),
      reason: failure(d, h),
      time: typeof d.retryAt === 'number' ? h.time(d.retryAt) : '—',
    }),
  'page.failed': (_e, d, h) => h.t('tl.pageFailed', { name: person(d), channel: channel(d.channel, d.kind, h), reason: failure(d, h) }),
  'page.repeat': (_e, d, h) => h.t('tl.pageRepeat', { role: role(d.role, h), round: s(d.round), limit: s(d.limit) }),
  'page.answered': (e, d, h) => h.t('tl.pageAnswered', { actor: timelineActor(e.actor, h), action: h.t(`timelineKind.action.${s(d.action)}`, s(d.action)) }),
  'page.acknowledged': (_e, d, h) =>
    h.t(d.via === 'monitoring' ? 'tl.pageAcknowledgedTool' : 'tl.pageAcknowledgedApp', { name: person(d), role: role(d.role, h), action: h.t(`timelineKind.action.${s(d.action)}`, s(d.action)) }),
  'signal.acknowledged': (e, d, h) =>
    h.t('tl.signalAcknowledged', { source: str(d.source) || timelineActor(e.actor, h) }) + (d.author ? ` · ${s(d.author)}` : '') + (str(d.summary) ? ` — ${str(d.summary)}` : ''),
  'checklist.done': (_e, d, h) => h.t('tl.checklistDone', { item: checklistItem(d, h) }),
  'checklist.undone': (_e, d, h) => h.t('tl.checklistUndone', { item: checklistItem(d, h) }),
  'checklist.assigned': (_e, d, h) => (d.assignee ? h.t('tl.checklistAssigned', { item: checklistItem(d, h), assignee: s(d.assignee) }) : h.t('tl.checklistUnassigned', { item: checklistItem(d, h) })),
  'downtime.started': (_e, d, h) => h.t('tl.downtimeStarted', { where: where(d, h) }),
  'downtime.state': (_e, d, h) =>
    h.t('tl.downtimeState', { from: downtimeState(d.from, h), to: downtimeState(d.to, h) }) +
    (where(d, h) ? h.t('tl.paren', { text: where(d, h) }) : '') +
    (d.cause === 'late_record' ? ` — ${h.t('tl.downtimeLateRecord', { record: s(d.record) })}` : d.cause ? ` — ${s(d.cause)}` : '') +
    note(d.reason),
  'downtime.waived': (_e, d, h) => h.t('tl.downtimeWaived', { state: downtimeState(d.state, h), reason: s(d.reason) }) + (where(d, h) ? h.t('tl.paren', { text: where(d, h) }) : ''),
  'downtime.tally': (_e, d, h) => {
    const counts = d.counts && typeof d.counts === 'object' ? Object.entries(d.counts as Record<string, unknown>) : [];
    return h.t('tl.downtimeTally', {
      department: h.pick(d.departmentName) || s(d.department),
      counts: counts.map(([c, n]) => `${h.t(`downtime.tally.${c}`, c)} ${s(n)}`).join(h.t('tl.listSep')),
    });
  },
  'review.updated': (_e, d, h) => h.t('tl.reviewUpdated', { fields: reviewFields(d, h) }),
  'corrective_action.added': (_e, d, h) => h.t('tl.caAdded', { title: s(d.title), owner: s(d.ownerName ?? d.owner), due: s(d.due) }),
  'corrective_action.changed': (_e, d, h) => h.t('tl.caChanged', { title: s(d.title), fields: reviewFields(d, h) }),
  'corrective_action.done': (_e, d, h) => h.t('tl.caDone', { title: s(d.title) }) + note(d.note),
  'corrective_action.reopened': (_e, d, h) => h.t('tl.caReopened', { title: s(d.title) }),
  'feedback.answered': (_e, d, h) => h.t('tl.feedbackAnswered') + note(d.answer),
  'drill.started': (_e, d, h) => h.t('tl.drillStarted', { factor: typeof d.timeFactor === 'number' ? d.timeFactor : 1 }),
  'drill.paused': (_e, _d, h) => h.t('tl.drillPaused'),
  'drill.resumed': (_e, _d, h) => h.t('tl.drillResumed'),
  'drill.ended': (_e, _d, h) => h.t('tl.drillEnded'),
} satisfies Record<string, Render>;

export type RenderedKind = keyof typeof TIMELINE_RENDERERS;
export const RENDERED_KINDS = Object.keys(TIMELINE_RENDERERS) as RenderedKind[];

/** A person's note as written; a note Lifeline wrote itself (the platform event that recorded the action, e.g. `downtime.session_started`) by its text. */
const actionNote = (v: unknown, h: TimelineHelpers) => {
  const linked = `timelineKind.linked.${str(v).replace(/\./g, '_')}`;
  return /^downtime\.[a-z_]+$/.test(str(v)) && h.exists(linked) ? ` — ${h.t(linked)}` : note(v);
};
const renderAction: Render = (e, d, h) => h.t('tl.action', { action: evidence(e.kind.slice(ACTION_KIND_PREFIX.length), h), actor: timelineActor(e.actor, h) }) + actionNote(d.note, h);

const isRendered = (kind: string): kind is RenderedKind => Object.hasOwn(TIMELINE_RENDERERS, kind);

/** The entry as a sentence in the UI language. */
export function timelineText(e: TimelineEntryLike, h: TimelineHelpers): string {
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
  if (isRendered(e.kind)) return (TIMELINE_RENDERERS[e.kind] as Render)(e, d, h);
  if (e.kind.startsWith(ACTION_KIND_PREFIX)) return renderAction(e, d, h);
  return h.t('tl.unknown', { kind: e.kind }); // a kind of a newer server: never its English message
}

/** The kind's label: translated, the plan's name of an action, or the generic label. */
export function timelineKindLabel(kind: string, h: TimelineHelpers): string {
  if (h.exists(`timelineKind.${kind}`)) return h.t(`timelineKind.${kind}`);
  if (kind.startsWith(ACTION_KIND_PREFIX)) return evidence(kind.slice(ACTION_KIND_PREFIX.length), h);
  return h.t('timelineKind.unknown');
}

/** Who did something, for any screen: a person's name as stored, `system`/`paging` and API tokens worded (never `token:NAME`). */
export const actorLabel = (a: string | null | undefined, t: (key: string) => string): string => timelineActor(a, { t: (key) => t(key) });
