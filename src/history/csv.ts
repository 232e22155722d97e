/**
 * The history as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting, Chinese
 * headers by default (English with lang=en). A cell a spreadsheet would read as a formula (starting with
 * = + - @, a tab or a carriage return) gets a leading apostrophe.
 */
import type { Plan } from '../plan/types.js';
import type { HistoryItem } from './types.js';
import type { ZoneReader } from './zone.js';

export const BOM = '\uFEFF';

const HEADERS = {
  'zh-CN': [
    '编号',
    '标题',
    '状态',
    '最高级别',
    '当前级别',
    '涉及系统',
    '发现时间',
    '开始时间',
    '首次确认时间',
    '恢复时间',
    '关闭时间',
    '持续时长（分钟）',
    '确认用时（分钟）',
    '恢复用时（分钟）',
    '按时完成',
    '逾期完成',
    '未完成',
    '进行中',
  ],
  en: [
    'ID',
    'Title',
    'State',
    'Highest level',
    'Current level',
    'Systems',
    'Detected at',
    'Opened at',
    'First acknowledged at',
    'Restored at',
    'Closed at',
    'Duration (min)',
    'Time to acknowledge (min)',
    'Time to restore (min)',
    'Obligations met on time',
    'Met late',
    'Missed',
    'Pending',
  ],
} as const;

const STATES = {
  'zh-CN': { responding: '处置中', recovering: '恢复中', closed: '已关闭' },
  en: { responding: 'Responding', recovering: 'Recovering', closed: 'Closed' },
} as const;

export type CsvLang = keyof typeof HEADERS;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: guarded against formula injection, quoted when it holds a comma, quote, line break or edge space. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: (string | number | null)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export function csvHeader(lang: CsvLang): string {
  return BOM + csvLine([...HEADERS[lang]]);
}

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6_000) / 10);

export function csvRow(item: HistoryItem, plan: Plan, lang: CsvLang, zone: ZoneReader): string {
  const key = lang === 'en' ? 'en' : 'zh';
  const time = (iso: string | null): string | null => (iso === null ? null : zone.stamp(Date.parse(iso)));
  const level = (id: string) => plan.levels.find((l) => l.id === id)?.name[key] ?? id;
  const systems = item.systems.map((s) => plan.systems.find((p) => p.id === s)?.name[key] ?? s).join(lang === 'en' ? '; ' : '、');
  return csvLine([
    item.id,
    item.title,
    STATES[lang][item.state] ?? item.state,
    level(item.level.highest),
    level(item.level.current),
    systems,
    time(item.detectedAt),
    time(item.openedAt),
    time(item.acknowledgedAt),
    time(item.recoveredAt),
    time(item.closedAt),
    minutes(item.durationMs),
    minutes(item.timeToAcknowledgeMs),
    minutes(item.timeToRestoreMs),
    item.obligations.met,
    item.obligations.late,
    item.obligations.missed,
    item.obligations.pending,
  ]);
}
