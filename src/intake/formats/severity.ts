import type { Colour } from '../../shared/colour.js';
import { COLOURS } from '../../shared/colour.js';
import type { IntakeContext } from '../format.js';

/** Colour used when a sender gives no severity we recognise: treated like a warning. */
export const DEFAULT_COLOUR: Colour = 'orange';

/** Severity names used by Prometheus-style labels (Alertmanager, Grafana, generic JSON). */
export const LABEL_SEVERITY_COLOURS: Readonly<Record<string, Colour>> = {
  critical: 'red',
  error: 'orange',
  warning: 'orange',
  info: 'blue',
  none: 'blue',
};

function lookup(map: Readonly<Record<string, Colour>> | undefined, key: string): Colour | undefined {
  if (!map) return undefined;
  if (Object.hasOwn(map, key)) return map[key];
  const lower = key.toLowerCase();
  for (const [name, colour] of Object.entries(map)) {
    if (name.toLowerCase() === lower) return colour;
  }
  return undefined;
}

function isColour(value: string): value is Colour {
  return (COLOURS as readonly string[]).includes(value);
}

/** The colour the first candidate that `map` knows maps to (keys match case-insensitively). */
export function mappedColour(candidates: ReadonlyArray<string | undefined>, map: Readonly<Record<string, Colour>> | undefined): Colour | undefined {
  for (const c of candidates) {
    if (typeof c !== 'string' || c.trim() === '') continue;
    const mapped = lookup(map, c.trim());
    if (mapped) return mapped;
  }
  return undefined;
}

/**
 * Maps the sender's severity to a plan colour. The candidates (e.g. Zabbix's severity name, then its
 * number) are looked up in the source's `severityMap` first, then in the format's defaults; a value
 * that is already a colour name is taken as is; otherwise `fallback`.
 */
export function resolveColour(candidates: ReadonlyArray<string | undefined>, defaults: Readonly<Record<string, Colour>>, ctx: IntakeContext, fallback: Colour = DEFAULT_COLOUR): Colour {
  return mappedColour(candidates, ctx.severityMap) ?? mappedColour(candidates, defaults) ?? colourNamed(candidates) ?? fallback;
}

function colourNamed(candidates: ReadonlyArray<string | undefined>): Colour | undefined {
  for (const c of candidates) {
    const lower = c?.trim().toLowerCase();
    if (lower && isColour(lower)) return lower;
  }
  return undefined;
}
