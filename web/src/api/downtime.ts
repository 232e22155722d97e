// The downtime API (/api/v1/downtime, /api/v1/incidents/:id/downtime): manual mode, numbers, forms, back-entry.
import { get, post } from './client';
import type { IncidentState, SystemState } from './types';

export type BiText = { zh: string; en: string };
export type SessionState = 'active' | 'recovery' | 'back_entry' | 'reconciled';
export type ItemState = 'registered' | 'entered' | 'verified' | 'void';
export const TALLY = ['emergency', 'inpatient', 'outpatient', 'medical_insurance', 'critically_ill'] as const;
export type TallyKey = (typeof TALLY)[number];
export const MI_STATUSES = ['pending', 'uploaded', 'settled', 'rejected'] as const;

export interface ProcedureStep {
  id: string;
  text: BiText;
}
export interface BusinessLine {
  id: string;
  name: BiText;
  depends_on: string[];
  departments: string[];
  retention: 'outpatient' | 'inpatient';
  forms?: string[];
  numbers?: string[];
  procedure: Record<'before' | 'during' | 'after', ProcedureStep[]>;
}
export interface Department {
  id: string;
  name: BiText;
  kind?: string;
}
export interface FormSpec {
  type: string;
  code: string;
  title: BiText;
  paper: 'A4' | 'A5';
  record: string | null;
  number?: string;
  duplicate?: boolean;
}
export interface Catalogue {
  departments: Department[];
  businessLines: BusinessLine[];
  forms: FormSpec[];
  numberKinds: string[];
  recordTypes: string[];
  tallyCategories: TallyKey[];
  lateEntryWithin: string;
  retention: Record<string, string>;
}
export interface Progress {
  total: number;
  registered: number;
  entered: number;
  verified: number;
  void: number;
  open: number;
  lateOverdue: number;
}
export interface CheckSummary {
  id: string;
  expected: number;
  matched: number;
  ok: boolean;
}
export interface Check extends CheckSummary {
  discrepancies: { ref: string; problem: string; detail?: string }[];
}
export interface SessionBase {
  id: string;
  incidentId: string;
  businessLine: string;
  department: string;
  state: SessionState;
  startedAt: string;
  startedBy: string;
  stateAt: string;
  stateBy: string;
  waivedAt: string | null;
  waivedBy: string | null;
  waiverReason: string | null;
  retainUntil: string;
}
export interface Proposal {
  businessLine: string;
  department: string;
  because: string[];
}
export interface IncidentRef {
  id: string;
  title: string;
  state: IncidentState;
  systems: { system: string; state: SystemState }[];
}
export interface Overview {
  incident: IncidentRef;
  proposals: Proposal[];
  sessions: (SessionBase & { progress: Progress; checks: CheckSummary[] })[];
  departments: {
    department: string;
    name: BiText;
    sessions: string[];
    progress: Progress;
    checksOpen: number;
    numbersIssued: number;
    formsPrinted: number;
    tally: (Partial<Record<TallyKey, number>> & { at?: string | null; by?: string }) | null;
  }[];
  progress: Progress;
  openForClose: string[];
}
export interface NumberRow {
  id: string;
  number: string;
  kind: string;
  state: 'issued' | 'void' | 'returned';
  channel: string;
  issuedAt: string;
  issuedBy: string;
  reason: string | null;
}
export interface FormRow {
  id: string;
  serial: string;
  type: string;
  record: string | null;
  batch: string;
  sessionId: string | null;
  department: string | null;
  number: string | null;
  state: 'printed' | 'void' | 'filed';
  printedAt: string;
  printedBy: string;
  itemId: string | null;
  itemState: ItemState | null;
}
export interface Item {
  id: string;
  incidentId: string;
  sessionId: string;
  department: string;
  businessLine: string;
  recordType: string;
  serial: string | null;
  tempNumber: string | null;
  hospitalId: string | null;
  state: ItemState;
  eventAt: string | null;
  registeredAt: string;
  registeredBy: string;
  enteredAt: string | null;
  enteredBy: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  lateEntry: boolean;
  overdueEntry: boolean;
  chargeState: string | null;
  chargeRef: string | null;
  miStatus: string | null;
  mergedAt: string | null;
  note: string | null;
  voidReason: string | null;
}
export interface Block {
  id: string;
  kind: string;
  prefix: string;
  department: string | null;
  window: string | null;
  first: string;
  last: string;
  size: number;
  left: number;
  issued: number;
  void: number;
  returned: number;
  retired: boolean;
}
export interface SessionDetail extends SessionBase {
  incident: IncidentRef;
  line: BusinessLine | null;
  departmentName: BiText;
  checklist: { band: 'before' | 'during' | 'after'; id: string; text: BiText; done: boolean; at: string | null; by: string | null }[];
  numbers: NumberRow[];
  forms: FormRow[];
  items: Item[];
  progress: Progress;
  checks: Check[];
  mergeList: { tempNumber: string; hospitalId: string; itemId: string; sameAs: string[]; merged: boolean }[];
  blocks: Block[];
  events: { id: string; at: string; actor: string; kind: string; subject: string | null; data: unknown }[];
}
export interface SerialLookup {
  serial: string;
  unregistered: boolean;
  kit: string | null;
  form: FormRow | null;
  item: Item | null;
}

