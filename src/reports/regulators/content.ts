/**
 * What a regulator report's draft says, as plain data (pure): the header facts and one section per content item the
 * plan lists, each filled from the incident's facts where Lifeline knows them and marked 【待填写】 where a person must
 * write. zh-CN only: the reports go to Chinese authorities. The DOCX is written from this in document.ts.
 */
import type { IncidentView } from '../../incidents/types.js';
import type { Obligation, Plan } from '../../plan/types.js';
import { parseIsoDuration } from '../../shared/time.js';

export const TO_FILL = '【待填写】';

export interface DraftSection {
  item: string;
  heading: string;
  /** Paragraphs; a paragraph holding TO_FILL is for a person to complete. */
  paragraphs: string[];
}

export interface DraftContent {
  title: string;
  notice: string;
  facts: [string, string][];
  sections: DraftSection[];
  /** The course of the response, oldest first: time, what happened. */
  course: [string, string][];
  signature: string[];
}

/** Headings of the content items the default plan names (CAC Art. 7/8, PIPL Art. 57, the seed's progress reports). */
const HEADINGS: Record<string, string> = {
  operator_and_system: '运营者及受影响设施、系统、平台的基本情况',
  time_place_type_impact_measures: '事件发现或发生时间、地点、事件类型、已造成的影响和危害，已采取的应对措施及效果',
  ransom_details_if_ransomware: '勒索软件事件：赎金金额、支付方式、支付日期',
  trend: '事件发展态势及可能进一步造成的影响和危害',
  preliminary_cause: '初步分析的事件原因',
  investigation_clues: '进一步调查分析所需的线索（可能的攻击者、攻击路径、存在的漏洞等）',
  next_measures_and_support_needed: '拟进一步采取的应对措施及需要支持的事项',
  other: '其他情况',
  info_types_cause_harm: '涉及的个人信息种类、原因和可能造成的危害',
  remedial_measures_and_advice: '已采取的补救措施和个人可以采取的减轻危害的措施',
  contact: '个人信息处理者的联系方式',
  current_state: '当前状态',
  patients_affected: '受影响患者情况',
  cause: '事件原因',
  emergency_measures: '应急处置措施',
  harm: '造成的危害',
  accountability: '责任处理情况',
  rectification: '整改措施',
  lessons: '经验教训',
};

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const STATE_ZH: Record<string, string> = { down: '中断', degraded: '部分受影响', up: '正常' };
const INCIDENT_STATE_ZH: Record<string, string> = { responding: '处置中', recovering: '已恢复，正在补录核对', closed: '处置结束' };
const SCOPE_ZH: Record<string, string> = { hospital_wide: '全院', department: '科室', floor: '楼层/病区', terminal: '个别终端' };
const TALLY_ZH: Record<string, string> = { emergency: '急诊', inpatient: '住院', outpatient: '门诊', medical_insurance: '医保' };

export interface DraftInput {
  plan: Plan;
  rule: Obligation;
  incident: IncidentView;
  dueAt: number | null;
  now: number;
  /** ms → local time text (the hospital's time zone). */
  time: (ms: number) => string;
}

