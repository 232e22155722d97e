import QRCode from 'qrcode';
import type { Plan, Text } from '../plan/types.js';
import { businessLine, departmentName, FORMS, type Field, type FormLayout } from './catalogue.js';
import type { FormType } from './types.js';

/**
 * Printable paper forms as self-contained HTML (inline CSS, inline SVG QR codes, no scripts needed): the same
 * markup serves the print view in the browser, the offline kit cached by the service worker and the kit
 * written by `lifeline kit export` (opens from file://). Chinese text relies on the CJK fonts of the PC.
 */

/** One form to print: its serial, what the QR code says, and what is known ahead of time. */
export interface PrintableForm {
  type: FormType;
  serial: string;
  qr: string; // the text in the QR code: the back-entry URL of this serial
  number?: string | null; // a downtime number printed on the form
  department?: string | null;
  businessLine?: string | null;
  incident?: string | null;
  printed: string; // "2026-03-02 09:15 · 王敏" or "kit K0007"
  /** A drill's form (src/drills): its title carries the plan's drill prefix, so nobody files it as a real record. */
  drill?: boolean;
}

export const FONT_STACK = `"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "SimHei", "SimSun", sans-serif`;

export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const bi = (t: Text, cls = '') => `<span class="zh ${cls}">${esc(t.zh)}</span> <span class="en">${esc(t.en)}</span>`;

/** The plan's drill marking (【演练】 / [DRILL]). */
const drillPrefix = (plan: Plan): Text => plan.drills?.marking.prefix ?? { zh: '【演练】', en: '[DRILL] ' };

export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });

/** Paper arrangement: A5 forms one per A5 sheet or two per A4 (landscape); A4 forms one per A4. */
type Sheet = { size: string; width: number; height: number; perPage: number };
function sheetFor(type: FormType, paper: 'A4' | 'A5'): Sheet {
  if (FORMS[type].paper === 'A4') return { size: 'A4 portrait', width: 210, height: 297, perPage: 1 };
  return paper === 'A4' ? { size: 'A4 landscape', width: 297, height: 210, perPage: 2 } : { size: 'A5 portrait', width: 148, height: 210, perPage: 1 };
}

export function formCss(sheet: Sheet): string {
  return `
@page { size: ${sheet.size}; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${FONT_STACK}; color: #000; font-size: 9.5pt; line-height: 1.25; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.page { width: ${sheet.width}mm; height: ${sheet.height}mm; display: flex; overflow: hidden; break-after: page; page-break-after: always; background: #fff; }
.page:last-of-type { break-after: auto; page-break-after: auto; }
.form { flex: 1 1 0; min-width: 0; padding: 7mm; display: flex; flex-direction: column; gap: 2mm; position: relative; }
.form + .form { border-left: 0.3mm dashed #888; }
.form.duplicate { padding: 0; }
.part { flex: 1 1 0; padding: 5mm 7mm; display: flex; flex-direction: column; gap: 1.5mm; }
.part + .part { border-top: 0.3mm dashed #888; }
.part-label { font-weight: 700; font-size: 8.5pt; }
.head { display: flex; gap: 3mm; align-items: flex-start; }
.head .titles { flex: 1; }
.brand { font-size: 7.5pt; color: #333; }
h1 { font-size: 14pt; margin: 0.5mm 0 0; }
h1 .en { font-size: 8.5pt; font-weight: 400; }
.serialbox { text-align: center; width: 27mm; }
.serialbox svg { width: 22mm; height: 22mm; display: block; margin: 0 auto; }
.part .serialbox svg { width: 17mm; height: 17mm; }
.serial { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-weight: 700; font-size: 9pt; letter-spacing: 0.2mm; }
.number { border: 0.4mm solid #000; padding: 1mm 2mm; font-size: 12pt; font-weight: 700; display: inline-block; }
.number .label { font-size: 8pt; font-weight: 400; }
.meta { font-size: 7.5pt; color: #222; display: flex; flex-wrap: wrap; gap: 1mm 4mm; border-bottom: 0.3mm solid #000; padding-bottom: 1mm; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2mm 4mm; }
.field { display: flex; align-items: flex-end; gap: 1.5mm; min-height: 7mm; }
.field.wide { grid-column: 1 / -1; }
.field .label { white-space: nowrap; }
.field .line { flex: 1; border-bottom: 0.25mm solid #000; min-height: 5mm; }
.field .boxes { display: flex; flex-wrap: wrap; gap: 1mm 3mm; }
.field.ticks { align-items: center; }
.box::before { content: "□"; margin-right: 0.6mm; font-size: 11pt; }
.en { font-size: 0.75em; color: #333; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.25mm solid #000; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }
th { font-weight: 700; font-size: 8pt; background: #f0f0f0; }
td { height: 6.6mm; }
.note { font-size: 7.5pt; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5mm 4mm; margin-top: auto; }
.form.duplicate .foot { margin: 0 7mm 3mm; }
.foot { font-size: 6.5pt; color: #333; border-top: 0.25mm solid #000; padding-top: 0.8mm; display: flex; justify-content: space-between; gap: 2mm; }
.toolbar { font-family: ${FONT_STACK}; position: sticky; top: 0; z-index: 2; background: #1d4ed8; color: #fff; padding: 8px 12px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.toolbar button, .toolbar a { font: inherit; background: #fff; color: #1d4ed8; border: 0; border-radius: 4px; padding: 4px 12px; cursor: pointer; text-decoration: none; }
.warning { background: #b91c1c; color: #fff; padding: 6px 12px; font-family: ${FONT_STACK}; }
@media screen {
  body { background: #d1d5db; }
  .page { margin: 10px auto; box-shadow: 0 1px 6px rgba(0,0,0,.35); }
}
@media print {
  .no-print { display: none !important; }
}
`;
}

