import type { Plan, Text } from '../plan/types.js';
import { humanDuration } from '../plan/show.js';
import { departmentName, FORMS } from './catalogue.js';
import { localTime, type DowntimeContext } from './context.js';
import { kitSerial } from './forms.js';
import { esc, FONT_STACK, renderForms, type PrintableForm } from './render.js';
import type { DowntimeKitsTable } from '../storage/index.js';
import { FORM_TYPES, PROCEDURE_BANDS, type FormType } from './types.js';

/**
 * The offline downtime kit: static files that open with no server — from the service worker's cache in the
 * web app, or from a folder / USB stick (`lifeline kit export`, file://). Forms with reserved serials and QR
 * codes, every business line's procedure, the contact list and on-call rota, the plan's deadlines; every page
 * states when it was generated, and says so loudly once it is a week old.
 */

export interface KitContact {
  role?: string;
  roleName?: Text;
  name: string;
  phone?: string;
  until?: string;
  deputies?: { name: string; phone?: string }[];
}

export interface KitContacts {
  /** Where the rota came from (GET /api/v1/oncall/now), or why it is missing. */
  source: string;
  entries: KitContact[];
}

export interface KitFile {
  path: string; // relative: index.html, forms/registration_slip.html, kit.json
  type: string;
  body: string;
}

export const STALE_AFTER_DAYS = 7;
const bi = (t: Text) => `${esc(t.zh)} <span class="en">${esc(t.en)}</span>`;
export const scanUrl = (ctx: DowntimeContext, serial: string) => `${ctx.publicUrl}/downtime/scan/${encodeURIComponent(serial)}`;

/** Shown on every kit page: when it was generated; turns red once stale (checked by the browser's own clock). */
function stamp(kit: DowntimeKitsTable, generatedAt: number, ctx: DowntimeContext): string {
  const when = localTime(ctx, generatedAt);
  return `<div class="stamp" data-testid="kit-generated" data-generated-at="${new Date(generatedAt).toISOString()}">应急包 ${esc(kit.code)} 生成于 <b>${esc(when)}</b>（${esc(ctx.timezone)}） <span class="en">Kit ${esc(kit.code)} generated ${esc(when)}</span></div>
<div class="stale" id="stale" hidden data-testid="kit-stale"></div>
<script>(function(){var g=Date.parse(${JSON.stringify(new Date(generatedAt).toISOString())});var d=Math.floor((Date.now()-g)/864e5);if(d>=${STALE_AFTER_DAYS}){var e=document.getElementById('stale');e.hidden=false;e.textContent='此应急包已生成 '+d+' 天，内容可能已过期，请联网更新。 This kit is '+d+' days old and may be out of date.';}})();</script>`;
}

const KIT_CSS = `
* { box-sizing: border-box; }
body { font-family: ${FONT_STACK}; margin: 0; color: #111; background: #f3f4f6; line-height: 1.5; }
main { max-width: 1000px; margin: 0 auto; padding: 16px; }
header.kit { background: #b91c1c; color: #fff; padding: 12px 16px; }
header.kit h1 { margin: 0; font-size: 22px; }
.en { color: #555; font-size: 0.85em; }
header.kit .en { color: #fde2e2; }
.stamp { background: #fff7ed; border: 1px solid #fdba74; padding: 6px 10px; margin: 12px 0; }
.stale { background: #b91c1c; color: #fff; padding: 8px 10px; margin: 8px 0; font-weight: 700; }
section { background: #fff; border-radius: 6px; padding: 12px 16px; margin: 12px 0; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #d1d5db; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
ol { margin: 4px 0 8px 20px; padding: 0; }
.band { font-weight: 700; }
a { color: #1d4ed8; }
nav a { margin-right: 12px; }
@media print { body { background: #fff; } section { box-shadow: none; break-inside: avoid; } .no-print { display: none; } }
`;

const BANDS: Record<string, Text> = { before: { zh: '事前准备', en: 'Before' }, during: { zh: '停机期间', en: 'During' }, after: { zh: '恢复之后', en: 'After' } };

