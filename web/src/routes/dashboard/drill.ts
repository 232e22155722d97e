// Incidents of a drill run (the incident view's `drill`; absent or null: a real incident) are shown after real ones.
import type { Incident } from '../../api/types';

export const isDrill = (i: Incident): boolean => !!(i as { drill?: unknown }).drill;

/** Real incidents before drill incidents; 0 between two of the same kind. */
export const byRealFirst = (a: Incident, b: Incident): number => Number(isDrill(a)) - Number(isDrill(b));
