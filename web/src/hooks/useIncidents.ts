// Open incidents with their obligations and timelines. If the list endpoint returns summaries only,
// the details of each open incident are fetched (there are few open incidents at any time).
import { api } from '../api/endpoints';
import type { Incident } from '../api/types';
import { useResource } from './useResource';

const MAX_DETAIL_FETCHES = 30;

/** The last details seen per incident: the list is shown at once with them, then with the fresh details. */
const lastDetail = new Map<string, Incident>();

export async function fetchOpenIncidents(early?: (value: Incident[]) => void): Promise<Incident[]> {
  const { items } = await api.incidents('open');
  const needDetail = items.filter((i) => !Array.isArray(i.obligations) || !Array.isArray(i.timeline)).slice(0, MAX_DETAIL_FETCHES);
  if (needDetail.length === 0) return items.map(normalise);
  // a new incident shows within one round trip; its timeline follows with the details
  early?.(items.map((i) => normalise({ ...lastDetail.get(i.id), ...i } as Incident)));
  const details = await Promise.all(needDetail.map((i) => api.incident(i.id).catch(() => i)));
  const byId = new Map(details.map((d) => [d.id, d]));
  for (const d of details) if (Array.isArray(d.timeline)) lastDetail.set(d.id, d);
  for (const id of lastDetail.keys()) if (!items.some((i) => i.id === id)) lastDetail.delete(id);
  return items.map((i) => normalise(byId.get(i.id) ?? i));
}

function normalise(i: Incident): Incident {
  return { ...i, systems: i.systems ?? [], obligations: i.obligations ?? [], timeline: i.timeline ?? [], flags: i.flags ?? [], levelHistory: i.levelHistory ?? [] };
}

export function useOpenIncidents() {
  return useResource(fetchOpenIncidents, []);
}
