/**
 * Checks of the `announcement_templates` section and of the obligations that name a template (`announcement:`).
 * Part of `lintPlan`; written defensively like it (see raw.ts).
 */
import { isObj, items, param, q, type FindingReport, type Obj } from './raw.js';
import { ANNOUNCEMENT_PLACEHOLDERS } from './types.js';

export type AnnouncementLintReport = FindingReport;

const PLACEHOLDER = /\{([^{}\s]*)\}/g;
const KNOWN = new Set<string>(ANNOUNCEMENT_PLACEHOLDERS);

export function lintAnnouncements(p: Obj, report: AnnouncementLintReport): void {
  const templates = new Map<string, Obj>();
  items(p.announcement_templates).forEach((t, i) => {
    if (typeof t.id !== 'string') return;
    if (templates.has(t.id)) report.error(['announcement_templates', i, 'id'], 'PLAN_DUPLICATE_ENTRY', { what: 'announcement_template', id: t.id }, `duplicate announcement template id ${q(t.id)}`);
    else templates.set(t.id, t);
    for (const lang of ['zh', 'en'] as const) {
      const texts = isObj(t[lang]) ? (t[lang] as Obj) : {};
      for (const field of ['title', 'body'] as const) {
        const value = texts[field];
        if (typeof value !== 'string') continue;
        for (const m of value.matchAll(PLACEHOLDER)) {
          if (!KNOWN.has(m[1] ?? ''))
            report.error(
              ['announcement_templates', i, lang, field],
              'PLAN_UNKNOWN_PLACEHOLDER',
              { placeholder: `{${m[1]}}`, expected: ANNOUNCEMENT_PLACEHOLDERS.map((x) => `{${x}}`).join(', ') },
              `unknown placeholder {${m[1]}}; expected one of ${ANNOUNCEMENT_PLACEHOLDERS.map((x) => `{${x}}`).join(', ')}`,
            );
        }
      }
    }
  });
  items(p.obligations).forEach((o, i) => {
    if (o.announcement === undefined) return;
    const at = ['obligations', i, 'announcement'];
    const template = typeof o.announcement === 'string' ? templates.get(o.announcement) : undefined;
    if (!template) {
      report.error(
        at,
        'PLAN_UNDEFINED_REF',
        { what: 'announcement_template', id: param(o.announcement), section: 'announcement_templates' },
        `announcement template ${q(o.announcement)} is not defined in announcement_templates`,
      );
      return;
    }
    if (o.trigger === 'incident.recovering' || o.trigger === 'incident.closed') {
      if (template.kind !== 'all_clear')
        report.warn(
          at,
          'PLAN_TEMPLATE_NOT_ALL_CLEAR',
          { obligation: param(o.id), trigger: o.trigger, template: param(o.announcement) },
          `obligation ${q(o.id)} starts at ${o.trigger} but its template ${q(o.announcement)} is not an all_clear`,
        );
    } else if (template.kind === 'all_clear')
      report.warn(
        at,
        'PLAN_TEMPLATE_ALL_CLEAR_EARLY',
        { obligation: param(o.id), template: param(o.announcement) },
        `obligation ${q(o.id)} starts during the outage but its template ${q(o.announcement)} is an all_clear`,
      );
  });
}
