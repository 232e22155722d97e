// The post-incident review API: the report files, the review, corrective actions. Request and response types are
// the server's (src/http/contract.ts; see the note in ./types). Writes are `quiet`: the review card shows their
// errors itself, in the UI language from their codes.
import { API_BASE, ApiError, get, request } from './client';
import type {
  ActionOwnersResponse,
  ChangeCorrectiveActionBody,
  CorrectiveActionListResponse,
  CorrectiveActionView,
  NewCorrectiveActionBody,
  OpenCorrectiveActionListResponse,
  ReviewBody,
  ReviewView,
} from '../../../src/http/contract.js';
import type { Problem } from './types';

export type { CorrectiveActionView, OpenCorrectiveActionView, ReviewView } from '../../../src/http/contract.js';
export type CorrectiveAction = CorrectiveActionView;
export type ReportFormat = 'docx' | 'pdf';

const enc = encodeURIComponent;
const quiet = { quiet: true };

export const reviewApi = {
  review: (incidentId: string) => get<ReviewView>(`/incidents/${enc(incidentId)}/review`, quiet),
  saveReview: (incidentId: string, body: ReviewBody) => request<ReviewView>('PUT', `/incidents/${enc(incidentId)}/review`, body, quiet),
  actions: (incidentId: string) => get<CorrectiveActionListResponse>(`/incidents/${enc(incidentId)}/corrective-actions`, quiet),
  addAction: (incidentId: string, body: NewCorrectiveActionBody) => request<CorrectiveActionView>('POST', `/incidents/${enc(incidentId)}/corrective-actions`, body, quiet),
  changeAction: (id: string, body: ChangeCorrectiveActionBody) => request<CorrectiveActionView>('PATCH', `/corrective-actions/${enc(id)}`, body, quiet),
  openActions: () => get<OpenCorrectiveActionListResponse>('/corrective-actions?state=open', quiet),
  owners: () => get<ActionOwnersResponse>('/corrective-actions/owners', quiet),
};

/** Fetches the report file and hands it to the browser as a download under the server's file name. */
export async function downloadReport(incidentId: string, format: ReportFormat, lang: 'zh-CN' | 'en'): Promise<void> {
  const res = await fetch(`${API_BASE}/incidents/${enc(incidentId)}/report.${format}${lang === 'en' ? '?lang=en' : ''}`, { credentials: 'same-origin' });
  if (!res.ok) {
    let problem: Problem = { status: res.status, title: res.statusText };
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // not problem+json
    }
    throw new ApiError(res.status, problem);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition')) ?? `report.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The exact file name of a Content-Disposition header (filename*=UTF-8''…), else its ASCII fallback. */
function fileNameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      // fall back to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1];
}
