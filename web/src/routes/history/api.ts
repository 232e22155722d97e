// History and figures API (/api/v1/history/incidents[.csv], /api/v1/figures). The shapes are the server's own
// (src/history/types.ts), imported as types only. Requests are quiet: the pages render errors from their codes.
import type { Figures, HistoryPage } from '../../../../src/history/types.js';
import { API_BASE, get } from '../../api/client';

export type { DurationFigure, Figures, HistoryItem, HistoryPage, LevelFigure, ObligationFigure } from '../../../../src/history/types.js';

/** The filters of the history page, as they stand in its URL. */
export interface HistoryQuery {
  system?: string;
  level?: string;
  state?: string;
  from?: string;
  to?: string;
  q?: string;
}

export const FILTER_KEYS = ['system', 'level', 'state', 'from', 'to', 'q'] as const;

export function readQuery(search: string): HistoryQuery {
  const params = new URLSearchParams(search);
  const out: HistoryQuery = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

export function queryString(q: HistoryQuery, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v) params.set(k, v);
  return params.toString();
}

export const historyApi = {
  list: (q: HistoryQuery, cursor?: string) => get<HistoryPage>(`/history/incidents?${queryString(q, { cursor, limit: '50' })}`, { quiet: true }),
  csvUrl: (q: HistoryQuery, lang: string) => `${API_BASE}/history/incidents.csv?${queryString(q, { lang: lang === 'en' ? 'en' : undefined })}`,
  figures: (q: Pick<HistoryQuery, 'from' | 'to' | 'system'>) => get<Figures>(`/figures?${queryString(q)}`, { quiet: true }),
};
