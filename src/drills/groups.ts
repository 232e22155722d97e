/**
 * The groups a drill is scored and observed by: the plan's org groups plus the command HQ. A plan role belongs to
 * the group it leads, else the group its id starts with (`tech_oncall` → tech), else HQ if it is an HQ office;
 * the other roles of an IT plan (monitoring post, vendor engineers, department liaisons) are named below.
 */
import type { Plan, Text } from '../plan/types.js';

export const HQ_GROUP = 'hq';

export interface DrillGroup {
  id: string;
  name: Text;
}

const ROLE_GROUP_FALLBACK: Record<string, string> = { monitoring_post: 'tech', vendor_engineer: 'tech', department_liaison: 'coordination' };

export function drillGroups(plan: Plan): DrillGroup[] {
  return [...plan.org.groups.map((g) => ({ id: g.id, name: g.name })), { id: HQ_GROUP, name: { zh: '应急指挥部', en: 'Command HQ' } }];
}

export function groupOfRole(plan: Plan, role: string): string {
  const led = plan.org.groups.find((g) => g.lead === role);
  if (led) return led.id;
  const prefixed = plan.org.groups.find((g) => role.startsWith(`${g.id}_`));
  if (prefixed) return prefixed.id;
  const hq = plan.org.command_hq;
  if (role === hq.commander || role === hq.deputy || hq.members.includes(role)) return HQ_GROUP;
  const fallback = ROLE_GROUP_FALLBACK[role];
  if (fallback && plan.org.groups.some((g) => g.id === fallback)) return fallback;
  return HQ_GROUP;
}