function field(f: Field): string {
  const body = f.boxes ? `<span class="boxes">${f.boxes.map((b) => `<span class="box">${bi(b)}</span>`).join('')}</span>` : '<span class="line"></span>';
  const more = '<div class="field wide"><span class="line"></span></div>'.repeat(Math.max(0, (f.lines ?? 1) - 1));
  return `<div class="field${f.wide ? ' wide' : ''}${f.boxes ? ' ticks' : ''}"><span class="label">${bi(f.label)}：</span>${body}</div>${more}`;
}

function colgroup(widths?: number[]): string {
  if (!widths) return '';
  const total = widths.reduce((a, b) => a + b, 0);
  return `<colgroup>${widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(2)}%">`).join('')}</colgroup>`;
}

function body(layout: FormLayout, compact: boolean): string {
  const table = layout.table
    ? `<table>${colgroup(layout.table.widths)}<thead><tr>${layout.table.columns.map((c) => `<th>${bi(c)}</th>`).join('')}</tr></thead><tbody>${`<tr>${layout.table.columns.map(() => '<td></td>').join('')}</tr>`.repeat(
        layout.table.rows,
      )}</tbody></table>`
    : '';
  const fields = compact ? layout.fields.filter((f) => !f.boxes || f.wide) : layout.fields;
  return `<div class="fields">${fields.map(field).join('')}</div>${table}${layout.note ? `<div class="note">${bi(layout.note)}</div>` : ''}
<div class="signatures">${layout.signatures.map((s) => field({ label: s })).join('')}</div>`;
}

async function header(plan: Plan, f: PrintableForm, partLabel?: Text): Promise<string> {
  const spec = FORMS[f.type];
  const line = f.businessLine ? businessLine(plan, f.businessLine)?.name : undefined;
  const dept = f.department ? departmentName(plan, f.department) : undefined;
  const numberLabel: Record<string, Text> = {
    mrn: { zh: '临时病历号', en: 'Temporary record no.' },
    visit: { zh: '临时就诊号', en: 'Temporary visit no.' },
    receipt: { zh: '临时收据号', en: 'Temporary receipt no.' },
  };
  const number = spec.number ? `<div class="number" data-testid="form-number"><span class="label">${bi(numberLabel[spec.number])}</span> ${f.number ? esc(f.number) : '&nbsp;'.repeat(24)}</div>` : '';
  return `<div class="head">
  <div class="titles">
    <div class="brand">Lifeline · 停机应急手工单据 <span class="en">downtime paper form</span></div>
    <h1>${f.drill ? `<span data-testid="drill-mark">${esc(drillPrefix(plan).zh)}</span>` : ''}${esc(spec.title.zh)} <span class="en">${f.drill ? esc(drillPrefix(plan).en) : ''}${esc(spec.title.en)}</span></h1>
    ${partLabel ? `<div class="part-label">${bi(partLabel)}</div>` : ''}
    ${number}
  </div>
  <div class="serialbox">${await qrSvg(f.qr)}<div class="serial" data-testid="form-serial">${esc(f.serial)}</div></div>
