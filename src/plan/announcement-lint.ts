/**
 * Checks of the `announcement_templates` section and of the obligations that name a template (`announcement:`).
 * Part of `lintPlan`; written defensively like it (see raw.ts).
 */
import { isObj, items, q, type Obj, type RawPath } from './raw.js';
import { ANNOUNCEMENT_PLACEHOLDERS } from './types.js';

export interface AnnouncementLintReport {
  error(path: RawPath, message: string): void;
  warn(path: RawPath, message: string): void;
}

const PLACEHOLDER = /\{([^{}\s]*)\}/g;
const KNOWN = new Set<string>(ANNOUNCEMENT_PLACEHOLDERS);

export function lintAnnouncements(p: Obj, report: AnnouncementLintReport): void {
  const templates = new Map<string, Obj>();
  items(p.announcement_templates).forEach((t, i) => {
    if (typeof t.id !== 'string') return;
    if (templates.has(t.id)) report.error(['announcement_templates', i, 'id'], `duplicate announcement template id ${q(t.id)}`);
    else templates.set(t.id, t);
    for (const lang of ['zh', 'en'] as const) {
      const texts = isObj(t[lang]) ? (t[lang] as Obj) : {};
      for (const field of ['title', 'body'] as const) {
        const value = texts[field];
        if (typeof value !== 'string') continue;
        for (const m of value.matchAll(PLACEHOLDER)) {
          if (!KNOWN.has(m[1] ?? ''))
            report.error(['announcement_templates', i, lang, field], `unknown placeholder {${m[1]}}; expected one of ${ANNOUNCEMENT_PLACEHOLDERS.map((x) => `{${x}}`).join(', ')}`);
        }
      }
    }
  });
  items(p.obligations).forEach((o, i) => {
    if (o.announcement === undefined) return;
    const at = ['obligations', i, 'announcement'];
    const template = typeof o.announcement === 'string' ? templates.get(o.announcement) : undefined;
    if (!template) {
      report.error(at, `announcement template ${q(o.announcement)} is not defined in announcement_templates`);
      return;
    }
    if (o.trigger === 'incident.recovering' || o.trigger === 'incident.closed') {
      if (template.kind !== 'all_clear') report.warn(at, `obligation ${q(o.id)} starts at ${o.trigger} but its template ${q(o.announcement)} is not an all_clear`);
    } else if (template.kind === 'all_clear') report.warn(at, `obligation ${q(o.id)} starts during the outage but its template ${q(o.announcement)} is an all_clear`);
  });
}
