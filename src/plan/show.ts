/**
 * Plain-text views of a plan and of plan issues, for `lifeline plan show` and `lifeline plan check`.
 * Pure: returns strings, prints nothing.
 */
import type { Issue } from '../shared/errors.js';
import type { BreachEffect, Condition, Criterion, Escalation, Obligation, Plan, TallyCategory } from './types.js';

export type Lang = 'zh' | 'en';

/** `plan.yaml:42:7 error obligations[2].within: not an ISO 8601 duration`, one line per issue. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      const where = [i.file, i.line !== undefined ? `${i.line}:${i.column ?? 1}` : undefined].filter(Boolean).join(':');
      return `${where ? `${where} ` : ''}${i.severity ?? 'error'} ${i.path || '(root)'}: ${i.message}`;
    })
    .join('\n');
}

/**
 * The plan as readable tables: where it comes from, the organisation, levels and criteria, grading policy,
 * escalations, obligations, monitoring.
 */
export function formatPlanTable(plan: Plan, lang: Lang = 'zh'): string {
  const t = WORDS[lang];
  const out: string[] = [];
  out.push(plan.plan.title[lang]);
  out.push(`${plan.plan.id} ${plan.plan.version} · ${plan.schema}`);

  out.push('', `== ${t.source} ==`, ...sourceNotes(plan, lang));
  out.push('', `== ${t.organisation} ==`, ...organisation(plan, lang));

  out.push('', `== ${t.levels} ==`);
  for (const level of plan.levels) out.push(`${level.id}  ${level.name[lang]}${level.default ? t.default : ''}`);
  out.push('');
  out.push(
    table(
      [t.criterion, t.level, t.conditions, t.fires, t.prov, t.summary],
      plan.levels.flatMap((level) => level.criteria.map((c) => [c.id, level.id, conditions(c.when, lang), firing(c, lang), c.prov, c.summary[lang]])),
    ),
  );
  const gp = plan.grading_policy;
  out.push('');
  out.push(
    lang === 'zh'
      ? `暂定定级：${gp.provisional_from.join('、')} 条件已满足但时长未到时，定为 ${gp.provisional_cap}（${gp.provisional_label?.zh ?? '暂定'}）。` +
          `降级：${gp.downgrade.by_roles.join('、')}${gp.downgrade.reason_required ? '，须说明理由' : ''}。`
      : `Provisional grade: while ${gp.provisional_from.join('/')} criteria are armed but not yet fired, the grade is ${gp.provisional_cap} (${gp.provisional_label?.en ?? 'provisional'}). ` +
          `Downgrade by ${gp.downgrade.by_roles.join(', ')}${gp.downgrade.reason_required ? ', reason required' : ''}.`,
  );
  out.push(tallyTotal(plan, lang));

  out.push('', `== ${t.escalations} ==`);
  out.push(
    table(
      [t.id, t.when, t.then, t.prov],
      plan.escalations.map((e) => [e.id, escalationWhen(e, lang), escalationThen(e, lang), e.prov]),
    ),
  );

  out.push('', `== ${t.obligations} ==`);
  out.push(
    table(
      [t.id, t.trigger, t.actor, t.anchor, t.deadline, t.evidence, t.onBreach, t.prov, t.action],
      plan.obligations.map((o) => [
        o.id,
        trigger(o, lang),
        o.actor,
        o.anchor ?? '—',
        deadline(o, lang),
        o.evidence ?? '—',
        (o.on_breach ?? []).map((b) => breach(b, lang)).join(lang === 'zh' ? '；' : '; ') || '—',
        o.prov,
        o.action[lang],
      ]),
    ),
  );

  out.push('', `== ${t.thresholds} ==`, ...monitoring(plan, lang));
  if (plan.monitoring.thresholds.length) {
    out.push('');
    out.push(
      table(
        [t.id, t.rule, t.colour, t.prov],
        plan.monitoring.thresholds.map((th) => [
          th.id,
          `${th.metric} ${th.op} ${String(th.value)}${th.for && durationMs(th.for) ? ` ${t.for} ${humanDuration(th.for, lang)}` : ''}`,
          th.colour,
          th.prov,
        ]),
      ),
    );
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- pieces

const WORDS = {
  en: {
    levels: 'Levels',
    default: ' (default)',
    criterion: 'Criterion',
    level: 'Level',
    conditions: 'Conditions',
    fires: 'Fires after',
    prov: 'Provenance',
    summary: 'Summary',
    escalations: 'Escalations',
    id: 'ID',
    when: 'When',
    then: 'Then',
    obligations: 'Obligations',
    trigger: 'Trigger',
    actor: 'Actor',
    anchor: 'Anchor',
    deadline: 'Deadline',
    evidence: 'Evidence',
    onBreach: 'On breach',
    action: 'Action',
    thresholds: 'Monitoring and alarm thresholds',
    source: 'Source of the plan',
    organisation: 'Organisation',
    group: 'Group',
    name: 'Name',
    lead: 'Lead',
    members: 'Members',
    duties: 'Duties',
    rule: 'Rule',
    colour: 'Colour',
    for: 'for',
  },
  zh: {
    levels: '事件分级',
    default: '（默认级别）',
    criterion: '判定条款',
    level: '级别',
    conditions: '条件',
    fires: '持续时长',
    prov: '来源',
    summary: '说明',
    escalations: '升级规则',
    id: '编号',
    when: '何时',
    then: '结果',
    obligations: '响应义务',
    trigger: '触发',
    actor: '责任人',
    anchor: '计时起点',
    deadline: '时限',
    evidence: '完成凭据',
    onBreach: '超时处理',
    action: '动作',
    thresholds: '监控与报警阈值',
    source: '预案来源',
    organisation: '组织机构',
    group: '小组',
    name: '名称',
    lead: '组长',
    members: '成员',
    duties: '职责',
    rule: '规则',
    colour: '颜色',
    for: '持续',
  },
} as const;

const STATE: Record<string, { zh: string; en: string }> = {
  down: { zh: '中断', en: 'down' },
  degraded: { zh: '功能异常', en: 'degraded' },
  up: { zh: '正常', en: 'up' },
};
const SCOPE: Record<string, { zh: string; en: string }> = {
  hospital_wide: { zh: '全院', en: 'hospital-wide' },
  department: { zh: '科室', en: 'department' },
  floor: { zh: '楼层', en: 'floor' },
  terminal: { zh: '终端', en: 'terminal' },
};
const TALLY: Record<string, { zh: string; en: string }> = {
  any: { zh: '任一类', en: 'any category' },
  total: { zh: '合计', en: 'total' },
  emergency: { zh: '急诊', en: 'emergency' },
  inpatient: { zh: '住院', en: 'inpatient' },
  outpatient: { zh: '门诊', en: 'outpatient' },
  medical_insurance: { zh: '医保', en: 'insured' },
};

const PROVENANCES = ['seed', 'typical', 'reg', 'inferred'] as const;

/** The rules whose provenance `plan show` counts: thresholds, criteria, escalations, obligations. */
function rules(plan: Plan): { id: string; prov: string }[] {
  return [...plan.monitoring.thresholds, ...plan.levels.flatMap((l) => l.criteria), ...plan.escalations, ...plan.obligations];
}
/** `typical + seed:一.2` → `typical`: the first source a rule cites. */
const primaryProvenance = (prov: string) => prov.split('+')[0]!.trim().split(/[:\s]/)[0]!;

function sourceNotes(plan: Plan, lang: Lang): string[] {
  const zh = lang === 'zh';
  const header = plan.plan as Plan['plan'] & { source?: string | Record<string, string>; review_every?: string };
  const out: string[] = [];
  if (header.source !== undefined) {
    const source =
      typeof header.source === 'string'
        ? header.source
        : Object.entries(header.source)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ');
    out.push(zh ? `来源：${source}` : `Source: ${source}`);
  }
  if (header.review_every) out.push(zh ? `复审周期：每${humanDuration(header.review_every, lang)}` : `Review: every ${humanDuration(header.review_every, lang)}`);
  const all = rules(plan);
  const counts = PROVENANCES.map((p) => `${p} ${all.filter((r) => primaryProvenance(r.prov) === p).length}`);
  out.push(
    zh
      ? `规则来源（阈值、判定条款、升级规则、响应义务，按首个来源计，共 ${all.length} 条）：${counts.join('，')}`
      : `Rules by provenance (thresholds, criteria, escalations, obligations; first source cited; ${all.length} in all): ${counts.join(', ')}`,
  );
  // The seed's response flow (三(二)) is where the seed text stops; the last obligation taken from it marks the edge.
  const lastSeedStep = [...plan.obligations].reverse().find((o) => o.prov.split('+').some((part) => part.trim().startsWith('seed:三(二)')));
  if (lastSeedStep) {
    const clause = lastSeedStep.prov
      .split('+')
      .map((part) => part.trim())
      .find((part) => part.startsWith('seed:三(二)'))!
      .slice('seed:'.length);
    out.push(
      zh
        ? `种子预案正文止于${clause}：${lastSeedStep.id} 之后的响应步骤均为通行做法（typical）或推定（inferred），请逐条审核。`
        : `The seed text ends in ${clause}: response steps after ${lastSeedStep.id} are typical or inferred; review them.`,
    );
  }
  return out;
}

function organisation(plan: Plan, lang: Lang): string[] {
  const zh = lang === 'zh';
  const t = WORDS[lang];
  const sep = zh ? '、' : ', ';
  const role = (id: string) => {
    const name = plan.roles.find((r) => r.id === id)?.name[lang];
    return name ? `${name}${zh ? `（${id}）` : ` (${id})`}` : id;
  };
  const hq = plan.org.command_hq;
  const out = zh
    ? [`指挥部 — 总指挥：${role(hq.commander)}；副总指挥：${role(hq.deputy)}；成员：${hq.members.map(role).join(sep)}`]
    : [`Command HQ — commander: ${role(hq.commander)}; deputy: ${role(hq.deputy)}; members: ${hq.members.map(role).join(sep)}`];
  out.push('');
  out.push(
    table(
      [t.group, t.name, t.lead, t.members, t.duties],
      plan.org.groups.map((g) => [g.id, g.name[lang], role(g.lead), (g.members ?? []).join(sep) || '—', g.duties.join(sep) || '—']),
    ),
  );
  return out;
}

/** The `total` patient tally in words: what is summed, and what it is never below. */
function tallyTotal(plan: Plan, lang: Lang): string {
  const zh = lang === 'zh';
  const given = plan.grading_policy.tally_total;
  const rule = given ?? { sum: ['emergency', 'inpatient', 'outpatient'] as TallyCategory[], overlapping: ['medical_insurance'] as TallyCategory[] };
  const name = (c: string) => (zh ? word(TALLY, c, lang) : c);
  const overlapping = rule.overlapping ?? [];
  const sum = rule.sum.map(name).join(' + ');
  const byDefault = given ? '' : zh ? '（默认）' : ' (default)';
  if (zh) {
    const floor = overlapping.length ? `；不低于${overlapping.map(name).join('、')}单项（${overlapping.map(name).join('、')}患者与其他类别重叠）` : '';
    return `患者合计${byDefault}：合计 = ${sum}${floor}。`;
  }
  const who = overlapping.map((c) => word(TALLY, c, lang)).join(', ');
  const floor = overlapping.length ? `; never below ${overlapping.join(' or ')} alone (${who} patients overlap)` : '';
  return `Patient total${byDefault}: total = ${sum}${floor}.`;
}

function monitoring(plan: Plan, lang: Lang): string[] {
  const zh = lang === 'zh';
  const metrics = (plan.monitoring.metrics ?? []).map((m) => (typeof m === 'string' ? { id: m, kind: 'number' as const } : m));
  const out: string[] = [];
  if (metrics.length) {
    const kind = (k: 'number' | 'state') => (k === 'state' ? (zh ? '状态：正常/中断' : 'state: up/down') : zh ? '数值' : 'number');
    out.push((zh ? '监控指标：' : 'Metrics: ') + metrics.map((m) => (zh ? `${m.id}（${kind(m.kind)}）` : `${m.id} (${kind(m.kind)})`)).join(zh ? '、' : ', '));
  }
  const scope = word(SCOPE, plan.monitoring.alert_scope_default ?? 'hospital_wide', lang);
  const assumed = plan.monitoring.alert_scope_default ? '' : zh ? '（默认）' : ' (default)';
  out.push(
    zh ? `告警未注明范围时按：${scope}${assumed}，人工确认或更正前标为推定。` : `Scope of an alert that names none: ${scope}${assumed}, shown as assumed until a person confirms or corrects it.`,
  );
  return out;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const word = (dict: Record<string, { zh: string; en: string }>, key: string, lang: Lang) => dict[key]?.[lang] ?? key;

function conditions(when: Condition, lang: Lang): string {
  const zh = lang === 'zh';
  const sep = zh ? '、' : ', ';
  const parts: string[] = [];
  if (when.systems) {
    const all = when.match === 'all';
    parts.push(zh ? `${all ? '全部' : '任一'}系统 ${when.systems.join(sep)}` : `${all ? 'all' : 'any'} of ${when.systems.join(sep)}`);
  }
  if (when.categories) parts.push(zh ? `类别 ${when.categories.join('/')}` : `category ${when.categories.join('/')}`);
  if (when.issues_reports) parts.push(zh ? '任一出具报告的系统' : 'any system that issues reports');
  if (when.systems || when.categories || when.issues_reports || when.state) {
    const states = asList(when.state ?? 'down').map((s) => word(STATE, s, lang));
    parts.push(zh ? `状态 ${states.join('/')}` : states.join('/'));
  }
  if (when.scope)
    parts.push(
      asList(when.scope)
        .map((s) => word(SCOPE, s, lang))
        .join('/'),
    );
  if (when.scenario) parts.push(zh ? `场景 ${asList(when.scenario).join('/')}` : `scenario ${asList(when.scenario).join('/')}`);
  if (when.impact_flags) parts.push(zh ? `标志 ${when.impact_flags.join('+')}` : `flags ${when.impact_flags.join('+')}`);
  if (when.any_flag) parts.push(zh ? `任一标志 ${when.any_flag.join('/')}` : `any flag ${when.any_flag.join('/')}`);
  if (when.impact_flags_absent) parts.push(zh ? `无 ${when.impact_flags_absent.join('/')}` : `without ${when.impact_flags_absent.join('/')}`);
  if (when.tally) {
    const who = word(TALLY, when.tally.category, lang);
    const bound = when.tally.ge !== undefined ? `≥ ${when.tally.ge}` : when.tally.gt !== undefined ? `> ${when.tally.gt}` : '';
    parts.push(zh ? `受影响患者（${who}）${bound}` : `patients (${who}) ${bound}`);
  }
  return parts.join(zh ? '；' : '; ') || (zh ? '（无条件）' : '(always)');
}

function firing(c: Criterion, lang: Lang): string {
  const d = c.duration;
  if (d?.gt) return lang === 'zh' ? `超过${humanDuration(d.gt, lang)}` : `> ${humanDuration(d.gt, lang)}`;
  if (d?.ge) return lang === 'zh' ? `${humanDuration(d.ge, lang)}及以上` : `≥ ${humanDuration(d.ge, lang)}`;
  return lang === 'zh' ? '立即' : 'at once';
}

function escalationWhen(e: Escalation, lang: Lang): string {
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (e.when.obligation_breached) parts.push(zh ? `${e.when.obligation_breached} 超时` : `${e.when.obligation_breached} breached`);
  if (e.when.criterion_fired) parts.push(zh ? `${e.when.criterion_fired.join('/')} 成立` : `${e.when.criterion_fired.join('/')} fired`);
  if (e.when.manual) {
    const by = e.when.by_roles?.length ? e.when.by_roles.join(zh ? '、' : ', ') : '';
    parts.push(zh ? `人工决定${by ? `（${by}）` : ''}` : `manual${by ? ` by ${by}` : ''}`);
  }
  return parts.join(zh ? '；' : '; ');
}

function escalationThen(e: Escalation, lang: Lang): string {
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (e.then.set_level_at_least) parts.push(zh ? `至少升至 ${e.then.set_level_at_least}` : `level at least ${e.then.set_level_at_least}`);
  if (e.then.set_level) parts.push(zh ? '可设为任一级别' : 'set any level');
  if (e.then.notify?.length) parts.push(zh ? `通知 ${e.then.notify.join('、')}` : `notify ${e.then.notify.join(', ')}`);
  if (e.then.reason_required) parts.push(zh ? '须说明理由' : 'reason required');
  return parts.join(zh ? '；' : '; ');
}

function trigger(o: Obligation, lang: Lang): string {
  const zh = lang === 'zh';
  const conds: string[] = [];
  const a = o.applies_if;
  if (a?.patient_facing_system_affected) conds.push(zh ? '涉及面向患者的系统' : 'patient-facing system affected');
  if (a?.level_reached) conds.push(zh ? `曾达 ${a.level_reached.join('/')}` : `reached ${a.level_reached.join('/')}`);
  if (a?.scenario) conds.push(zh ? `场景 ${a.scenario.join('/')}` : `scenario ${a.scenario.join('/')}`);
  if (a?.systems_affected) conds.push(zh ? `涉及 ${a.systems_affected.join('/')}` : `${a.systems_affected.join('/')} affected`);
  if (a?.national_grade_at_least) conds.push(zh ? `国家分级${a.national_grade_at_least}及以上` : `national grade ${a.national_grade_at_least} or above`);
  if (a?.flags_any) conds.push(zh ? `标记 ${a.flags_any.join('/')}` : `flag ${a.flags_any.join('/')}`);
  if (a?.obligation_started) conds.push(zh ? `已启动 ${a.obligation_started.join('/')}` : `${a.obligation_started.join('/')} started`);
  if (!conds.length) return o.trigger;
  return zh ? `${o.trigger}（${conds.join('；')}时）` : `${o.trigger} (if ${conds.join('; ')})`;
}

function deadline(o: Obligation, lang: Lang): string {
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (o.recurring) parts.push(zh ? `每${humanDuration(o.recurring, lang)}` : `every ${humanDuration(o.recurring, lang)}`);
  if (o.within) parts.push(zh ? `${humanDuration(o.within, lang)}内` : `within ${humanDuration(o.within, lang)}`);
  return parts.join(zh ? '，' : ', ') || '—';
}

function breach(b: BreachEffect, lang: Lang): string {
  const zh = lang === 'zh';
  if (b === 'mark_overdue') return zh ? '标记逾期' : 'mark overdue';
  if ('page' in b) return zh ? `呼叫 ${b.page}` : `page ${b.page}`;
  if ('notify' in b) return zh ? `通知 ${b.notify}` : `notify ${b.notify}`;
  return zh ? `升级 ${b.escalate}` : `escalate ${b.escalate}`;
}

const ISO_PARTS = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNITS = {
  zh: ['年', '个月', '周', '天', '小时', '分钟', '秒'],
  en: [' y', ' mo', ' w', ' d', ' h', ' min', ' s'],
} as const;

/** `PT1H30M` → `1 h 30 min` / `1小时30分钟`; anything unparsable is shown as written. */
export function humanDuration(iso: string, lang: Lang): string {
  const m = ISO_PARTS.exec(iso);
  if (!m) return iso;
  const parts = m
    .slice(1)
    .map((v, i) => (v && Number(v) !== 0 ? `${v}${UNITS[lang][i]}` : ''))
    .filter(Boolean);
  if (!parts.length) return lang === 'zh' ? '0秒' : '0 s';
  return parts.join(lang === 'zh' ? '' : ' ');
}

const durationMs = (iso: string) => {
  const m = ISO_PARTS.exec(iso);
  return !!m && m.slice(1).some((v) => v && Number(v) !== 0);
};

// ---------------------------------------------------------------- table layout

/** Terminal columns taken by a string: East Asian wide and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
