/** Row shapes of intake's tables (migration 002_intake). Times are epoch milliseconds; JSON columns hold text. */
export interface SourcesTable {
  id: string;
  name: string;
  type: string;
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
  severity_map: string;
  rules: string;
  options: string;
}

export interface MaintenanceWindowsTable {
  id: string;
  system: string;
  component: string;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_at: number;
  cancelled_at: number | null;
}

export interface AmAlertsTable {
  source: string;
  fingerprint: string;
  status: string; // firing | resolved
  expires_at: number;
  signal: string;
  updated_at: number;
}

export interface HeartbeatsTable {
  source: string;
  state: string; // ok | missed
  last_beat_at: number;
  due_at: number;
}

export interface AlertFlapsTable {
  source: string;
  dedup_key: string;
  reopens: string;
}

/** The intake tables, as the one typed database (index.ts) lists them. */
export interface IntakeTables {
  sources: SourcesTable;
  maintenance_windows: MaintenanceWindowsTable;
  am_alerts: AmAlertsTable;
  heartbeats: HeartbeatsTable;
  alert_flaps: AlertFlapsTable;
}
