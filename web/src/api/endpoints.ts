// One function per API call the UI makes. Keep paths here only. Request and response types: ./types (the server's contract).
import { get, post, type RequestOptions } from './client';
import type {
  AckBody,
  AckInfo,
  AckResult,
  ActionBody,
  DeliveryListResponse,
  ImpactBody,
  Incident,
  IncidentListResponse,
  LoginBody,
  LoginResponse,
  MapSignalBody,
  MapSignalResult,
  OnDutyResponse,
  OpenIncidentBody,
  Plan,
  PlanCheck,
  Session,
  SignalListResponse,
} from './types';

const enc = encodeURIComponent;

export const api = {
  session: (o?: RequestOptions) => get<Session>('/session', o),
  login: (username: string, password: string) => post<LoginResponse>('/auth/login', { username, password } satisfies LoginBody, { no401Redirect: true, quiet: true }),
  logout: () => post<void>('/auth/logout', {}, { no401Redirect: true, quiet: true }),

  plan: () => get<Plan>('/plan'),
  planCheck: () => get<PlanCheck>('/plan/check'),

  incidents: (state: 'open' | 'all' = 'open') => get<IncidentListResponse>(`/incidents?state=${state}`),
  incident: (id: string) => get<Incident>(`/incidents/${enc(id)}`),
  openIncident: (body: OpenIncidentBody) => post<Incident>('/incidents', body),
  act: (id: string, body: ActionBody) => post<Incident>(`/incidents/${enc(id)}/actions`, body),
  impact: (id: string, body: ImpactBody) => post<Incident>(`/incidents/${enc(id)}/impact`, body),
  /** page deliveries of an incident (who, channel, step, status, sent, acknowledged); the card shows its own error */
  deliveries: (id: string) => get<DeliveryListResponse>(`/incidents/${enc(id)}/deliveries`, { quiet: true }),

  onDuty: () => get<OnDutyResponse>('/oncall/now', { quiet: true }),

  signals: (unmapped = false) => get<SignalListResponse>(unmapped ? '/signals?unmapped=true&limit=100' : '/signals?limit=100'),
  mapSignal: (id: string, system: string, component?: string) => post<MapSignalResult>(`/signals/${enc(id)}/map`, (component ? { system, component } : { system }) satisfies MapSignalBody),

  ackInfo: (token: string) => get<AckInfo>(`/ack/${enc(token)}`, { quiet: true, no401Redirect: true }),
  ack: (token: string, action: AckBody['action']) => post<AckResult>(`/ack/${enc(token)}`, { action } satisfies AckBody, { no401Redirect: true, quiet: true }),
};
