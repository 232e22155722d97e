/** Row shapes of the people tables (migration 005_people). Times are epoch ms; JSON columns hold text. */
export interface PeopleTable {
  id: string;
  employee_no: string | null;
  name: string;
  department: string;
  title: string;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wecom_user_id: string | null;
  dingtalk_user_id: string | null;
  feishu_open_id: string | null;
  channels: string | null; // JSON string[] | null
  active: number; // 0 | 1
  notes: string;
  created_at: number;
  updated_at: number;
}

export interface RoleAssigneesTable {
  role: string;
  person_id: string;
  kind: string; // holder | deputy
  position: number; // order within its kind
}

export interface RotationsTable {
  id: string;
  role: string;
  name: string;
  handover: string;
  starts_on: string;
  weekday: string; // JSON string[]
  weekend: string | null;
  holiday: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface OncallEntriesTable {
  id: string;
  role: string;
  person_id: string;
  kind: string; // shift | override
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_at: number;
  cancelled_at: number | null;
}

export interface OncallCalendarTable {
  day: string; // YYYY-MM-DD
  kind: string; // holiday | workday
  name: string;
}

/** The people tables, as the one typed database (index.ts) lists them. */
export interface PeopleTables {
  people: PeopleTable;
  role_assignees: RoleAssigneesTable;
  rotations: RotationsTable;
  oncall_entries: OncallEntriesTable;
  oncall_calendar: OncallCalendarTable;
}
