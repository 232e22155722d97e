/** Row shape of `incident_tasks` (migration 007_tasks): one plan checklist item of one incident. Times are epoch ms. */
export interface IncidentTasksTable {
  id: string;
  incident_id: string;
  group_id: string;
  item_id: string;
  band: string; // L3 | L2 | L1 | any_level | recovery
  text_zh: string;
  text_en: string;
  assignee: string | null;
  done_at: number | null;
  done_by: string | null;
  created_at: number;
}

/** The tasks tables, as the one typed database (index.ts) lists them. */
export interface TasksTables {
  incident_tasks: IncidentTasksTable;
}
