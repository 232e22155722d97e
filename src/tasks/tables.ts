import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../storage/index.js';
import type { Database } from '../storage/tables.js';

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

export interface TasksDatabase extends Database {
  incident_tasks: IncidentTasksTable;
}
export type TasksDb = Kysely<TasksDatabase>;
export const tasksDb = (db: Db | Transaction<Database>): TasksDb => db as unknown as TasksDb;