function procedures(plan: Plan): string {
  const systems = (ids: string[]) => ids.map((id) => plan.systems.find((s) => s.id === id)?.name.zh ?? id).join('、');
  return (plan.business_lines ?? [])
    .map(
      (line) => `
<article data-testid="kit-line" data-line="${esc(line.id)}">
<h3>${bi(line.name)}</h3>
<div>依赖系统 <span class="en">depends on</span>：${esc(systems(line.depends_on))} · 科室 <span class="en">departments</span>：${esc(line.departments.map((d) => departmentName(plan, d).zh).join('、'))}</div>
${PROCEDURE_BANDS.map((band) => (line.procedure[band].length ? `<div class="band">${bi(BANDS[band])}</div><ol>${line.procedure[band].map((s) => `<li>${bi(s.text)}</li>`).join('')}</ol>` : '')).join('')}
</article>`,
    )
    .join('');
}

function contactsSection(ctx: DowntimeContext, contacts: KitContacts): string {
  const { plan } = ctx;
  const roleName = (id?: string) => (id ? plan.roles.find((r) => r.id === id)?.name : undefined);
  const rows = contacts.entries.length
    ? contacts.entries
        .map(
          (c) =>
            `<tr><td>${c.roleName ? bi(c.roleName) : roleName(c.role) ? bi(roleName(c.role)!) : esc(c.role ?? '')}</td><td>${esc(c.name)}</td><td>${esc(c.phone ?? '')}</td><td>${esc(c.until && Number.isFinite(Date.parse(c.until)) ? localTime(ctx, Date.parse(c.until)) : '')}</td><td>${(c.deputies ?? []).map((d) => esc(`${d.name}${d.phone ? ` ${d.phone}` : ''}`)).join('<br>')}</td></tr>`,
        )
        .join('')
    : `<tr><td colspan="5">未取得值班表 <span class="en">no on-call rota available</span>（${esc(contacts.source)}）</td></tr>`;
  const roles = plan.roles
    .map(
      (r) =>
        `<tr><td>${bi(r.name)}</td><td>${esc(r.default_holder ?? '')}</td><td>${esc(
          plan.org.groups
            .filter((g) => g.lead === r.id)
            .map((g) => g.name.zh)
            .join('、'),
        )}</td></tr>`,
    )
    .join('');
  return `<h3>当前值班 <span class="en">On duty</span></h3>
<table data-testid="kit-oncall"><thead><tr><th>角色 <span class="en">Role</span></th><th>人员 <span class="en">Person</span></th><th>电话 <span class="en">Phone</span></th><th>至 <span class="en">Until</span></th><th>代理人 <span class="en">Deputies</span></th></tr></thead><tbody>${rows}</tbody></table>
<h3>应急组织 <span class="en">Emergency organisation</span></h3>
<table><thead><tr><th>角色 <span class="en">Role</span></th><th>默认由 <span class="en">Held by</span></th><th>负责 <span class="en">Leads</span></th></tr></thead><tbody>${roles}</tbody></table>
<p>电话、短信、对讲机不依赖医院网络；Lifeline不可用时按此表直接联系。 <span class="en">Phone, SMS and radio do not depend on the hospital network: if Lifeline is down, call from this list.</span></p>`;
}

