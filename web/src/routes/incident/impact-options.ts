// Known values for impact facts. Flags are the ones the default plan's criteria and reports read;
// flags found on an incident but not listed here are still shown (by id).
import type { Scope } from '../../api/types.js';

/** Every scope the server accepts, widest first (fails to compile if the server's list differs). */
export const SCOPES: readonly Scope[] = Object.keys({ hospital_wide: 1, department: 1, floor: 1, terminal: 1 } satisfies Record<Scope, 1>) as Scope[];

export const KNOWN_FLAGS = [
  'department_operations_affected',
  'core_business_affected',
  'reports_blocked',
  'emergency_imaging_blocked',
  'data_leak_suspected',
  'data_leak_confirmed',
  'ransomware_encryption',
  'reputation_impact',
  'suspected_crime',
] as const;

/** The largest patient tally the server accepts (src/http/routes/incidents.ts). */
export const TALLY_MAX = 1_000_000;
