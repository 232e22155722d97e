import { createHash } from 'node:crypto';
import type { Plan } from '../plan/types.js';
import type { MappingRule, Source } from './sources.js';
import type { NormalisedSignal } from '../signals/types.js';

/**
 * Maps a signal to a plan system (seed §三(一): every alarm belongs to a system of the plan):
 * 1. a `system` the sender names (label `system`, Zabbix tag, PagerDuty group…) that is a plan system
 *    (case-insensitive) maps directly;
 * 2. else the source's rules, in order — the first whose every condition holds gives system and component;
 * 3. else the source's default system (options.system);
 * 4. else the signal stays unmapped: stored, listed by `GET /api/v1/signals?unmapped=true`, never dropped.
 */
export function mapSignal(plan: Pick<Plan, 'systems'>, source: Source, signal: NormalisedSignal): NormalisedSignal {
  const named = signal.system ? planSystem(plan, signal.system) : undefined;
  if (named) return fit(named === signal.system ? signal : { ...signal, system: named });
  const rule = source.rules.find((r) => ruleMatches(r, signal));
  if (rule) return fit({ ...signal, system: rule.system, ...(rule.component !== undefined ? { component: rule.component } : {}) });
  if (source.options.system) {
    return fit({ ...signal, system: source.options.system, ...(source.options.component !== undefined && !signal.component ? { component: source.options.component } : {}) });
  }
  return fit(signal);
}

const systemIds = new WeakMap<Plan['systems'], Map<string, string>>();

/** The plan system a sender's name denotes (case and surrounding blanks aside). */
function planSystem(plan: Pick<Plan, 'systems'>, name: string): string | undefined {
  let ids = systemIds.get(plan.systems);
  if (!ids)
    systemIds.set(
      plan.systems,
      (ids = new Map(
        plan.systems.flatMap((s) => [
          [s.id.toLowerCase(), s.id],
          [s.id, s.id],
        ]),
      )),
    );
  return ids.get(name) ?? ids.get(name.trim().toLowerCase());
}

const compiled = new Map<string, RegExp>();

/** `/re/` is a regular expression; anything else a case-insensitive glob with `*` and `?`. */
export function patternMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  let re = compiled.get(pattern);
  if (!re) {
    re =
      pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')
        ? new RegExp(pattern.slice(1, -1))
        : new RegExp(
            `^${pattern
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.')}$`,
            'i',
          );
    if (compiled.size > 5000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** Host groups a sender gives: Zabbix's {TRIGGER.HOSTGROUP.NAME} ("A, B"), Nagios/Icinga hostgroups. */
function hostGroups(labels: Record<string, string>): string[] {
  const raw = [labels.host_groups, labels.hostgroups, labels.host_group, labels.hostgroup].filter((v): v is string => typeof v === 'string');
  return raw
    .flatMap((v) => v.split(/,\s*/))
    .map((g) => g.trim())
    .filter(Boolean);
}

export function ruleMatches(rule: MappingRule, signal: NormalisedSignal): boolean {
  const labels = signal.labels ?? {};
  const { match } = rule;
  for (const set of [match.labels, match.tags]) {
    if (!set) continue;
    for (const [name, p] of Object.entries(set)) if (!patternMatches(p, Object.hasOwn(labels, name) ? labels[name] : undefined)) return false;
  }
  if (match.host !== undefined && !patternMatches(match.host, signal.host)) return false;
  if (match.hostGroup !== undefined && !hostGroups(labels).some((g) => patternMatches(match.hostGroup!, g))) return false;
  return true;
}

/** Column widths of the signals table: an over-long value must not turn a valid alert into a 5xx. */
const LIMITS = { system: 100, component: 200, host: 300, dedupKey: 300, metric: 200 } as const;

function fit(s: NormalisedSignal): NormalisedSignal {
  if (
    (s.system?.length ?? 0) <= LIMITS.system &&
    (s.component?.length ?? 0) <= LIMITS.component &&
    (s.host?.length ?? 0) <= LIMITS.host &&
    (s.dedupKey?.length ?? 0) <= LIMITS.dedupKey &&
    (s.metric?.name.length ?? 0) <= LIMITS.metric
  )
    return s;
  const out = { ...s };
  if (out.system && out.system.length > LIMITS.system) out.system = out.system.slice(0, LIMITS.system);
  if (out.component && out.component.length > LIMITS.component) out.component = out.component.slice(0, LIMITS.component);
  if (out.host && out.host.length > LIMITS.host) out.host = out.host.slice(0, LIMITS.host);
  if (out.dedupKey && out.dedupKey.length > LIMITS.dedupKey) out.dedupKey = `${out.dedupKey.slice(0, 250)}#${createHash('sha256').update(out.dedupKey).digest('base64url')}`;
  if (out.metric && out.metric.name.length > LIMITS.metric) out.metric = { ...out.metric, name: out.metric.name.slice(0, LIMITS.metric) };
  return out;
}
