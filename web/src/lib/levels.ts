// Level and system-status presentation: colour AND text AND icon shape, so no meaning rests on colour alone.
import type { IncidentSystem, LevelId, SystemState } from '../api/types';

export const LEVEL_STYLE: Record<LevelId, { bg: string; fg: string; border: string }> = {
  L1: { bg: '#a8071a', fg: '#ffffff', border: '#5c0011' }, // red
  L2: { bg: '#fa8c16', fg: '#000000', border: '#ad4e00' }, // orange
  L3: { bg: '#fadb14', fg: '#000000', border: '#ad8b00' }, // yellow
};

export const LEVEL_RANK: Record<LevelId, number> = { L1: 3, L2: 2, L3: 1 };

/** HICS 251 terms: fully functional / partially functional / non-functional. */
export type Hics = 'full' | 'partial' | 'none';
export const HICS_OF: Record<SystemState, Hics> = { up: 'full', degraded: 'partial', down: 'none' };
export const HICS_COLOUR: Record<Hics, string> = { full: '#389e0d', partial: '#d48806', none: '#cf1322' };
const HICS_RANK: Record<Hics, number> = { full: 0, partial: 1, none: 2 };

/** The worst state of one plan system across a set of incident system rows. */
export function worstHics(rows: IncidentSystem[]): Hics {
  return rows.reduce<Hics>((worst, r) => {
    const h = HICS_OF[r.state] ?? 'full';
    return HICS_RANK[h] > HICS_RANK[worst] ? h : worst;
  }, 'full');
}
