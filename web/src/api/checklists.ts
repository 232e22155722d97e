// The incident checklists API (/api/v1/incidents/:id/checklists): the plan's group checklists with assignees and ticks.
import { get, post } from './client';

export type BiText = { zh: string; en: string };
export interface ChecklistItemRow {
  id: string;
  itemId: string;
  band: string;
  text: BiText;
  assignee: string | null;
  doneAt: string | null;
  doneBy: string | null;
  dueAt?: string;
}
export interface ChecklistGroup {
  group: string;
  name: BiText;
  items: ChecklistItemRow[];
}
export interface ChecklistChange {
  done?: boolean;
  assignee?: string | null;
}

const base = (incidentId: string) => `/incidents/${encodeURIComponent(incidentId)}/checklists`;

export const checklistsApi = {
  list: (incidentId: string) => get<{ groups: ChecklistGroup[] }>(base(incidentId)),
  change: (incidentId: string, itemId: string, change: ChecklistChange) => post<ChecklistItemRow>(`${base(incidentId)}/${encodeURIComponent(itemId)}`, change),
};
