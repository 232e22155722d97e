/**
 * The contract of the HTTP API (/api/v1) between the server and the web app: every request body the web app sends
 * and every response body it reads, as types only. Request bodies are inferred from the routes' zod schemas
 * (`z.input`: what a client may send, before defaults and transforms); response bodies are the server's own view
 * types, named next to the route or service that builds them. The web app re-exports these with `import type`
 * (web/src/api/types.ts), so a change here fails its type check and none of the server is bundled into it.
 *
 * Nothing but `export type` here: no value may be imported from this file.
 */
import type { z } from 'zod';
import type { actionBody, impactBody, openBody } from './routes/incidents.js';
import type { mapBody } from './routes/signals.js';
import type { loginBody } from '../auth/routes.js';
import type { ackBody } from '../notify/routes.js';
import type { changeBody } from '../tasks/routes.js';
import type { ChecklistService } from '../tasks/service.js';
import type { schemas as downtimeSchemas } from '../downtime/routes.js';
import type { formView, incidentOverview, itemView, lookupSerial, numberView, sessionDetail } from '../downtime/views.js';
import type { listBlocks } from '../downtime/numbers.js';
import type { IncidentView } from '../incidents/types.js';
import type { submissionBody } from '../reports/regulators/routes.js';
import type { reviewSchemas } from '../reports/post-incident/routes.js';

// ---- shared vocabulary ------------------------------------------------------------------------------------------

export type { Text, LevelId, SystemState, SystemCategory, Scope, TallyCategory } from '../plan/types.js';
export type { IncidentState } from '../incidents/types.js';
/** Every error: RFC 9457 application/problem+json. */
export type { ProblemBody, Issue } from '../shared/errors.js';

// ---- sign-in: POST /auth/login, POST /auth/logout (204), GET /session ---------------------------------------------

export type LoginBody = z.input<typeof loginBody>;
export type { LoginResponse, SessionResponse, SessionUser } from '../auth/routes.js';
/** A permission name as routes declare it and `SessionUser['permissions']` lists it. */
export type { Permission } from '../auth/roles.js';

// ---- the plan: GET /plan, GET /plan/check ------------------------------------------------------------------------

export type { PlanView, PlanCheckView } from './routes/plan.js';

// ---- incidents: GET /incidents, GET /incidents/:id, POST /incidents, POST /incidents/:id/{impact,actions} ----------

export type { IncidentView };
export type { IncidentSummary } from '../incidents/view.js';
export type { IncidentListResponse } from './routes/incidents.js';
export type IncidentSystemView = IncidentView['systems'][number];
export type LevelChangeView = IncidentView['levelHistory'][number];
export type ObligationView = IncidentView['obligations'][number];
export type TimelineEntryView = IncidentView['timeline'][number];
export type AlertView = IncidentView['alerts'][number];
export type OpenIncidentBody = z.input<typeof openBody>;
export type ImpactBody = z.input<typeof impactBody>;
export type ActionBody = z.input<typeof actionBody>;

// ---- signals: GET /signals, POST /signals/:id/map -----------------------------------------------------------------

export type { SignalView, SignalListResponse, MapSignalResult } from './routes/signals.js';
export type MapSignalBody = z.input<typeof mapBody>;

// ---- live updates: GET /events (text/event-stream; each `data:` line is one message) ------------------------------

export type { LiveEventMessage } from './routes/events.js';

// ---- on duty: GET /oncall/now ------------------------------------------------------------------------------------

export type { OnDutyItem } from '../people/service.js';
export type { OnDutyResponse } from '../people/routes.js';

// ---- paging: GET|POST /ack/:token, GET /incidents/:id/deliveries -------------------------------------------------

export type { AckInfo, AckResult, DeliveryView, DeliveryListResponse } from '../notify/routes.js';
export type AckBody = z.input<typeof ackBody>;

// ---- group checklists: GET /incidents/:id/checklists, POST /incidents/:id/checklists/:itemId ----------------------

export type { ChecklistGroupView, ChecklistItemView } from '../tasks/service.js';
export type ChecklistListResponse = Awaited<ReturnType<ChecklistService['list']>>;
export type ChecklistChangeBody = z.input<typeof changeBody>;

// ---- manual mode (downtime): /downtime/…, /incidents/:id/downtime/… ---------------------------------------------