function deadlines(plan: Plan): string {
  const role = (id: string) => plan.roles.find((r) => r.id === id)?.name ?? plan.org.groups.find((g) => g.id === id)?.name ?? { zh: id, en: id };
  const anchor = (id?: string) => (id ? plan.anchors.find((a) => a.id === id)?.name : undefined);
  const rows = plan.obligations
    .map(
      (o) =>
        `<tr><td>${esc(o.id)}</td><td>${esc(o.trigger)}</td><td>${bi(role(o.actor))}</td><td>${bi(o.action)}</td><td>${o.within ? `${esc(humanDuration(o.within, 'zh'))} <span class="en">${esc(humanDuration(o.within, 'en'))}</span>` : '—'}${o.recurring ? ` · 每 <span class="en">every</span> ${esc(humanDuration(o.recurring, 'zh'))}` : ''}</td><td>${anchor(o.anchor) ? bi(anchor(o.anchor)!) : ''}</td></tr>`,
    )
    .join('');
  const levels = plan.levels.map((l) => `<tr><td>${bi(l.name)}</td><td>${l.criteria.map((c) => `${esc(c.id)} ${bi(c.summary)}`).join('<br>') || '—'}</td></tr>`).join('');
  return `<h3>分级 <span class="en">Levels</span></h3><table><tbody>${levels}</tbody></table>
<h3>时限 <span class="en">Deadlines</span></h3>
<table data-testid="kit-deadlines"><thead><tr><th>#</th><th>触发 <span class="en">When</span></th><th>谁 <span class="en">Who</span></th><th>做什么 <span class="en">What</span></th><th>时限 <span class="en">Within</span></th><th>起算 <span class="en">From</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function backEntryRules(plan: Plan): string {
  const retention = (plan.retention ?? {}) as Record<string, string>;
  const late = plan.downtime?.late_entry_within ?? 'PT6H';
  return `<ul>
<li>每张单据有唯一序号和二维码；系统恢复后用手机扫码或输入序号登记补录。 <span class="en">Every form has a unique serial and QR code: after recovery, scan it (or type the serial) to register it for back-entry.</span></li>
<li>补录时填写原始发生时间；补录由一人录入、另一人复核。 <span class="en">Back-entry records the original event time; one person enters, a second verifies.</span></li>
<li>补记应在 ${esc(humanDuration(late, 'zh'))} 内完成，并注明抢救时间和补记时间。 <span class="en">Late entries within ${esc(humanDuration(late, 'en'))}, stating the event time and the entry time.</span></li>
<li>纸质原件是病历的一部分：门诊 ${esc(humanDuration(retention.outpatient_downtime_records ?? 'P15Y', 'zh'))}、住院 ${esc(humanDuration(retention.inpatient_downtime_records ?? 'P30Y', 'zh'))}。 <span class="en">Paper originals are part of the medical record: kept ${esc(humanDuration(retention.outpatient_downtime_records ?? 'P15Y', 'en'))} (outpatient) / ${esc(humanDuration(retention.inpatient_downtime_records ?? 'P30Y', 'en'))} (inpatient).</span></li>
<li>作废、退回的号码和单据当场登记在停机工作记录上。 <span class="en">Write spoiled or returned numbers and forms on the activity log at once.</span></li>
</ul>`;
}

export interface KitOptions {
  contacts: KitContacts;
  generatedAt: number;
}

/** Every file of a kit, ready to write to a folder or to answer from the server. */
export async function buildKit(ctx: DowntimeContext, kit: DowntimeKitsTable, options: KitOptions): Promise<KitFile[]> {
  const { plan } = ctx;
  const { generatedAt, contacts } = options;
  const header = stamp(kit, generatedAt, ctx);
  const formsOf = (type: FormType): PrintableForm[] =>
    Array.from({ length: kit.copies_per_form }, (_, k) => {
      const serial = kitSerial(type, kit.code, k + 1);
      return { type, serial, qr: scanUrl(ctx, serial), printed: `应急包 kit ${kit.code} · ${localTime(ctx, kit.generated_at)}` };
    });
  const printedWarning = (type: FormType) =>
    `(function(){var k='lifeline.kit.printed.${kit.code}.${type}';var w=document.getElementById('printed');try{var v=localStorage.getItem(k);if(v){w.hidden=false;w.textContent='这些序号已于 '+v+' 打印过：再次打印会产生重复序号，请联网更新应急包。 These serials were printed on '+v+'; printing again duplicates them — refresh the kit when online.';}addEventListener('afterprint',function(){localStorage.setItem(k,new Date().toLocaleString());});}catch(e){}})();`;
  const files: KitFile[] = [];
  for (const type of FORM_TYPES) {
    const toolbar = `<a href="../index.html">应急包首页 Kit home</a><span data-testid="kit-generated">${esc(kit.code)} · 生成于 generated ${esc(localTime(ctx, generatedAt))}</span>`;
    const banner = '<div class="warning no-print" id="printed" hidden></div>';
    files.push({
      path: `forms/${type}.html`,
      type: 'text/html; charset=utf-8',
      body: await renderForms(plan, formsOf(type), { toolbar, banner, script: printedWarning(type), title: `${FORMS[type].title.zh} · ${kit.code}` }),
    });
  }
  const formRows = FORM_TYPES.map((type) => {
    const spec = FORMS[type];
    return `<tr data-testid="kit-form" data-type="${type}"><td><a href="forms/${type}.html">${bi(spec.title)}</a></td><td>${spec.paper}${spec.duplicate ? ' · 一式两联 two-part' : ''}</td><td>${esc(kitSerial(type, kit.code, 1))} … ${esc(kitSerial(type, kit.code, kit.copies_per_form))}</td></tr>`;
  }).join('');
  const index = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lifeline 停机应急包 ${esc(kit.code)} · ${esc(localTime(ctx, generatedAt))}</title><style>${KIT_CSS}</style></head>
<body>
<header class="kit"><h1>Lifeline 停机应急包 <span class="en">Downtime kit</span></h1><div>${esc(plan.plan.title.zh)} · ${esc(plan.plan.id)}@${esc(plan.plan.version)}</div></header>
<main data-testid="downtime-kit">
${header}
<nav class="no-print"><a href="#forms">表单 Forms</a><a href="#procedures">流程 Procedures</a><a href="#contacts">联系人 Contacts</a><a href="#deadlines">时限 Deadlines</a><a href="#back-entry">补录 Back-entry</a></nav>
<section id="forms"><h2>手工表单 <span class="en">Paper forms</span></h2>
<p>每种表单 ${kit.copies_per_form} 份，序号唯一，请勿复印。 <span class="en">${kit.copies_per_form} copies of each form with unique serials — do not photocopy.</span></p>
<table><thead><tr><th>表单 <span class="en">Form</span></th><th>纸张 <span class="en">Paper</span></th><th>序号 <span class="en">Serials</span></th></tr></thead><tbody>${formRows}</tbody></table>
<p><a href="forms/all.html">全部表单（一次打印） <span class="en">all forms in one document</span></a>${kit.channel === 'export' ? ' · <a href="forms.pdf">PDF</a>' : ''}</p></section>
<section id="procedures"><h2>各业务手工流程 <span class="en">Manual procedures per business line</span></h2>${procedures(plan)}</section>
<section id="contacts"><h2>联系人与值班 <span class="en">Contacts and on-call</span></h2>${contactsSection(ctx, contacts)}</section>
<section id="deadlines"><h2>预案时限 <span class="en">Deadlines of the plan</span></h2>${deadlines(plan)}</section>
<section id="back-entry"><h2>恢复后补录 <span class="en">Back-entry after recovery</span></h2>${backEntryRules(plan)}</section>
</main></body></html>`;
  files.unshift({ path: 'index.html', type: 'text/html; charset=utf-8', body: index });
  files.push({ path: 'forms/all.html', type: 'text/html; charset=utf-8', body: await allForms(ctx, kit, generatedAt, formsOf) });
  files.push({
    path: 'kit.json',
    type: 'application/json; charset=utf-8',
    body: JSON.stringify(
      {
        kit: kit.code,
        channel: kit.channel,
        generatedAt: new Date(generatedAt).toISOString(),
        plan: `${plan.plan.id}@${plan.plan.version}`,
        staleAfterDays: STALE_AFTER_DAYS,
        files: ['index.html', ...FORM_TYPES.map((t) => `forms/${t}.html`), 'forms/all.html'],
        contacts,
        forms: FORM_TYPES.map((t) => ({ type: t, serials: formsOf(t).map((f) => f.serial) })),
      },
      null,
      2,
    ),
  });
  return files;
}