</div>
<div class="meta">
  ${dept ? `<span>${bi({ zh: '科室', en: 'Dept' })}：${esc(dept.zh)}</span>` : `<span>${bi({ zh: '科室', en: 'Dept' })}：__________</span>`}
  ${line ? `<span>${bi({ zh: '业务', en: 'Line' })}：${esc(line.zh)}</span>` : ''}
  ${f.incident ? `<span>${bi({ zh: '事件', en: 'Incident' })}：${esc(f.incident)}</span>` : ''}
  <span>${bi({ zh: '打印', en: 'Printed' })}：${esc(f.printed)}</span>
</div>`;
}

const FOOT = `<div class="foot"><span>序号唯一，请勿复印；恢复后扫码补录 <span class="en">Unique serial — do not photocopy; scan to back-enter after recovery</span></span><span>原件归档保存：门诊≥15年 住院≥30年 <span class="en">keep: outpatient ≥15 y, inpatient ≥30 y</span></span></div>`;

async function oneForm(plan: Plan, f: PrintableForm): Promise<string> {
  const spec = FORMS[f.type];
  if (spec.duplicate) {
    const parts = [
      { zh: '第一联 病人收执', en: 'Part 1 — patient copy' },
      { zh: '第二联 存根（收费处留存）', en: 'Part 2 — retained copy (cashier)' },
    ];
    const html = await Promise.all(parts.map(async (p) => `<div class="part">${await header(plan, f, p)}${body(spec.layout, true)}</div>`));
    return `<article class="form duplicate" data-testid="paper-form" data-serial="${esc(f.serial)}" data-type="${f.type}">${html.join('')}${FOOT}</article>`;
  }
  return `<article class="form" data-testid="paper-form" data-serial="${esc(f.serial)}" data-type="${f.type}">${await header(plan, f)}${body(spec.layout, false)}${FOOT}</article>`;
}

export interface RenderOptions {
  paper?: 'A4' | 'A5';
  title?: string;
  /** Extra HTML in the toolbar (never printed). */
  toolbar?: string;
  /** Extra HTML between the toolbar and the pages (give it class no-print unless it should print). */
  banner?: string;
  /** Extra script (inline; kept tiny so the page also opens from file://). */
  script?: string;
}

/** A printable document of forms of one type. */
export async function renderForms(plan: Plan, forms: PrintableForm[], options: RenderOptions = {}): Promise<string> {
  if (forms.length === 0) throw new Error('nothing to print');
  const type = forms[0].type;
  const sheet = sheetFor(type, options.paper ?? FORMS[type].paper);
  const rendered = await Promise.all(forms.map((f) => oneForm(plan, f)));
  const pages: string[] = [];
  for (let i = 0; i < rendered.length; i += sheet.perPage) pages.push(`<section class="page">${rendered.slice(i, i + sheet.perPage).join('')}</section>`);
  const title = options.title ?? `${forms[0].drill ? drillPrefix(plan).zh : ''}${FORMS[type].title.zh} ${forms[0].serial}${forms.length > 1 ? `–${forms[forms.length - 1].serial}` : ''}`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${formCss(sheet)}</style></head>
<body>
<div class="toolbar no-print" data-testid="print-toolbar"><button type="button" onclick="window.print()" data-testid="print-button">打印 Print</button><span>${esc(title)} · ${forms.length} 份 copies · ${esc(sheet.size)}</span>${options.toolbar ?? ''}</div>
${options.banner ?? ''}
${pages.join('\n')}
${options.script ? `<script>${options.script}</script>` : ''}
</body></html>`;
}
