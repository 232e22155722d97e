// The incident checklists API (/api/v1/incidents/:id/checklists): the plan's group checklists with assignees and ticks.
import { get, post } from './client';
import type { ChecklistChangeBody, ChecklistGroupView, ChecklistItemView, ChecklistListResponse } from './types';

export type ChecklistItemRow = ChecklistItemView;
export type ChecklistGroup = ChecklistGroupView;
export type ChecklistChange = ChecklistChangeBody;

const base = (incidentId: string) => `/incidents/${encodeURIComponent(incidentId)}/checklists`;

export const checklistsApi = {
  list: (incidentId: string) => get<ChecklistListResponse>(base(incidentId)),
  change: (incidentId: string, itemId: string, change: ChecklistChange) => post<ChecklistItemRow>(`${base(incidentId)}/${encodeURIComponent(itemId)}`, change),
};