/** Every form in one document, A4 and A5 pages mixed (one @page size per section via named pages). */
async function allForms(ctx: DowntimeContext, kit: DowntimeKitsTable, generatedAt: number, formsOf: (t: FormType) => PrintableForm[]): Promise<string> {
  const docs = await Promise.all(FORM_TYPES.map((t) => renderForms(ctx.plan, formsOf(t), { paper: FORMS[t].paper })));
  const bodyOf = (html: string) => /<body>([\s\S]*)<\/body>/.exec(html)![1].replace(/<div class="toolbar[\s\S]*?<\/div>/, '');
  const styleOf = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  const a4 = styleOf(docs[FORM_TYPES.indexOf('patient_roster')])
    .replace('@page {', '@page a4 {')
    .replace(/\.page \{/, '.a4 .page { page: a4; ');
  const a5 = styleOf(docs[FORM_TYPES.indexOf('registration_slip')])
    .replace('@page {', '@page a5 {')
    .replace(/\.page \{/, '.a5 .page { page: a5; ');
  const sections = FORM_TYPES.map((t, i) => `<div class="${FORMS[t].paper === 'A4' ? 'a4' : 'a5'}">${bodyOf(docs[i])}</div>`).join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Lifeline 应急表单 ${esc(kit.code)}</title><style>${a5}\n${a4}</style></head><body>
<div class="toolbar no-print"><button type="button" onclick="window.print()">打印全部 Print all</button><a href="../index.html">应急包首页 Kit home</a><span>${esc(kit.code)} · 生成于 generated ${esc(localTime(ctx, generatedAt))}</span></div>
${sections}</body></html>`;
}
