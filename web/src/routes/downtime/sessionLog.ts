// A manual-mode session's log as sentences in the UI language, from each event's `kind` and `data`: never a raw
// kind, an internal id, JSON or an epoch time on screen.
type Data = Record<string, unknown>;
type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface SessionLogEvent {
  kind: string;
  subject?: string | null;
  data?: unknown;
}

export interface SessionLogHelpers {
  t: Translate;
  exists: (key: string) => boolean;
  /** An instant (epoch ms or ISO) as the screens show it. */
  time: (at: number | string) => string;
  stepText: (id: string) => string | undefined;
  formTitle: (type: string) => string;
}

const s = (v: unknown) => (v == null ? '' : String(v));
const named = (h: SessionLogHelpers, prefix: string, v: unknown) => (h.exists(`${prefix}.${s(v)}`) ? h.t(`${prefix}.${s(v)}`) : h.t('downtime.log.otherValue'));
const why = (h: SessionLogHelpers, v: unknown) => (typeof v === 'string' && v.trim() ? h.t('downtime.log.because', { reason: v }) : '');

const RENDER: Record<string, (d: Data, h: SessionLogHelpers, e: SessionLogEvent) => string> = {
  started: () => '',
  state: (d, h) =>
    h.t('downtime.log.stateText', { from: named(h, 'downtime.state', d.from), to: named(h, 'downtime.state', d.to) }) +
    (d.cause === 'late_record' ? h.t('downtime.log.lateRecord', { record: s(d.record) }) : '') +
    why(h, d.reason),
  step: (d, h, e) => h.t(d.done === false ? 'downtime.log.stepUndone' : 'downtime.log.stepDone', { step: h.stepText(s(e.subject)) ?? h.t('downtime.log.otherValue') }) + why(h, d.note),
  waived: (d, h) => why(h, d.reason),
  registered: (d, h) => h.t('downtime.log.registeredText', { record: named(h, 'downtime.record', d.recordType), serial: s(d.serial) || '—' }) + (d.tempNumber ? ` · ${s(d.tempNumber)}` : ''),
  entered: (d, h) =>
    h.t('downtime.log.enteredText', { id: s(d.hospitalId), time: typeof d.eventAt === 'number' || typeof d.eventAt === 'string' ? h.time(d.eventAt) : '—' }) +
    (d.overdue ? h.t('downtime.log.overdue') : ''),
  verified: () => '',
  item_void: (d, h) => why(h, d.reason),
  charged: (d, h) => (d.state === 'exempt' ? h.t('downtime.log.exempt') + why(h, d.reason) : h.t('downtime.log.chargedText', { ref: s(d.ref) || '—' })),
  mi: (d, h) => named(h, 'downtime.mi', d.status),
  merged: (_d, h, e) => h.t('downtime.log.mergedText', { id: s(e.subject) }),
  issued: (d, h) => h.t('downtime.log.issuedText', { count: d.count, kind: named(h, 'downtime.kind', d.kind), first: s(d.first), last: s(d.last) }),
  printed: (d, h) => h.t('downtime.log.printedText', { count: d.count, form: h.formTitle(s(d.type)), first: s(d.first), last: s(d.last) }),
};

/** What happened, as a short label (`downtime.log.kind.<kind>`). */
export function sessionLogKind(kind: string, h: SessionLogHelpers): string {
  const k = kind.replace(/^downtime\./, '');
  return h.exists(`downtime.log.kind.${k}`) ? h.t(`downtime.log.kind.${k}`) : h.t('downtime.log.kind.other');
}

/** The details of the event, worded; '' when the label says it all. */
export function sessionLogText(e: SessionLogEvent, h: SessionLogHelpers): string {
  const render = RENDER[e.kind.replace(/^downtime\./, '')];
  return render ? render((e.data && typeof e.data === 'object' ? e.data : {}) as Data, h, e) : '';
}
