import { z } from 'zod';
import { metricNumber } from '../../signals/metric-value.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Normalises an ISO 8601 timestamp to `toISOString()` form. Returns undefined for Go's zero time
 * (`0001-01-01T00:00:00Z`, what Alertmanager sends as endsAt while firing), for unparsable text and
 * for times without a zone (their meaning depends on the sender's clock settings).
 */
export function isoTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const known = recentTimes.get(text);
  if (known !== undefined || recentTimes.has(text)) return known;
  let iso: string | undefined;
  if (ISO_WITH_ZONE.test(text.trim())) {
    const ms = Date.parse(text.trim());
    if (!Number.isNaN(ms) && new Date(ms).getUTCFullYear() > 1) iso = new Date(ms).toISOString();
  }
  if (recentTimes.size >= 10_000) recentTimes.clear();
  recentTimes.set(text, iso);
  return iso;
}

/** Senders repeat the same instants (a group's startsAt, Go's zero endsAt): parse each once. */
const recentTimes = new Map<string, string | undefined>();

/** Epoch milliseconds of an ISO timestamp, or undefined (same rules as isoTime). */
export function isoMillis(text: string | undefined): number | undefined {
  const iso = isoTime(text);
  return iso === undefined ? undefined : Date.parse(iso);
}

/** The last Unix second a signal time may name: 9999-12-31T23:59:59Z (beyond it an ISO time has no 4-digit year). */
export const MAX_UNIX_SECONDS = 253_402_300_799;

/** Unix seconds (number or numeric string) → ISO, or undefined (also for a time past MAX_UNIX_SECONDS). */
export function unixSecondsToIso(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_UNIX_SECONDS) return undefined;
  return new Date(Math.round(seconds * 1000)).toISOString();
}

const VALUE_MAPPED = /^[^()]*\(\s*([+-]?\d+(?:\.\d+)?)\s*\)\s*$/;

/**
 * A metric value sent as text: a number (optionally with "%"), a state word ("up", "down", "ok", "stopped"…, as
 * 1/0), or a Zabbix value-mapped value ("Down (0)", "Up (1)": the raw value in brackets). Values with other
 * units ("1.2 GB") are not comparable with plan thresholds, so they give undefined.
 */
export function parseMetricValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const direct = metricNumber(text);
  if (direct !== undefined) return direct;
  const mapped = VALUE_MAPPED.exec(text);
  return mapped ? metricNumber(mapped[1]) : undefined;
}

/**
 * The metric an alert carries in its labels or annotations (Prometheus rules, Grafana, PagerDuty custom details):
 * `metric` names it, `value` (or `metric_value`) gives its value, read by `parseMetricValue` — so an alert on
 * `up == 0` with `metric: db_service_up` and `value: "{{ $value }}"` reads as the state down.
 */
export function metricFromLabels(...sets: Array<Record<string, string> | undefined>): { name: string; value: number } | undefined {
  const name = firstText(...sets.map((s) => s?.metric));
  if (!name) return undefined;
  const value = parseMetricValue(firstText(...sets.flatMap((s) => [s?.value, s?.metric_value])));
  return value === undefined ? undefined : { name, value };
}

/** Host part of a Prometheus `instance` label: "his-db-01:9100" → "his-db-01", "[::1]:9100" → "::1". */
export function hostFromInstance(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1]!;
  const withPort = /^([^:]+):\d+$/.exec(instance);
  return withPort ? withPort[1]! : instance;
}

/** First non-blank string among the arguments. */
export function firstText(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => typeof v === 'string' && v.trim() !== '');
}

/** A string field that also accepts a number (senders are loose about "1" vs 1); the number becomes text. */
export const looseString = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());

/** Prometheus-style label or annotation set: string → string. */
export const labelSet = z.record(z.string(), z.string());
