// Open incidents with their obligations and timelines. If the list endpoint returns summaries only,
// the details of each open incident are fetched (there are few open incidents at any time).
import { api } from '../api/endpoints';
import type { Incident } from '../api/types';
import { useResource } from './useResource';

const MAX_DETAIL_FETCHES = 30;

export async function fetchOpenIncidents(): Promise<Incident[]> {
  const { items } = await api.incidents('open');
  const needDetail = items.filter((i) => !Array.isArray(i.obligations) || !Array.isArray(i.timeline)).slice(0, MAX_DETAIL_FETCHES);
  if (needDetail.length === 0) return items.map(normalise);
  const details = await Promise.all(needDetail.map((i) => api.incident(i.id).catch(() => i)));
  const byId = new Map(details.map((d) => [d.id, d]));
  return items.map((i) => normalise(byId.get(i.id) ?? i));
}

function normalise(i: Incident): Incident {
  return { ...i, systems: i.systems ?? [], obligations: i.obligations ?? [], timeline: i.timeline ?? [], flags: i.flags ?? [], levelHistory: i.levelHistory ?? [] };
}

export function useOpenIncidents() {
  return useResource(fetchOpenIncidents, []);
}