const enc = encodeURIComponent;
const S = '/downtime';

export const downtimeApi = {
  catalogue: () => get<Catalogue>(`${S}/catalogue`),
  overview: (incidentId: string) => get<Overview>(`/incidents/${enc(incidentId)}/downtime`),
  start: (incidentId: string, businessLine: string, department: string) => post<SessionDetail>(`/incidents/${enc(incidentId)}/downtime/sessions`, { businessLine, department }),
  tally: (incidentId: string, department: string, counts: Partial<Record<TallyKey, number>>) => post<unknown>(`/incidents/${enc(incidentId)}/downtime/tally`, { department, counts }),
  waive: (incidentId: string, reason: string) => post<{ waived: number }>(`/incidents/${enc(incidentId)}/downtime/waiver`, { reason }),
  session: (id: string) => get<SessionDetail>(`${S}/sessions/${enc(id)}`),
  move: (id: string, to: 'active' | 'recovery' | 'back_entry', reason?: string) => post<SessionDetail>(`${S}/sessions/${enc(id)}/state`, reason ? { to, reason } : { to }),
  reconcile: (id: string) => post<SessionDetail>(`${S}/sessions/${enc(id)}/reconcile`, {}),
  mark: (id: string, step: string, done: boolean) => post<SessionDetail>(`${S}/sessions/${enc(id)}/checklist`, { step, done }),
  blocks: () => get<{ items: Block[] }>(`${S}/blocks`),
  createBlock: (body: { kind: string; start: number; end: number; department?: string; window?: string }) => post<Block>(`${S}/blocks`, body),
  issue: (blockId: string, count: number, sessionId?: string, channel?: 'screen' | 'sheet') =>
    post<{ items: NumberRow[] }>(`${S}/blocks/${enc(blockId)}/issue`, { count, ...(sessionId ? { sessionId } : {}), ...(channel ? { channel } : {}) }),
  settleNumber: (id: string, action: 'void' | 'return', reason?: string) => post<unknown>(`${S}/numbers/${enc(id)}/${action}`, reason ? { reason } : {}),
  print: (body: { type: string; count?: number; numbers?: string[]; sessionId?: string; department?: string; paper?: 'A4' | 'A5' }) =>
    post<{ batch: string; printUrl: string; items: FormRow[] }>(`${S}/forms`, body),
  settleForm: (serial: string, action: 'void' | 'file', reason?: string) => post<SerialLookup>(`${S}/forms/${enc(serial)}/${action}`, reason ? { reason } : {}),
  lookup: (serial: string) => get<SerialLookup>(`${S}/forms/${enc(serial)}`, { quiet: true }),
  register: (body: { serial?: string; sessionId?: string; recordType?: string; tempNumber?: string; eventAt?: string; mi?: boolean }) => post<Item>(`${S}/items`, body),
  enter: (id: string, body: { hospitalId: string; eventAt?: string; charged?: boolean }) => post<Item>(`${S}/items/${enc(id)}/enter`, body),
  verify: (id: string) => post<Item>(`${S}/items/${enc(id)}/verify`, {}),
  voidItem: (id: string, reason: string) => post<Item>(`${S}/items/${enc(id)}/void`, { reason }),
  charge: (id: string, state: 'charged' | 'exempt', ref?: string) => post<Item>(`${S}/items/${enc(id)}/charge`, state === 'charged' ? { state, ref } : { state, reason: ref }),
  mi: (id: string, status: string) => post<Item>(`${S}/items/${enc(id)}/mi`, { status }),
  merged: (id: string) => post<Item>(`${S}/items/${enc(id)}/merged`, {}),
};

export const DOWNTIME_PERM = { read: 'downtime.read', operate: 'downtime.operate', verify: 'downtime.verify', waive: 'downtime.waive' } as const;
