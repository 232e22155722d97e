/** The report as a printable HTML page (A4, print CSS), drawn from the same blocks as the DOCX; printed to PDF by src/reports/pdf.ts. */
import type { Block, ReportDocument } from './document.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const lines = (s: string) => esc(s).replace(/\n/g, '<br>');

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${esc(b.text)}</h2>`;
    case 'paragraph':
      return `<p${b.muted ? ' class="muted"' : ''}>${lines(b.text)}</p>`;
    case 'fields':
      return `<table class="fields">${b.rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${lines(v)}</td></tr>`).join('')}</table>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r, n) => `<tr${b.marked?.[n] ? ' class="marked"' : ''}>${r.map((c) => `<td>${lines(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'images':
      return `<div class="images">${b.images
        .map((i) => `<figure><img src="data:${i.type};base64,${Buffer.from(i.data).toString('base64')}" alt=""><figcaption>${esc(i.caption)}</figcaption></figure>`)
        .join('')}</div>`;
  }
}

/** Repeated on every printed page: Chromium prints a fixed element on each page. */
const PAGE_MARK_CSS = `
.page-mark { position: fixed; top: -10mm; right: 0; color: #c00; border: 1.5pt solid #c00; font-weight: bold; font-size: 11pt; padding: 1pt 6pt; }
.images { display: flex; flex-wrap: wrap; gap: 6pt; }
.images figure { margin: 0; width: 42mm; break-inside: avoid; }
.images img { max-width: 42mm; max-height: 32mm; object-fit: contain; border: 1px solid #999; }
.images figcaption { font-size: 7.5pt; color: #333; }
`;

const CSS = `
@page { size: A4 portrait; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10pt; color: #111; margin: 0; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 4pt; }
.subtitle { text-align: center; color: #555; font-size: 9pt; margin: 0 0 12pt; }
h2 { font-size: 12.5pt; color: #1f3864; border-bottom: 1px solid #1f3864; padding-bottom: 2pt; margin: 14pt 0 6pt; break-after: avoid; }
p { margin: 4pt 0; white-space: normal; }
p.muted { color: #666; font-style: italic; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; font-size: 8.5pt; }
th, td { border: 1px solid #999; padding: 2.5pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th, table.fields th { background: #ededed; }
table.fields th { width: 25%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tr.marked td { background: #fde2e2; }
`;

export function renderHtml(doc: ReportDocument): string {
  return `<!doctype html>
<html lang="${doc.lang === 'en' ? 'en' : 'zh-CN'}">
<head><meta charset="utf-8"><title>${esc(doc.title)}</title><style>${CSS}${doc.pageMark || doc.blocks.some((b) => b.kind === 'images') ? PAGE_MARK_CSS : ''}</style></head>
<body>
${doc.pageMark ? `<div class="page-mark">${esc(doc.pageMark)}</div>\n` : ''}<h1>${esc(doc.title)}</h1>
<p class="subtitle">${esc(doc.subtitle)}</p>
${doc.blocks.map(block).join('\n')}
</body>
</html>`;
}
