// Permission names the UI checks against `session.user.permissions`.
// A grant matches exactly, by a trailing wildcard ("incident.*") or by "*" (everything).
import type { ActionType, Permission } from './types';

export const PERM = {
  incidentOpen: 'incident.open',
  incidentImpact: 'incident.impact',
  /** record any other evidence action of the plan (backup_started, announcement_published …) */
  incidentEvidence: 'incident.evidence',
  signalMap: 'signal.map',
} as const satisfies Record<string, Permission>;

export const ACTION_PERMISSION: Record<ActionType, Permission> = {
  acknowledge: 'incident.acknowledge',
  check_in: 'incident.check_in',
  restore: 'incident.restore',
  report: 'incident.report',
  set_level: 'incident.set_level',
  waive: 'obligation.waive',
  close: 'incident.close',
};

export function hasPermission(granted: readonly string[] | undefined, wanted: string): boolean {
  if (!granted) return false;
  return granted.some((g) => g === '*' || g === wanted || (g.endsWith('.*') && wanted.startsWith(g.slice(0, -1))));
}
