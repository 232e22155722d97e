/** Which checklist items of the plan apply to an incident: a pure reading of the plan's `checklists:` section. */
import type { IncidentState } from '../incidents/types.js';
import { LEVEL_IDS, levelRank, type LevelId, type Plan } from '../plan/types.js';

export const BANDS = ['L3', 'L2', 'L1', 'any_level', 'recovery'] as const;
export type Band = (typeof BANDS)[number];

export interface ChecklistItem {
  group: string;
  band: Band;
  id: string;
  text: { zh: string; en: string };
  within?: string;
  anchor?: string;
  recurring?: string;
  /** The plan obligation this item stands for: its due time, its state, its evidence. */
  obligation?: string;
}

interface RawItem {
  id?: unknown;
  text?: { zh?: unknown; en?: unknown } | string;
  within?: unknown;
  anchor?: unknown;
  recurring?: unknown;
  obligation?: unknown;
  applies_if?: { scenario?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Every item of the plan's checklists, in plan order (group, band, item); malformed entries are skipped. */
export function allChecklistItems(plan: Plan): (ChecklistItem & { scenario?: string[] })[] {
  const section = plan.checklists;
  if (!section || typeof section !== 'object') return [];
  const out: (ChecklistItem & { scenario?: string[] })[] = [];
  for (const [group, bands] of Object.entries(section as Record<string, unknown>)) {
    if (!bands || typeof bands !== 'object' || Array.isArray(bands)) continue;
    for (const band of BANDS) {
      const items = (bands as Record<string, unknown>)[band];
      if (!Array.isArray(items)) continue;
      for (const raw of items as RawItem[]) {
        const id = str(raw?.id);
        if (!id) continue;
        const text = typeof raw.text === 'string' ? { zh: raw.text, en: raw.text } : { zh: str(raw.text?.zh) ?? str(raw.text?.en) ?? id, en: str(raw.text?.en) ?? str(raw.text?.zh) ?? id };
        const scenario = raw.applies_if?.scenario;
        out.push({
          group,
          band,
          id,
          text,
          ...(str(raw.within) ? { within: str(raw.within) } : {}),
          ...(str(raw.anchor) ? { anchor: str(raw.anchor) } : {}),
          ...(str(raw.recurring) ? { recurring: str(raw.recurring) } : {}),
          ...(str(raw.obligation) ? { obligation: str(raw.obligation) } : {}),
          ...(scenario !== undefined ? { scenario: (Array.isArray(scenario) ? scenario : [scenario]).map(String) } : {}),
        });
      }
    }
  }
  return out;
}

/**
 * The items that apply: the bands of every level at or below the incident's (an L1 incident gets L3, L2 and
 * L1 items), `any_level`, `recovery` once the incident is recovering or closed; `applies_if.scenario` respected.
 */
export function checklistItemsFor(plan: Plan, incident: { level: LevelId; scenario: string | null; state: IncidentState }): ChecklistItem[] {
  const levels = new Set<string>(LEVEL_IDS.filter((l) => levelRank(l) >= levelRank(incident.level)));
  const recovering = incident.state === 'recovering' || incident.state === 'closed';
  return allChecklistItems(plan)
    .filter((i) => (i.band === 'any_level' ? true : i.band === 'recovery' ? recovering : levels.has(i.band)))
    .filter((i) => !i.scenario || (incident.scenario !== null && i.scenario.includes(incident.scenario)))
    .map(({ scenario: _scenario, ...item }) => item);
}
