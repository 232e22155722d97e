// The drills API: runs (start, pause, resume, end) and their evaluation (catalogue, calendar, observers' sheet,
// scores, reports, corrective actions). Types are the server's own (src/drills). Writes are `quiet`: each screen
// shows its errors itself, worded from their codes.
import type { DrillActionView } from '../../../src/drills/actions.js';
import type { CalendarMonth } from '../../../src/drills/calendar.js';
import type { CatalogueItem } from '../../../src/drills/catalogue.js';
import type { RunSummary } from '../../../src/drills/evaluation.js';
import type { MarkView, ObserverSheet } from '../../../src/drills/observers.js';
import type { DrillScore } from '../../../src/drills/scoring.js';
import type { DrillRunDetail } from '../../../src/drills/service.js';
import { API_BASE, ApiError, get, request } from './client';
import type { Problem } from './types';

export type { CalendarMonth, CatalogueItem, DrillActionView, DrillRunDetail, DrillScore, MarkView, ObserverSheet, RunSummary };

const enc = encodeURIComponent;
const quiet = { quiet: true };

export const drillsApi = {
  catalogue: () => get<{ items: CatalogueItem[] }>('/drills/catalogue'),
  calendar: () => get<{ months: CalendarMonth[] }>('/drills/calendar'),
  history: () => get<{ items: RunSummary[] }>('/drills/history'),
  setPlanned: (id: string, date: string | null) => request<CatalogueItem>('PUT', `/drills/catalogue/${enc(id)}/planned-date`, { date }, quiet),
  start: (body: { catalogueId?: string; scenarioYaml?: string; timeFactor?: number }) => request<DrillRunDetail>('POST', '/drills/runs', body, quiet),
  run: (id: string) => get<DrillRunDetail>(`/drills/runs/${enc(id)}`),
  control: (id: string, what: 'pause' | 'resume' | 'end') => request<DrillRunDetail>('POST', `/drills/runs/${enc(id)}/${what}`, {}, quiet),
  sheet: (id: string) => get<ObserverSheet>(`/drills/runs/${enc(id)}/sheet`),
  mark: (id: string, body: { stepKey: string; outcome: 'done' | 'late' | 'missed'; note?: string | null }) => request<MarkView>('PUT', `/drills/runs/${enc(id)}/marks`, body, quiet),
  score: (id: string) => get<DrillScore>(`/drills/runs/${enc(id)}/score`),
  actions: (id: string) => get<{ today: string; items: DrillActionView[] }>(`/drills/runs/${enc(id)}/actions`),
  openActions: () => get<{ today: string; items: DrillActionView[] }>('/drills/actions?state=open'),
  addAction: (id: string, body: { title: string; ownerPersonId: string; due: string }) => request<DrillActionView>('POST', `/drills/runs/${enc(id)}/actions`, body, quiet),
  changeAction: (id: string, body: { state: 'open' | 'done' }) => request<DrillActionView>('PATCH', `/drills/actions/${enc(id)}`, body, quiet),
  owners: () => get<{ items: { id: string; name: string; department: string }[] }>('/corrective-actions/owners', quiet),
};

export const photoUrl = (markId: string) => `${API_BASE}/drills/marks/${enc(markId)}/photo`;
export const reportUrl = (runId: string, ext: 'docx' | 'pdf', lang: 'zh-CN' | 'en') => `${API_BASE}/drills/runs/${enc(runId)}/report.${ext}${lang === 'en' ? '?lang=en' : ''}`;

/** Sends a photo as the request body (the server checks its bytes and size). */
export async function uploadPhoto(runId: string, stepKey: string, file: File, csrf: string | undefined): Promise<MarkView> {
  const res = await fetch(`${API_BASE}/drills/runs/${enc(runId)}/marks/photo?step=${enc(stepKey)}`, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'content-type': file.type || 'application/octet-stream', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    body: file,
  });
  if (!res.ok) {
    let problem: Problem = { status: res.status, title: res.statusText };
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(res.status, problem);
  }
  return (await res.json()) as MarkView;
}
