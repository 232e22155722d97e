// What the impact form sends: only the facts the person changed against the incident as it is now, and when
// they began (`since`) if the person says so. Pure, so test/web-incident-response-logic.test.ts checks it without a browser.
import type { ImpactBody, Incident, Scope, SystemState, TallyCategory } from '../../api/types.js';
import { TALLY_MAX } from './impact-options.js';

export interface ImpactValues {
  system?: string;
  component?: string;
  systemState?: SystemState;
  scope?: Scope;
  flags: string[];
  scenario?: string;
  /** as typed (the form keeps text so that it can say why "-5" or "abc" is refused) or as loaded */
  tally: Partial<Record<TallyCategory, number | string | null>>;
  /** datetime-local ("2026-03-02T09:00"), local time; empty: now */
  since?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as a datetime-local value, in local time. */
export const localInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** A datetime-local value as epoch ms (NaN when empty or malformed). */
export const fromLocalInput = (v: string | undefined) => (v ? new Date(v).getTime() : Number.NaN);

/** What the form changes against the incident as it is now: only those facts are sent. */
export function impactChanges(v: ImpactValues, i: Incident, scopeTouched: boolean): ImpactBody {
  const body: ImpactBody = {};
  // a scope chosen by hand is sent even when unchanged: recording the same scope confirms an assumed one
  if (v.scope && (v.scope !== i.scope || scopeTouched)) body.scope = v.scope;
  if ((v.scenario ?? null) !== (i.scenario ?? null)) body.scenario = v.scenario ?? null;
  const had = new Set(i.flags ?? []);
  const want = new Set(v.flags ?? []);
  const flags: Record<string, boolean> = {};
  for (const f of want) if (!had.has(f)) flags[f] = true;
  for (const f of had) if (!want.has(f)) flags[f] = false;
  if (Object.keys(flags).length) body.flags = flags;
  const tally = Object.fromEntries(Object.entries(v.tally ?? {}).filter(([c, n]) => typeof n === 'number' && n !== i.tallies?.[c as TallyCategory])) as ImpactBody['tally'];
  if (tally && Object.keys(tally).length) body.tally = tally;
  if (v.system) body.systems = [{ system: v.system, state: v.systemState ?? 'down', ...(v.component?.trim() ? { component: v.component.trim() } : {}) }];
  const since = fromLocalInput(v.since);
  if (!Number.isNaN(since)) body.since = new Date(since).toISOString();
  return body;
}

/** Why a typed patient tally is refused (a key under forms.tally), or null when it is empty or a whole number 0…TALLY_MAX. */
export function tallyProblem(v: unknown): 'negative' | 'notWhole' | 'tooLarge' | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
  const text = String(v).trim();
  if (/^-\s*\d/.test(text)) return 'negative';
  if (!/^\d+$/.test(text)) return 'notWhole';
  return Number(text) > TALLY_MAX ? 'tooLarge' : null;
}

/** The typed tallies as numbers (empty ones left out); call only once every tally passed tallyProblem. */
export function tallyValues(tally: ImpactValues['tally'] | undefined): ImpactValues['tally'] {
  const out: ImpactValues['tally'] = {};
  for (const [c, v] of Object.entries(tally ?? {})) if (v !== null && v !== undefined && String(v).trim() !== '') out[c as TallyCategory] = Number(String(v).trim());
  return out;
}