export type { SessionState as DowntimeSessionState, ItemState as DowntimeItemState, MiStatus, DowntimeTallyCategory, FormSpec, FormType, NumberKind, RecordType } from '../downtime/types.js';
export type { BusinessLine, Department, ProcedureStep } from '../plan/types.js';
export type { Progress as DowntimeProgress } from '../downtime/reconcile.js';
export type {
  DowntimeCatalogue,
  TallyResponse as DowntimeTallyResponse,
  WaiverResponse as DowntimeWaiverResponse,
  BlockListResponse,
  IssueNumbersResponse,
  PrintFormsResponse,
  OkResponse,
} from '../downtime/routes.js';
/** GET /incidents/:id/downtime: what the plan proposes, every session with its progress, per-department totals, the closure gate. */
export type DowntimeOverview = Awaited<ReturnType<typeof incidentOverview>>;
/** GET /downtime/sessions/:id and every change of a session: all a department needs on one screen. */
export type DowntimeSessionDetail = Awaited<ReturnType<typeof sessionDetail>>;
/** GET /downtime/forms/:serial and POST /downtime/forms/:serial/{void,file} */
export type SerialLookup = Awaited<ReturnType<typeof lookupSerial>>;
/** A back-entry item: POST /downtime/items and POST /downtime/items/:id/{enter,verify,void,charge,mi,merged} */
export type DowntimeItemView = ReturnType<typeof itemView>;
export type DowntimeFormView = ReturnType<typeof formView>;
export type DowntimeNumberView = ReturnType<typeof numberView>;
/** A number block: GET /downtime/blocks (items), POST /downtime/blocks (the new block) */
export type DowntimeBlockView = Awaited<ReturnType<typeof listBlocks>>[number];

type DowntimeBody<K extends keyof typeof downtimeSchemas> = z.input<(typeof downtimeSchemas)[K]>;
export type StartDowntimeSessionBody = DowntimeBody<'session'>;
export type MoveDowntimeSessionBody = DowntimeBody<'state'>;
export type ReconcileDowntimeSessionBody = DowntimeBody<'reconcile'>;
export type DowntimeStepBody = DowntimeBody<'step'>;
export type DowntimeTallyBody = DowntimeBody<'tally'>;
export type DowntimeWaiverBody = DowntimeBody<'waiver'>;
export type CreateBlockBody = DowntimeBody<'block'>;
export type IssueNumbersBody = DowntimeBody<'issue'>;
/** POST /downtime/numbers/:id/{void,return}, POST /downtime/forms/:serial/{void,file} */
export type SettleBody = DowntimeBody<'settle'>;
export type PrintFormsBody = DowntimeBody<'print'>;
export type RegisterItemBody = DowntimeBody<'register'>;
export type EnterItemBody = DowntimeBody<'enter'>;
export type ChargeItemBody = DowntimeBody<'charge'>;
export type MiStatusBody = DowntimeBody<'mi'>;
export type VoidItemBody = DowntimeBody<'voidItem'>;
/** POST /downtime/items/:id/{verify,merged}: nothing but an optional `by` */
export type EmptyDowntimeBody = DowntimeBody<'reconcile'>;

// ---- post-incident review: /incidents/:id/review, /incidents/:id/corrective-actions, /corrective-actions/… -----------
// (the files themselves: GET /incidents/:id/report.docx and /report.pdf, ?lang=en)

export type {
  ReviewView,
  CorrectiveActionView,
  OpenCorrectiveActionView,
  CorrectiveActionListResponse,
  OpenCorrectiveActionListResponse,
  ActionOwnersResponse,
} from '../reports/post-incident/routes.js';
type ReviewApiBody<K extends keyof typeof reviewSchemas> = z.input<(typeof reviewSchemas)[K]>;
export type ReviewBody = ReviewApiBody<'review'>;
export type NewCorrectiveActionBody = ReviewApiBody<'newAction'>;
export type ChangeCorrectiveActionBody = ReviewApiBody<'changeAction'>;

// ---- regulator reports: GET /incidents/:id/regulator-reports, POST …/:ruleId/submissions --------------------------
// (files: GET …/regulator-reports/:ruleId/draft.docx, GET …/regulator-reports/submissions/:sid/file; the national
// grade is recorded with POST /incidents/:id/impact { nationalGrade })

export type { RegulatorReportListResponse, RegulatorReportView, SubmissionView as RegulatorSubmissionView } from '../reports/regulators/routes.js';
export type RegulatorSubmissionBody = z.input<typeof submissionBody>;
