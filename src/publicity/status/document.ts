import type { Plan } from '../../plan/types.js';
import { affectedServices, systemStatesOf } from './services.js';
import type { OverallState, PublicNotice, ServiceState, StatusDocument } from './types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const OVERALL_RANK: Record<ServiceState, number> = { down: 3, degraded: 2, recovering: 1, normal: 0 };

/** What the status page reads of an open incident (IncidentSummary has these fields). */
export interface IncidentLike {
  id: string;
  state: string;
  level: string;
  openedAt: string;
  systems: { system: string; state: string }[];
}

/**
 * The public status document: every patient service with its state and alternatives, the published
 * announcements (newest first), the expected recovery time. Internal details (levels, system ids) only when the
 * plan's `status_page` marks them public. `updatedAt` is filled by the caller (the time of the last change). Pure.
 */
export function statusDocument(plan: Plan, incidents: readonly IncidentLike[], notices: readonly PublicNotice[], updatedAt: number): StatusDocument {
  const settings = plan.status_page;
  const open = incidents.filter((i) => i.state !== 'closed');
  const services = affectedServices(plan, systemStatesOf(open));
  let overall: OverallState = 'normal';
  for (const s of services) if (OVERALL_RANK[s.state] > OVERALL_RANK[overall]) overall = s.state;
  const openIds = new Set(open.map((i) => i.id));
  const sorted = [...notices].sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? 1 : -1));
  // the expected recovery: the newest notice about an open incident that names one (none while all is normal)
  const current = overall === 'normal' ? undefined : sorted.find((n) => n.expectedRecoveryAt !== null && (n.incidentId === null || openIds.has(n.incidentId)) && n.kind !== 'all_clear');
  return {
    hospital: { title: settings?.title ?? plan.plan.title, contact: settings?.contact ?? null },
    overall,
    updatedAt: new Date(updatedAt).toISOString(),
    expectedRecoveryAt: iso(current?.expectedRecoveryAt ?? null),
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      state: s.state,
      alternatives: s.alternatives,
      note: s.note,
      ...(settings?.show_systems ? { systems: s.systems } : {}),
    })),
    announcements: sorted.map((n) => ({
      id: n.id,
      kind: n.kind,
      publishedAt: new Date(n.publishedAt).toISOString(),
      title: n.title,
      body: n.body,
      expectedRecoveryAt: iso(n.expectedRecoveryAt),
      services: n.services,
    })),
    ...(settings?.show_levels ? { incidents: open.map((i) => ({ level: i.level, since: i.openedAt })) } : {}),
  };
}
