// Timeline entries in the UI language. The server's `message` is English prose; for the kinds we know we
// rebuild the sentence from `kind` + `data` (names from the plan), and fall back to `message` otherwise.
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../api/types';
import { formatClock } from '../lib/format';
import { useLang } from './useLang';
import { usePlan } from './usePlan';

type Data = Record<string, unknown>;

export function useTimelineText() {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { system, role, plan } = usePlan();

  const sys = (id: unknown) => (typeof id === 'string' ? (system(id) ? pick(system(id)!.name) : id) : '');
  const roleName = (id: unknown) => (typeof id === 'string' ? (role(id) ? pick(role(id)!.name) : id) : '');
  const evidenceName = (id: string) => {
    const e = plan?.evidence?.find((x) => x.id === id);
    return e ? pick(e.name) : t(`timelineKind.action.${id}`, id);
  };

  /** "system" and "source:zabbix" read better as 系统 / zabbix. */
  const actor = (a: string | undefined | null): string => {
    if (!a) return '';
    if (a === 'system') return t('common.system');
    return a.startsWith('source:') ? a.slice('source:'.length) : a;
  };

  const kind = (k: string): string => t(`timelineKind.${k}`, { defaultValue: k });

  const message = (e: TimelineEntry): string => {
    const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
    const s = (v: unknown) => (v == null ? '' : String(v));
    // Without structured data we cannot rebuild the sentence: show what the server wrote.
    if (!e.data && e.kind !== 'incident.opened' && !e.kind.startsWith('action.')) return e.message;
    switch (e.kind) {
      case 'incident.opened':
        return t('tl.opened', { actor: actor(e.actor) });
      case 'system.state':
        return t('tl.systemState', { system: sys(d.system), component: d.component ? ` / ${s(d.component)}` : '', state: t(`systemState.${s(d.state)}`, s(d.state)) });
      case 'impact.scope':
        return t('tl.scope', { scope: t(`scope.${s(d.scope)}`, s(d.scope)) });
      case 'impact.scenario': {
        const sc = plan?.scenarios.find((x) => x.id === d.scenario);
        return t('tl.scenario', { scenario: sc ? pick(sc.name) : s(d.scenario) || '—' });
      }
      case 'impact.flag':
        return t(d.on === false ? 'tl.flagOff' : 'tl.flagOn', { flag: t(`flag.${s(d.flag)}`, s(d.flag)) });
      case 'impact.tally':
        return t('tl.tally', { category: t(`tally.${s(d.category)}`, s(d.category)), count: d.count });
      case 'incident.state':
        return t('tl.state', { from: t(`incidentState.${s(d.from)}`, s(d.from)), to: t(`incidentState.${s(d.to)}`, s(d.to)) }) + (d.reason ? ` — ${s(d.reason)}` : '');
      case 'level.manual':
        return t('tl.levelManual', { level: t(`level.short.${s(d.level)}`, s(d.level)), reason: s(d.reason) });
      case 'level.changed':
        return t('tl.levelChanged', {
          from: t(`level.short.${s(d.from)}`, s(d.from)), to: t(`level.short.${s(d.to)}`, s(d.to)),
          provisional: d.provisional ? t('tl.provisionalSuffix') : '', rule: d.rule === 'manual' ? t('rule.manual') : s(d.rule),
        });
      case 'obligation.met':
        return t('tl.obligationMet', { rule: s(d.obligation) });
      case 'obligation.met_late':
        return t('tl.obligationMetLate', { rule: s(d.obligation) });
      case 'obligation.waived':
        return t('tl.obligationWaived', { rule: s(d.obligation), reason: s(d.reason) });
      case 'obligation.breached':
        return t('tl.obligationBreached', { rule: s(d.obligation), late: typeof d.lateMs === 'number' && d.lateMs >= 1000 ? formatClock(d.lateMs) : '' });
      case 'page.requested':
        return t('tl.pageRequested', { role: roleName(d.role), rule: s(d.obligation ?? d.escalation) });
      case 'escalation':
        return t('tl.escalation', { rule: s(d.escalation) });
      default:
        if (e.kind.startsWith('action.')) {
          const base = t('tl.action', { action: evidenceName(e.kind.slice('action.'.length)), actor: actor(e.actor) });
          return d.note ? `${base} — ${s(d.note)}` : base;
        }
        return e.message; // signal.* carry the monitoring tool's own summary; unknown kinds as sent
    }
  };

  return { message, kind, actor };
}
