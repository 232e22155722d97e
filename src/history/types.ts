import type { LevelId, Text } from '../plan/types.js';

/** Incident states a history filter may name; `open` is responding or recovering. */
export const HISTORY_STATES = ['responding', 'recovering', 'closed', 'open'] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

/** A validated history filter: every instant in epoch ms, `to` exclusive. */
export interface HistoryFilter {
  systems: string[];
  levels: LevelId[];
  states: HistoryState[];
  from: number | null;
  to: number | null;
  q: string | null;
}

/** How an incident's obligations ended (or stand): on time, late, missed (or overdue), still pending. Waived ones are not counted. */
export interface ObligationCounts {
  met: number;
  late: number;
  missed: number;
  pending: number;
}

/** One row of GET /api/v1/history/incidents. */
export interface HistoryItem {
  id: string;
  title: string;
  state: 'responding' | 'recovering' | 'closed';
  level: { highest: LevelId; current: LevelId };
  systems: string[];
  detectedAt: string;
  openedAt: string;
  acknowledgedAt: string | null;
  recoveredAt: string | null;
  closedAt: string | null;
  /** detected → closed; null while open. */
  durationMs: number | null;
  /** detected → the first acknowledgement; null if none yet. */
  timeToAcknowledgeMs: number | null;
  /** detected → service restored (the recovering state); null if not restored. */
  timeToRestoreMs: number | null;
  obligations: ObligationCounts;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor: string | null;
  total: number;
}

/** One figure cell: a system (null: all systems together) in a month. */
export interface DurationFigure {
  system: string | null;
  month: string; // YYYY-MM in the configured time zone
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** incidents of that system and month without the instant (not acknowledged / not restored yet, or closed without) */
  excluded: number;
}

export interface ObligationFigure {
  rule: string;
  action: Text;
  total: number;
  onTime: number;
  late: number;
  missed: number;
  pending: number;
  /** onTime / (onTime + late + missed); null when none is decided yet */
  share: number | null;
}

export interface LevelFigure {
  month: string;
  counts: Record<LevelId, number>;
  total: number;
}

/** GET /api/v1/figures */
export interface Figures {
  from: string;
  to: string;
  timezone: string;
  months: string[];
  incidents: number;
  timeToAcknowledge: DurationFigure[];
  timeToRestore: DurationFigure[];
  obligationsOnTime: ObligationFigure[];
  incidentsPerLevel: LevelFigure[];
}
