// The plan's rules in words of the UI language: an obligation's trigger, an escalation's condition and outcome,
// what happens on a breach. Ids of the plan become names (roles, systems, flags, states…); nothing is cut short.

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface PlanWordHelpers {
  t: Translate;
  exists: (key: string) => boolean;
  roleName: (id: string) => string | undefined;
  systemName: (id: string) => string | undefined;
  /** An ISO 8601 duration in words (lib/format formatIsoDuration). */
  duration: (iso: string) => string;
  /** An escalation's place in the plan's list (1-based), for `escalate: E3to2`. */
  escalationNumber: (id: string) => number | undefined;
  /** What an obligation asks for (its action), for `obligation_breached: O3.3`. */
  obligationName: (id: string) => string | undefined;
  language: string;
}

const list = (items: string[], h: PlanWordHelpers) => items.join(h.language === 'en' ? ', ' : '、');

/** `incident.opened`, `level.reached:L2`, `schedule` … */
export function triggerText(trigger: string, h: PlanWordHelpers): string {
  const [what, arg] = trigger.split(':');
  const key = `planWords.trigger.${what.replace(/\./g, '_')}`;
  return h.exists(key) ? h.t(key, { level: arg ?? '' }) : h.t('planWords.trigger.other');
}

/** One value of a condition, worded by what its key names. */
function valueText(key: string, v: unknown, h: PlanWordHelpers): string {
  if (Array.isArray(v))
    return list(
      v.map((x) => valueText(key, x, h)),
      h,
    );
  if (v && typeof v === 'object') return conditionText(v, h);
  const s = String(v);
  const named = (prefix: string) => (h.exists(`${prefix}.${s}`) ? h.t(`${prefix}.${s}`) : s);
  switch (key) {
    case 'by_roles':
    case 'notify':
    case 'page':
      return h.roleName(s) ?? s;
    case 'systems':
    case 'system':
      return h.systemName(s) ?? s;
    case 'impact_flags':
    case 'impact_flags_absent':
    case 'any_flag':
      return named('flag');
    case 'state':
      return named('systemState');
    case 'scope':
      return named('scope');
    case 'categories':
      return named('category');
    case 'category':
      return s === 'total' ? h.t('planWords.tallyTotal') : named('downtime.tally');
    case 'gt':
    case 'ge':
    case 'duration':
      return /^P/.test(s) ? h.duration(s) : s;
    case 'escalate': {
      const n = h.escalationNumber(s);
      return n ? h.t('planWords.escalationNo', { n }) : s;
    }
    case 'obligation_breached':
      return h.obligationName(s) ?? s;
    case 'set_level':
      return s === 'any' ? h.t('planWords.anyLevel') : s;
    case 'match':
      return s === 'any' ? h.t('planWords.matchAny') : h.t('planWords.matchAll');
    default:
      return s;
  }
}

/** A condition or outcome object ({ obligation_breached: O3.3 }, { set_level_at_least: L2, notify: [...] } …) as a sentence. */
export function conditionText(value: unknown, h: PlanWordHelpers): string {
  if (value == null) return '—';
  if (Array.isArray(value))
    return list(
      value.map((v) => conditionText(v, h)),
      h,
    );
  if (typeof value !== 'object') {
    const key = `planWords.cond.${String(value)}`;
    return h.exists(key) ? h.t(key) : String(value);
  }
  const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const key = `planWords.cond.${k}`;
    if (!h.exists(key)) return h.t('planWords.cond.other');
    return v === true ? h.t(key, { value: '' }) : h.t(key, { value: valueText(k, v, h) });
  });
  return parts.join(h.language === 'en' ? '; ' : '；');
}
