// Shapes of the Lifeline HTTP API (/api/v1) as the UI reads them.
//
// THE SERVER IS THE ONE SOURCE OF THESE TYPES: everything below comes from src/http/contract.ts (request bodies
// inferred from the routes' zod schemas, responses from the server's view types) through `import type` /
// `export type`, which the build erases, so no server code reaches the bundle. Do not declare a copy of a
// contract type here or elsewhere in web/src/api (an `interface X` or `type X = { … }`): re-export it, or derive
// from it (`Partial<…>`, `X['field'][number]`). test/web-api-contract.test.ts checks this. When the server
// changes a shape, `npx tsc --noEmit -p web/tsconfig.json` names every place in the web app that must follow.
import type { PlanView, ProblemBody, TallyCategory, Text as BiText } from '../../../src/http/contract.js';

export type {
  ActionBody,
  AlertView as Alert,
  ChecklistChangeBody,
  ChecklistGroupView,
  ChecklistItemView,
  ChecklistListResponse,
  DeliveryListResponse,
  DeliveryView as Delivery,
  ImpactBody,
  IncidentListResponse,
  IncidentState,
  IncidentSummary,
  IncidentSystemView as IncidentSystem,
  IncidentView as Incident,
  LevelChangeView as LevelChange,
  LevelId,
  LiveEventMessage,
  LoginBody,
  LoginResponse,
  MapSignalBody,
  MapSignalResult,
  ObligationView as Obligation,
  OnDutyItem as OnDutyEntry,
  OnDutyResponse,
  OpenIncidentBody,
  PlanCheckView as PlanCheck,
  PlanView as Plan,
  Scope,
  Issue as PlanIssue,
  SessionResponse as Session,
  SessionUser,
  SignalListResponse,
  SignalView as Signal,
  SystemState,
  TallyCategory,
  TimelineEntryView as TimelineEntry,
  AckInfo,
  AckBody,
  AckResult,
  Permission,
  // manual mode (downtime): used by ./downtime.ts
  BlockListResponse,
  ChargeItemBody,
  CreateBlockBody,
  DowntimeBlockView,
  DowntimeCatalogue,
  DowntimeFormView,
  DowntimeItemState,
  DowntimeItemView,
  DowntimeNumberView,
  DowntimeOverview,
  DowntimeProgress,
  DowntimeSessionDetail,
  DowntimeSessionState,
  DowntimeStepBody,
  DowntimeTallyBody,
  DowntimeTallyCategory,
  DowntimeTallyResponse,
  DowntimeWaiverBody,
  DowntimeWaiverResponse,
  FormType,
  NumberKind,
  RecordType,
  EmptyDowntimeBody,
  EnterItemBody,
  IssueNumbersBody,
  IssueNumbersResponse,
  MiStatus,
  MiStatusBody,
  MoveDowntimeSessionBody,
  OkResponse,
  PrintFormsBody,
  PrintFormsResponse,
  RegisterItemBody,
  SerialLookup,
  SettleBody,
  StartDowntimeSessionBody,
  VoidItemBody,
} from '../../../src/http/contract.js';
export type { BiText };

export type Lang = 'zh-CN' | 'en';
/** A bilingual text as the server sends it, or a plain string (a label the UI has no translation for). */
export type Text = BiText | string;

/** RFC 9457 problem details: as the server sends them, or as the client makes one up (network error, non-JSON answer). */
export type Problem = Partial<ProblemBody>;

// ---- parts of the plan view -----------------------------------------------------------------------------------
export type PlanSystem = PlanView['systems'][number];
export type PlanRole = PlanView['roles'][number];
export type PlanGroup = PlanView['groups'][number];
export type PlanScenario = PlanView['scenarios'][number];
export type PlanLevel = PlanView['levels'][number];
export type PlanCriterion = PlanLevel['criteria'][number];
export type PlanEscalation = PlanView['escalations'][number];
export type PlanEvidence = PlanView['evidence'][number];
export type PlanObligation = PlanView['obligations'][number];

// ---- the UI's own vocabulary over contract fields -------------------------------------------------------------
/** The obligation states the UI has a tag for; the server types `Obligation['state']` as a plain string. */
export type ObligationState = 'pending' | 'met' | 'breached' | 'waived' | 'ended' | 'cancelled';
/** Incident actions the UI has a button and a permission for (POST /incidents/:id/actions `type`). */
export type ActionType = 'acknowledge' | 'check_in' | 'restore' | 'report' | 'set_level' | 'waive' | 'close';
/** set_level / waive / close, or any evidence id of the plan (acknowledge, check_in, backup_started …) */
export type ActionName = ActionType | (string & {});
/** Every tally category of the server, in the order the UI shows them (the object fails to compile if one is missing or unknown). */
export const TALLY_CATEGORIES: readonly TallyCategory[] = Object.keys({ emergency: 1, inpatient: 1, outpatient: 1, medical_insurance: 1 } satisfies Record<TallyCategory, 1>) as TallyCategory[];
