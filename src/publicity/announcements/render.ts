/**
 * Filling an announcement template from the incident (pure): the affected patient services, what to do instead,
 * since when, the expected recovery time, the hospital and the status page's address; and the short SMS form.
 */
import type { AnnouncementTemplate } from '../../plan/types.js';
import type { AffectedService, PublicText } from '../status/types.js';

export interface FillFacts {
  services: Pick<AffectedService, 'id' | 'name' | 'alternatives'>[];
  since: number;
  expectedRecoveryAt: number | null;
  hospital: { zh: string; en: string };
  statusUrl: string;
  timezone: string;
}

type Lang = 'zh' | 'en';
const EXPECTED = /\{expected_recovery\}/g;

/** An instant as patients read it: 3月2日 11:00 / 2 Mar 11:00, in the hospital's time zone. */
export function formatInstant(ms: number, lang: Lang, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const month = Number(parts.month);
  if (lang === 'zh') return `${month}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`;
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(parts.day)} ${names[month - 1]} ${parts.hour}:${parts.minute}`;
}

export const expectedText = (at: number | null, lang: Lang, timezone: string): string =>
  at === null ? (lang === 'zh' ? '正在评估，我们将及时更新' : 'not known yet; we will update this notice') : formatInstant(at, lang, timezone);

function servicesText(facts: FillFacts, lang: Lang): string {
  if (facts.services.length === 0) return lang === 'zh' ? '部分就医服务' : 'some services';
  const names = facts.services.map((s) => (lang === 'zh' ? s.name.zh : s.name.en));
  return lang === 'zh' ? names.join('、') : names.join(', ');
}

function alternativesText(facts: FillFacts, lang: Lang): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of facts.services)
    for (const a of s.alternatives) {
      const line = lang === 'zh' ? a.zh : a.en;
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(`${lang === 'zh' ? '· ' : '- '}${line}`);
    }
  if (lines.length === 0) return lang === 'zh' ? '· 请咨询现场工作人员' : '- please ask the staff on site';
  return lines.join('\n');
}

/**
 * Fills every placeholder but {expected_recovery}, which stays until approval: the publicity lead may still change the
 * expected recovery time, and the text then says the time the announcement carries.
 */
export function fillDraft(text: string, facts: FillFacts, lang: Lang): string {
  const values: Record<string, string> = {
    services: servicesText(facts, lang),
    alternatives: alternativesText(facts, lang),
    since: formatInstant(facts.since, lang, facts.timezone),
    hospital: lang === 'zh' ? facts.hospital.zh : facts.hospital.en,
    status_url: facts.statusUrl,
  };
  return text.replace(/\{([a-z_]+)\}/g, (m, key: string) => values[key] ?? m).trimEnd();
}

export function draftTexts(template: AnnouncementTemplate, facts: FillFacts): { title: PublicText; body: PublicText } {
  return {
    title: { zh: fillDraft(template.zh.title, facts, 'zh'), ...(template.en ? { en: fillDraft(template.en.title, facts, 'en') } : {}) },
    body: { zh: fillDraft(template.zh.body, facts, 'zh'), ...(template.en ? { en: fillDraft(template.en.body, facts, 'en') } : {}) },
  };
}

/** The texts as published: {expected_recovery} filled with the time the announcement carries. */
export function finalText(text: string, expectedRecoveryAt: number | null, lang: Lang, timezone: string): string {
  return text.replace(EXPECTED, expectedText(expectedRecoveryAt, lang, timezone));
}

/** Chinese SMS: one 70-character segment, the vendor's signature (【…】, up to 10 characters) included. */
export const SMS_MAX = { zh: 60, en: 150 } as const;

/** The short SMS form: the title, the expected recovery time when known, and the status page's address. */
export function smsText(title: string, expectedRecoveryAt: number | null, statusUrl: string, lang: Lang, timezone: string, kind: string): string {
  const eta =
    expectedRecoveryAt !== null && kind !== 'all_clear'
      ? lang === 'zh'
        ? `，预计${formatInstant(expectedRecoveryAt, 'zh', timezone)}恢复`
        : `; back by ${formatInstant(expectedRecoveryAt, 'en', timezone)}`
      : '';
  const tail = lang === 'zh' ? `${eta}。详情${statusUrl}` : `${eta}. ${statusUrl}`;
  const room = SMS_MAX[lang] - [...tail].length;
  const chars = [...title];
  const head = chars.length <= room ? title : room > 1 ? `${chars.slice(0, room - 1).join('')}…` : '';
  return `${head}${tail}`;
}
