// The downtime API (/api/v1/downtime, /api/v1/incidents/:id/downtime): manual mode, numbers, forms, back-entry.
// Request and response types are the server's (src/http/contract.ts through ./types; see the note there).
import { get, post } from './client';
import type {
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
  EmptyDowntimeBody,
  EnterItemBody,
  FormType,
  NumberKind,
  RecordType,
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
  Permission,
  VoidItemBody,
} from './types';

export type { BiText } from './types';
export type SessionState = DowntimeSessionState;
export type ItemState = DowntimeItemState;
export type TallyKey = DowntimeTallyCategory;
export type Catalogue = DowntimeCatalogue;
export type Progress = DowntimeProgress;
export type Overview = DowntimeOverview;
export type SessionDetail = DowntimeSessionDetail;
export type NumberRow = DowntimeNumberView;
export type FormRow = DowntimeFormView;
export type Item = DowntimeItemView;
export type Block = DowntimeBlockView;
export type { CreateBlockBody, FormType, NumberKind, RecordType, RegisterItemBody, SerialLookup };

/** Every patient tally category of manual mode, in the order the UI shows them (fails to compile if the server's list differs). */
export const TALLY: readonly TallyKey[] = Object.keys({ emergency: 1, inpatient: 1, outpatient: 1, medical_insurance: 1, critically_ill: 1 } satisfies Record<TallyKey, 1>) as TallyKey[];
/** Every medical-insurance re-upload status, in order (fails to compile if the server's list differs). */
export const MI_STATUSES: readonly MiStatus[] = Object.keys({ pending: 1, uploaded: 1, settled: 1, rejected: 1 } satisfies Record<MiStatus, 1>) as MiStatus[];

const enc = encodeURIComponent;
const S = '/downtime';

export const downtimeApi = {
  catalogue: () => get<Catalogue>(`${S}/catalogue`),
  overview: (incidentId: string) => get<Overview>(`/incidents/${enc(incidentId)}/downtime`),
  start: (incidentId: string, businessLine: string, department: string) =>
    post<SessionDetail>(`/incidents/${enc(incidentId)}/downtime/sessions`, { businessLine, department } satisfies StartDowntimeSessionBody),
  tally: (incidentId: string, department: string, counts: DowntimeTallyBody['counts']) =>
    post<DowntimeTallyResponse>(`/incidents/${enc(incidentId)}/downtime/tally`, { department, counts } satisfies DowntimeTallyBody),
  waive: (incidentId: string, reason: string) => post<DowntimeWaiverResponse>(`/incidents/${enc(incidentId)}/downtime/waiver`, { reason } satisfies DowntimeWaiverBody),
  session: (id: string) => get<SessionDetail>(`${S}/sessions/${enc(id)}`),
  move: (id: string, to: MoveDowntimeSessionBody['to'], reason?: string) => post<SessionDetail>(`${S}/sessions/${enc(id)}/state`, (reason ? { to, reason } : { to }) satisfies MoveDowntimeSessionBody),
  reconcile: (id: string) => post<SessionDetail>(`${S}/sessions/${enc(id)}/reconcile`, {} satisfies EmptyDowntimeBody),
  mark: (id: string, step: string, done: boolean) => post<SessionDetail>(`${S}/sessions/${enc(id)}/checklist`, { step, done } satisfies DowntimeStepBody),
  blocks: () => get<BlockListResponse>(`${S}/blocks`),
  createBlock: (body: CreateBlockBody) => post<Block>(`${S}/blocks`, body),
  issue: (blockId: string, count: number, sessionId?: string, channel?: IssueNumbersBody['channel']) =>
    post<IssueNumbersResponse>(`${S}/blocks/${enc(blockId)}/issue`, { count, ...(sessionId ? { sessionId } : {}), ...(channel ? { channel } : {}) } satisfies IssueNumbersBody),
  settleNumber: (id: string, action: 'void' | 'return', reason?: string) => post<OkResponse>(`${S}/numbers/${enc(id)}/${action}`, (reason ? { reason } : {}) satisfies SettleBody),
  print: (body: PrintFormsBody) => post<PrintFormsResponse>(`${S}/forms`, body),
  settleForm: (serial: string, action: 'void' | 'file', reason?: string) => post<SerialLookup>(`${S}/forms/${enc(serial)}/${action}`, (reason ? { reason } : {}) satisfies SettleBody),
  lookup: (serial: string) => get<SerialLookup>(`${S}/forms/${enc(serial)}`, { quiet: true }),
  register: (body: RegisterItemBody) => post<Item>(`${S}/items`, body),
  enter: (id: string, body: EnterItemBody) => post<Item>(`${S}/items/${enc(id)}/enter`, body),
  verify: (id: string) => post<Item>(`${S}/items/${enc(id)}/verify`, {} satisfies EmptyDowntimeBody),
  voidItem: (id: string, reason: string) => post<Item>(`${S}/items/${enc(id)}/void`, { reason } satisfies VoidItemBody),
  charge: (id: string, state: ChargeItemBody['state'], ref?: string) =>
    post<Item>(`${S}/items/${enc(id)}/charge`, (state === 'charged' ? { state, ref } : { state, reason: ref }) satisfies ChargeItemBody),
  mi: (id: string, status: MiStatusBody['status']) => post<Item>(`${S}/items/${enc(id)}/mi`, { status } satisfies MiStatusBody),
  merged: (id: string) => post<Item>(`${S}/items/${enc(id)}/merged`, {} satisfies EmptyDowntimeBody),
};

export const DOWNTIME_PERM = { read: 'downtime.read', operate: 'downtime.operate', verify: 'downtime.verify', waive: 'downtime.waive' } as const satisfies Record<string, Permission>;
