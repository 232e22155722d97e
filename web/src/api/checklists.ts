// The incident checklists API (/api/v1/incidents/:id/checklists): the plan's group checklists with assignees and ticks.
import { get, post } from './client';
import type { ChecklistChangeBody, ChecklistGroupView, ChecklistItemView, ChecklistListResponse } from './types';

/** A person an item of a group may be assigned to (GET …/checklists/people): who holds the group's roles, or stands in for them. */
export interface ChecklistPerson {
  id: string;
  name: string;
  department: string;
  roles: string[];
  deputy: boolean;
}

export type ChecklistItemRow = ChecklistItemView;
export type ChecklistGroup = ChecklistGroupView;
export type ChecklistChange = ChecklistChangeBody;

const base = (incidentId: string) => `/incidents/${encodeURIComponent(incidentId)}/checklists`;

export const checklistsApi = {
  list: (incidentId: string) => get<ChecklistListResponse>(base(incidentId)),
  people: (incidentId: string) => get<{ groups: Record<string, ChecklistPerson[]> }>(`${base(incidentId)}/people`),
  change: (incidentId: string, itemId: string, change: ChecklistChange) => post<ChecklistItemRow>(`${base(incidentId)}/${encodeURIComponent(itemId)}`, change),
};
