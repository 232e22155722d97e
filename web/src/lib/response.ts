// What the incident page reads out of the response loop's timeline: whether a person's "restored" stands
// contradicted by the monitoring right now, and which outage of a relapsing incident an obligation belongs to.
// Pure functions over the incident view (test/web-incident-response-logic.test.ts).
// No imports (like timeline.ts): the server's type-check and tests load this file as it is.
type Entry = { at: string; kind: string; data: unknown };
type Incident = { openedAt: string; timeline: Entry[] };
type Obligation = { triggeredAt: string; state: string };

const dataOf = (e: Entry) => (e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {});
const latest = (entries: Entry[], match: (e: Entry) => boolean): Entry | undefined =>
  entries.filter(match).reduce<Entry | undefined>((last, e) => (!last || Date.parse(e.at) >= Date.parse(last.at) ? e : last), undefined);

/** A recovery: the incident went to recovering (a person's "restored" or the monitoring), or the monitoring confirmed a claim. */
const isRecovery = (e: Entry) => (e.kind === 'incident.state' && dataOf(e).to === 'recovering') || e.kind === 'recovery.confirmed';

/**
 * The latest `recovery.contradicted` entry while nothing has recovered since (a later restore or a confirmation
 * ends it): a person's claim that live evidence contradicts, for the page to show prominently.
 */
export function activeContradiction<E extends Entry>(timeline: readonly E[]): E | undefined {
  const contradiction = latest([...timeline], (e) => e.kind === 'recovery.contradicted') as E | undefined;
  if (!contradiction) return undefined;
  const recovery = latest([...timeline], isRecovery);
  // at the same instant the contradiction is the later event (it answers that claim)
  return !recovery || Date.parse(contradiction.at) >= Date.parse(recovery.at) ? contradiction : undefined;
}

/** When each outage began: the opening, then every relapse (the incident back to responding). */
export function outageStarts(incident: Pick<Incident, 'openedAt' | 'timeline'>): number[] {
  const relapses = incident.timeline.filter((e) => e.kind === 'incident.state' && dataOf(e).to === 'responding').map((e) => Date.parse(e.at));
  return [Date.parse(incident.openedAt), ...relapses].filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
}

/** Which outage (1, 2 …) an obligation belongs to, from its `triggeredAt`; never more than the incident's count. */
export function outageOf(o: Pick<Obligation, 'triggeredAt'>, starts: readonly number[], outages: number): number {
  const at = Date.parse(o.triggeredAt ?? '');
  if (Number.isNaN(at)) return 1;
  return Math.max(1, Math.min(outages, starts.filter((s) => s <= at).length));
}

/** Obligation states that still ask something of someone (also after the incident closed). */
export const OPEN_OBLIGATION_STATES: readonly string[] = ['pending', 'breached'];
export const isOpenObligation = (o: Pick<Obligation, 'state'>) => OPEN_OBLIGATION_STATES.includes(o.state);
