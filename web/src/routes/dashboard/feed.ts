// The entries a feed of the latest events shows: decisions, levels, acknowledgements, check-ins, restorations and
// deadlines — not the paging traffic (page.sent, page.repeat… several per person and round) nor each alarm.
import type { TimelineEntry } from '../../api/types';

const FEED_KINDS = [
  'incident.opened',
  'incident.state',
  'incident.reported',
  'level.',
  'escalation',
  'action.',
  'obligation.breached',
  'obligation.met',
  'obligation.waived',
  'recovery.',
  'impact.scope',
  'impact.national_grade',
  'downtime.started',
  'regulator.',
  'duty.done',
  'checklist.done',
  'note',
];

export const isFeedEntry = (e: Pick<TimelineEntry, 'kind'>): boolean => FEED_KINDS.some((k) => (k.endsWith('.') ? e.kind.startsWith(k) : e.kind === k || e.kind.startsWith(`${k}_`)));
