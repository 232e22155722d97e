import type { IntakeFormat, IntakeKind } from '../format.js';
import { alertmanager } from './alertmanager.js';
import { alertmanagerV2 } from './alertmanager-v2.js';
import { generic } from './generic.js';
import { grafana } from './grafana.js';
import { nagios } from './nagios.js';
import { pagerduty } from './pagerduty.js';
import { zabbix } from './zabbix.js';

/** Every inbound format, one file each. Adding one = one file, one line here, fixtures for the contract test. */
export const intakeFormats = [alertmanager, alertmanagerV2, zabbix, nagios, grafana, pagerduty, generic] as const;

export const INTAKE_KINDS: readonly IntakeKind[] = intakeFormats.map((format) => format.kind);

/** The format registered under `kind`; throws for an unknown kind (a configuration error). */
export function formatByKind(kind: IntakeKind | string): IntakeFormat<unknown> {
  const format = intakeFormats.find((f) => f.kind === kind);
  if (!format) throw new Error(`unknown intake format "${kind}" (known: ${INTAKE_KINDS.join(', ')})`);
  return format as IntakeFormat<unknown>;
}

export { alertmanager, alertmanagerV2, generic, grafana, nagios, pagerduty, zabbix };
export { pagerDutyReply, pagerDutyDedupKey } from './pagerduty.js';
export { labelFingerprint } from './fingerprint.js';