/** The draft of one report on one incident. */
export function draftContent({ plan, rule, incident, dueAt, now, time }: DraftInput): DraftContent {
  const spec = rule.report!;
  const at = (iso: string) => time(Date.parse(iso));
  const systemName = (id: string) => plan.systems.find((s) => s.id === id)?.name.zh ?? id;
  const roleName = (id: string) => plan.roles.find((r) => r.id === id)?.name.zh ?? plan.org.groups.find((g) => g.id === id)?.name.zh ?? id;
  const evidenceName = (id: string) => plan.evidence.find((e) => e.id === id)?.name.zh ?? id;
  const flagName = (id: string) => plan.impact_flags?.find((f) => f.id === id)?.name.zh ?? id;
  const scenarioName = (id: string | null) => (id ? (plan.scenarios.find((s) => s.id === id)?.name.zh ?? id) : null);
  const criterion = (id: string) => plan.levels.flatMap((l) => l.criteria).find((c) => c.id === id);
  const recipients = spec.recipients.join('、');

  const systems = incident.systems.length
    ? incident.systems.map((s) => `${systemName(s.system)}${s.component ? `（${s.component}）` : ''}：${STATE_ZH[s.state] ?? s.state}，自 ${at(s.since)} 起`)
    : [`受影响系统：${TO_FILL}`];
  const tallies = Object.entries(incident.tallies).filter(([, n]) => typeof n === 'number');
  const patients = tallies.length ? `受影响患者（业务协调组统计）：${tallies.map(([c, n]) => `${TALLY_ZH[c] ?? c} ${n} 人`).join('，')}。` : `受影响患者人数：${TO_FILL}`;
  const levels = incident.levelHistory.map((h) => {
    const c = criterion(h.rule);
    const why = c ? `依据预案 ${h.rule}：${c.summary.zh}` : h.rule === 'manual' ? `指挥部人工定级${h.reason ? `：${h.reason}` : ''}` : `依据 ${h.rule}`;
    return `${at(h.at)} 定为医院内部 ${h.level}${h.provisional ? '（暂定）' : ''}，${why}`;
  });
  const measures = measuresFrom(incident, { systemName, evidenceName, at });
  const state = `${INCIDENT_STATE_ZH[incident.state] ?? incident.state}${incident.recoveredAt ? `；服务恢复时间 ${at(incident.recoveredAt)}` : ''}${incident.closedAt ? `；处置结束时间 ${at(incident.closedAt)}` : ''}。`;
  const flags = incident.flags.length ? `已记录的影响：${incident.flags.map(flagName).join('，')}。` : '';
  const national = incident.nationalGrade ? `${incident.nationalGrade.grade}（${at(incident.nationalGrade.at)} 由 ${incident.nationalGrade.by} 记录）` : `未记录（${TO_FILL}）`;

  const fill = (item: string): string[] => {
    switch (item) {
      case 'operator_and_system':
        return [`运营者：${TO_FILL}（医院名称、统一社会信用代码、地址）`, `适用预案：${plan.plan.title.zh}（${plan.plan.version}）`, ...systems];
      case 'time_place_type_impact_measures':
        return [
          `发现时间：${at(incident.detectedAt)}`,
          `地点：${TO_FILL}`,
          `事件类型：${scenarioName(incident.scenario) ?? TO_FILL}；影响范围：${SCOPE_ZH[incident.scope] ?? incident.scope}${incident.scopeAssumed ? '（推定，未确认）' : ''}`,
          ...levels,
          `国家网络安全事件分级：${national}`,
          ...(flags ? [flags] : []),
          patients,
          ...(measures.length ? ['已采取的措施：', ...measures] : [`已采取的措施：${TO_FILL}`]),
          `措施效果：${TO_FILL}`,
        ];
      case 'ransom_details_if_ransomware':
        return incident.flags.includes('ransomware_encryption') ? [`赎金金额：${TO_FILL}`, `支付方式：${TO_FILL}`, `支付日期：${TO_FILL}`] : ['不适用（本事件未记录勒索软件加密）。'];
      case 'current_state':
        return [state, ...systems];
      case 'patients_affected':
        return [patients];
      case 'trend':
        return [state, TO_FILL];
      case 'info_types_cause_harm':
        return [...(flags ? [flags] : []), `个人信息种类：${TO_FILL}`, `原因：${TO_FILL}`, `可能造成的危害：${TO_FILL}`];
      case 'remedial_measures_and_advice':
        return [...(measures.length ? ['已采取的措施：', ...measures] : []), `个人可以采取的措施：${TO_FILL}`];
      case 'emergency_measures':
        return measures.length ? measures : [TO_FILL];
      case 'harm':
        return [...levels, ...(flags ? [flags] : []), patients, `其他危害：${TO_FILL}`];
      default:
        return [TO_FILL];
    }
  };

  const kind = spec.kind === 'summary' ? '总结报告' : '报告';
  return {
    title: `关于“${incident.title}”的${kind}`,
    notice: '草稿：由 Lifeline 根据事件记录预填，须由负责人核对、补充【待填写】各项并审批后，由医院自行报送；Lifeline 不代为报送。',
    facts: [
      ['报送对象', recipients],
      ['报告类型', spec.kind === 'summary' ? '总结报告（处置结束后）' : spec.asap ? '初次报告（立即报告）' : '初次报告'],
      [
        '报送时限',
        dueAt === null
          ? '无'
          : `${time(dueAt)} 前（${spec.asap ? '立即报告；超过' : ''}${durationZh(rule.within)}${spec.asap ? '即视为逾期' : ''}，自${rule.anchor === 'closed_at' ? '处置结束' : '发现'}起算）`,
      ],
      ['负责角色', roleName(rule.actor)],
      ['依据', rule.prov],
      ['事件名称', incident.title],
      ['事件编号', incident.id],
      ['医院内部级别', `${incident.level}${incident.provisional ? '（暂定）' : ''}`],
      ['国家网络安全事件分级', national],
      ['草稿生成时间', time(now)],
    ],
    sections: spec.content.map((item, i) => ({ item, heading: `${NUMERALS[i] ?? String(i + 1)}、${HEADINGS[item] ?? item}`, paragraphs: fill(item) })),
    course: courseOf(incident, { systemName, evidenceName, at, levels: incident.levelHistory }),
    signature: [`填报人：${TO_FILL}    联系电话：${TO_FILL}`, `审核人：${TO_FILL}    单位（盖章）：${TO_FILL}`, `报送时间：${TO_FILL}`],
  };
}

