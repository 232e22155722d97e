// Open incidents with their obligations and timelines. The list endpoint returns summaries (no level history,
// timeline or alerts), so the details of each open incident are fetched (there are few open incidents at any time).
import { api } from '../api/endpoints';
import type { Incident, IncidentSummary } from '../api/types';
import { useResource } from './useResource';

const MAX_DETAIL_FETCHES = 30;

/** The last details seen per incident: the list is shown at once with them, then with the fresh details. */
const lastDetail = new Map<string, Incident>();

const hasDetail = (i: IncidentSummary | Incident): i is Incident => Array.isArray(i.obligations) && 'timeline' in i && Array.isArray(i.timeline);

export async function fetchOpenIncidents(early?: (value: Incident[]) => void): Promise<Incident[]> {
  const { items } = await api.incidents('open');
  const needDetail = items.filter((i) => !hasDetail(i)).slice(0, MAX_DETAIL_FETCHES);
  if (needDetail.length === 0) return items.map(normalise);
  // a new incident shows within one round trip; its timeline follows with the details
  early?.(items.map((i) => normalise({ ...lastDetail.get(i.id), ...i })));
  const details = await Promise.all(needDetail.map((i) => api.incident(i.id).catch(() => i)));
  const byId = new Map(details.map((d) => [d.id, d]));
  for (const d of details) if (hasDetail(d)) lastDetail.set(d.id, d);
  for (const id of lastDetail.keys()) if (!items.some((i) => i.id === id)) lastDetail.delete(id);
  return items.map((i) => normalise(byId.get(i.id) ?? i));
}

/** A summary (or a detail) as a detail: what the list lacks is empty until the details arrive. */
function normalise(i: IncidentSummary & Partial<Incident>): Incident {
  return { ...i, systems: i.systems ?? [], obligations: i.obligations ?? [], timeline: i.timeline ?? [], flags: i.flags ?? [], levelHistory: i.levelHistory ?? [], alerts: i.alerts ?? [] };
}

export function useOpenIncidents() {
  return useResource(fetchOpenIncidents, []);
}
