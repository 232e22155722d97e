// Timeline entries in the UI language, rebuilt from `kind` + `data` (names from the plan) by lib/timeline.ts;
// the server's English `message` is never shown.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Text, TimelineEntry } from '../api/types';
import { formatClock, formatShortTime } from '../lib/format';
import { contradictionText, type TimelineHelpers, timelineActor, timelineKindLabel, timelineText } from '../lib/timeline';
import { useLang } from './useLang';
import { usePlan } from './usePlan';

const isText = (v: unknown): v is Text => typeof v === 'object' && v !== null && ('zh' in v || 'en' in v);

export function useTimelineText() {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  const { system, role, plan } = usePlan();

  const helpers = useMemo<TimelineHelpers>(
    () => ({
      t: (key, options) => String(typeof options === 'string' ? t(key, options) : t(key, options ?? {})),
      exists: (key) => i18n.exists(key),
      pick: (v) => (isText(v) ? pick(v) : ''),
      systemName: (id) => {
        const sys = system(id);
        return sys ? pick(sys.name) : undefined;
      },
      roleName: (id) => {
        const r = role(id);
        return r ? pick(r.name) : undefined;
      },
      scenarioName: (id) => {
        const sc = plan?.scenarios.find((x) => x.id === id);
        return sc ? pick(sc.name) : undefined;
      },
      evidenceName: (id) => {
        const ev = plan?.evidence?.find((x) => x.id === id);
        return ev ? pick(ev.name) : undefined;
      },
      obligationName: (id) => {
        const o = plan?.obligations.find((x) => x.id === id);
        return o?.action ? pick(o.action) : undefined;
      },
      duration: formatClock,
      time: (ms) => formatShortTime(ms),
    }),
    [t, i18n, pick, system, role, plan],
  );

  return {
    message: (e: TimelineEntry) => timelineText(e, helpers),
    /** A `recovery.contradicted` entry as one sentence: who declared it restored when, and what still fires. */
    contradiction: (e: TimelineEntry) => contradictionText((e.data ?? {}) as Record<string, unknown>, helpers),
    kind: (k: string) => timelineKindLabel(k, helpers),
    /** "system" and "source:zabbix" read better as 系统 / zabbix. */
    actor: (a: string | undefined | null) => timelineActor(a, helpers),
  };
}
