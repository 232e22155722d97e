import { z } from 'zod';
import type { IntakeFormat } from '../format.js';
import { alertShape, alertToSignal, groupShape } from './alertmanager.js';

/**
 * Grafana-managed alerting, contact point "Webhook" (wire-formats §3.5): the Alertmanager data
 * extended with `version: "1"`, `orgId`, `title`, `state` ("alerting"/"ok") and `message`; each alert
 * adds `silenceURL`, `dashboardURL`, `panelURL`, `values`, `valueString`, `imageURL`.
 * Identity = per-alert `fingerprint`; status = per-alert `status`. Labels, severity, system,
 * component and host are read exactly as for Alertmanager (label `severity`, `system`, …).
 * The optional HMAC signature header is checked by the HTTP route, not here.
 */

const grafanaAlert = z.object({
  ...alertShape,
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  valueString: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  imageURL: z.string().optional(),
});

const bodySchema = z.object({
  ...groupShape,
  version: z.string().optional(),
  orgId: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  alerts: z.array(grafanaAlert),
});
export type GrafanaBody = z.infer<typeof bodySchema>;

export const grafana: IntakeFormat<GrafanaBody> = {
  kind: 'grafana',
  bodySchema,
  toSignals: (body, ctx) => body.alerts.map((alert) => alertToSignal(alert, ctx)),
};
