// One function per API call the UI makes. Keep paths here only.
import { get, post, type RequestOptions } from './client';
import type { ActionBody, Delivery, ImpactBody, Incident, IncidentSystem, OnDutyEntry, Plan, PlanCheck, Session, Signal } from './types';

const enc = encodeURIComponent;

export const api = {
  session: (o?: RequestOptions) => get<Session>('/session', o),
  login: (username: string, password: string) => post<{ csrfToken?: string; user?: Session['user'] }>('/auth/login', { username, password }, { no401Redirect: true, quiet: true }),
  logout: () => post<void>('/auth/logout', {}, { no401Redirect: true, quiet: true }),

  plan: () => get<Plan>('/plan'),
  planCheck: () => get<PlanCheck>('/plan/check'),

  incidents: (state: 'open' | 'all' = 'open') => get<{ items: Incident[] }>(`/incidents?state=${state}`),
  incident: (id: string) => get<Incident>(`/incidents/${enc(id)}`),
  openIncident: (body: { title: string; systems: IncidentSystem[]; scope?: string; scenario?: string }) => post<Incident>('/incidents', body),
  act: (id: string, body: ActionBody) => post<unknown>(`/incidents/${enc(id)}/actions`, body),
  impact: (id: string, body: ImpactBody) => post<unknown>(`/incidents/${enc(id)}/impact`, body),
  /** page deliveries of an incident (who, channel, step, status, sent, acknowledged); the card shows its own error */
  deliveries: (id: string) => get<{ items: Delivery[] }>(`/incidents/${enc(id)}/deliveries`, { quiet: true }),

  onDuty: () => get<{ items?: OnDutyEntry[] } | OnDutyEntry[]>('/oncall/now', { quiet: true }),

  signals: (unmapped = false) => get<{ items: Signal[] }>(unmapped ? '/signals?unmapped=true&limit=100' : '/signals?limit=100'),
  mapSignal: (id: string, system: string, component?: string) => post<unknown>(`/signals/${enc(id)}/map`, component ? { system, component } : { system }),

  ackInfo: (token: string) => get<Record<string, unknown>>(`/ack/${enc(token)}`, { quiet: true, no401Redirect: true }),
  ack: (token: string, action: 'acknowledge' | 'check_in') => post<Record<string, unknown>>(`/ack/${enc(token)}`, { action }, { no401Redirect: true, quiet: true }),
};
