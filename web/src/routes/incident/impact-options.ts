// Known values for impact facts. Flags are the ones the default plan's criteria and reports read;
// flags found on an incident but not listed here are still shown (by id).
export const SCOPES = ['hospital_wide', 'department', 'floor', 'terminal'] as const;

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
