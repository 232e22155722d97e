// Timeline entries in the UI language. The server's `message` is English prose; for the kinds we know we
// rebuild the sentence from `kind` + `data` (names from the plan), and fall back to `message` otherwise.
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../api/types';
import { formatClock, formatTime } from '../lib/format';
import { useLang } from './useLang';
import { usePlan } from './usePlan';

type Data = Record<string, unknown>;

export function useTimelineText() {
  const { t, i18n } = useTranslation();
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
    if (a === 'paging') return t('tl.pagingActor');
    return a.startsWith('source:') ? a.slice('source:'.length) : a;
  };

  /** A configured channel id when translated (sms, wecom …), else the family of its notifier kind (sms-aliyun → sms). */
  const channel = (id: unknown, notifier?: unknown): string => {
    const c = typeof id === 'string' ? id : '';
    if (c && i18n.exists(`channel.${c}`)) return t(`channel.${c}`);
    const family = typeof notifier === 'string' ? notifier.split('-')[0] : '';
    return family && i18n.exists(`channel.${family}`) ? t(`channel.${family}`) : c;
  };
  const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => channel(x)).join(t('tl.listSep')) : '');
  /** The paging code says why a person cannot be paged in three fixed English forms. */
  const why = (v: unknown): string => {
    const w = typeof v === 'string' ? v : '';
    if (w === 'not in the directory') return t('tl.whyNotInDirectory');
    if (w === 'marked inactive') return t('tl.whyInactive');
    if (w.startsWith('no address for '))
      return t('tl.whyNoAddress', {
        channels: w
          .slice('no address for '.length)
          .split(', ')
          .map((x) => channel(x))
          .join(t('tl.listSep')),
      });
    return w;
  };
  const downtimeWhere = (d: Data) => [d.businessLine, d.department].filter((x) => typeof x === 'string' && x).join(' @ ');
  const downtimeState = (v: unknown) => (typeof v === 'string' ? t(`downtime.state.${v}`, v) : '');

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
          from: t(`level.short.${s(d.from)}`, s(d.from)),
          to: t(`level.short.${s(d.to)}`, s(d.to)),
          provisional: d.provisional ? t('tl.provisionalSuffix') : '',
          rule: d.rule === 'manual' ? t('rule.manual') : s(d.rule),
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
      case 'page.queued':
        return t('tl.pageQueued', { name: s(d.name ?? d.person), role: roleName(d.role), channels: list(d.channels) }) + (d.deputyFor ? t('tl.deputyFor', { name: s(d.deputyFor) }) : '');
      case 'page.not_sent':
        return t('tl.pageNotSent', { name: s(d.name ?? d.person), role: roleName(d.role) });
      case 'page.unreachable':
        return t('tl.pageUnreachable', { name: s(d.name ?? d.person), role: roleName(d.role), why: why(d.why) });
      case 'page.unstaffed':
        return t('tl.pageUnstaffed', { role: roleName(d.role) });
      case 'page.sent':
        return t('tl.pageSent', { name: s(d.name ?? d.person), channel: channel(d.channel, d.kind) }) + (typeof d.round === 'number' && d.round > 1 ? t('tl.pageRound', { round: d.round }) : '');
      case 'page.retry':
        return t('tl.pageRetry', {
          name: s(d.name ?? d.person),
          channel: channel(d.channel, d.kind),
          reason: s(d.reason),
          time: typeof d.retryAt === 'number' ? formatTime(new Date(d.retryAt).toISOString()) : '—',
        });
      case 'page.failed':
        return t('tl.pageFailed', { name: s(d.name ?? d.person), channel: channel(d.channel, d.kind), reason: s(d.reason) });
      case 'page.repeat':
        return t('tl.pageRepeat', { role: roleName(d.role), round: s(d.round), limit: s(d.limit) });
      case 'page.answered':
        return t('tl.pageAnswered', { actor: actor(e.actor), action: t(`timelineKind.action.${s(d.action)}`, s(d.action)) });
      case 'signal.acknowledged': {
        const summary = /\((.*)\)$/.exec(e.message)?.[1];
        return t('tl.signalAcknowledged', { source: actor(e.actor) }) + (d.author ? ` · ${s(d.author)}` : '') + (summary ? ` — ${summary}` : '');
      }
      case 'downtime.started':
        return t('tl.downtimeStarted', { where: downtimeWhere(d) });
      case 'downtime.state':
        return (
          t('tl.downtimeState', { from: downtimeState(d.from), to: downtimeState(d.to) }) + (downtimeWhere(d) ? t('tl.paren', { text: downtimeWhere(d) }) : '') + (d.reason ? ` — ${s(d.reason)}` : '')
        );
      case 'downtime.waived':
        return t('tl.downtimeWaived', { state: downtimeState(d.state), reason: s(d.reason) });
      case 'downtime.tally': {
        const counts = d.counts && typeof d.counts === 'object' ? Object.entries(d.counts as Record<string, unknown>) : [];
        return t('tl.downtimeTally', { department: s(d.department), counts: counts.map(([c, n]) => `${t(`downtime.tally.${c}`, c)} ${s(n)}`).join(t('tl.listSep')) });
      }
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
