export const Second = { ms: 1000 } as const;
export const Minute = { ms: 60 * Second.ms } as const;
export const Hour = { ms: 60 * Minute.ms } as const;
export const Day = { ms: 24 * Hour.ms } as const;

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration (PT5M, P1D, P30Y…) into milliseconds; years are 365 days, months 30. */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

const SHORT_DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/;

/** Parses the short form used in scenarios (`2h1m`, `90s`, `0m`) into milliseconds. */
export function parseShortDuration(text: string): number | undefined {
  const m = SHORT_DURATION.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [, d, h, mi, s, ms] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return (((d * 24 + h) * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Accepts either ISO 8601 (`PT5M`) or the short form (`5m`). */
export function parseDuration(text: string): number | undefined {
  return text.startsWith('P') ? parseIsoDuration(text) : parseShortDuration(text);
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms / 1000));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return sign + (h ? `${h}h` : '') + (m ? `${m}m` : '') + (s || (!h && !m) ? `${s}s` : '');
}