interface Names {
  systemName: (id: string) => string;
  evidenceName: (id: string) => string;
  at: (iso: string) => string;
}

/** PT4H → 4小时, P30D → 30天, PT1H30M → 1小时30分钟. */
function durationZh(iso: string | undefined): string {
  const ms = iso ? parseIsoDuration(iso) : undefined;
  if (ms === undefined) return iso ?? '';
  const minutes = Math.round(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return `${d ? `${d}天` : ''}${h ? `${h}小时` : ''}${m ? `${m}分钟` : ''}` || '0分钟';
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const zh = (v: unknown) => (v && typeof v === 'object' && 'zh' in v ? str((v as { zh: unknown }).zh) : '');

/** What people did, from the timeline, oldest first. */
function measuresFrom(incident: IncidentView, n: Names): string[] {
  const out: string[] = [];
  for (const e of [...incident.timeline].reverse()) {
    const d = (e.data ?? {}) as Record<string, unknown>;
    if (e.kind.startsWith('action.')) {
      const note = str(d.note);
      out.push(`${n.at(e.at)} ${e.actor}：${n.evidenceName(str(d.action) || e.kind.slice(7))}${note ? `（${note}）` : ''}`);
    } else if (e.kind === 'downtime.started') out.push(`${n.at(e.at)} ${zh(d.departmentName) || str(d.department)} 启动手工流程（${zh(d.line) || str(d.businessLine)}）`);
    else if (e.kind === 'incident.state' && d.to === 'recovering') out.push(`${n.at(e.at)} 服务恢复`);
  }
  return out;
}

/** The course of the response: level changes, system states, people's actions, state changes. */
function courseOf(incident: IncidentView, n: Names & { levels: IncidentView['levelHistory'] }): [string, string][] {
  const rows: [number, string, string][] = [];
  // oldest first; at one instant the timeline's order, then the level it led to (the sort is stable)
  for (const e of [...incident.timeline].reverse()) {
    const d = (e.data ?? {}) as Record<string, unknown>;
    let what = '';
    if (e.kind === 'incident.opened') what = '事件开启';
    else if (e.kind === 'system.state') what = `${n.systemName(str(d.system))} → ${STATE_ZH[str(d.state)] ?? str(d.state)}`;
    else if (e.kind.startsWith('action.')) what = `${e.actor}：${n.evidenceName(str(d.action) || e.kind.slice(7))}`;
    else if (e.kind === 'incident.state') what = `事件状态 → ${INCIDENT_STATE_ZH[str(d.to)] ?? str(d.to)}`;
    else if (e.kind === 'downtime.started') what = `${zh(d.departmentName) || str(d.department)} 启动手工流程`;
    else if (e.kind === 'impact.national_grade') what = `国家分级：${str(d.grade) || '清除'}`;
    else if (e.kind === 'regulator.report_submitted') what = `${str(d.obligation)} 已报送${str(d.to)}（${str(d.reference)}）`;
    if (what) rows.push([Date.parse(e.at), n.at(e.at), what]);
  }
  for (const h of n.levels) rows.push([Date.parse(h.at), n.at(h.at), `定级 ${h.level}${h.provisional ? '（暂定）' : ''}（${h.rule}）`]);
  return rows.sort((a, b) => a[0] - b[0]).map(([, t, w]) => [t, w]);
}
