import { describe, expect, it } from 'vitest';
import { displayWidth, formatIssues, formatPlanTable, humanDuration, loadDefaultPlan, type Plan } from './index.js';

const plan = loadDefaultPlan();

describe('formatPlanTable', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`shows every criterion, escalation and obligation with its deadline (${lang})`, () => {
      const out = formatPlanTable(plan, lang);
      for (const level of plan.levels) {
        for (const c of level.criteria) {
          const row = out.split('\n').find((l) => l.startsWith(`${c.id} `));
          expect(row, c.id).toBeDefined();
          expect(row).toContain(c.prov);
          if (c.duration?.gt) expect(row).toContain(humanDuration(c.duration.gt, lang));
        }
      }
      for (const e of plan.escalations) expect(out).toContain(e.id);
      for (const o of plan.obligations) {
        const row = out.split('\n').find((l) => l.startsWith(`${o.id} `));
        expect(row, o.id).toBeDefined();
        expect(row).toContain(o.trigger);
        expect(row).toContain(o.actor);
        expect(row).toContain(o.prov);
        expect(row).toContain(o.action[lang]);
        if (o.within) expect(row).toContain(humanDuration(o.within, lang));
        if (o.anchor) expect(row).toContain(o.anchor);
        if (o.evidence) expect(row).toContain(o.evidence);
      }
    });
  }

  it('renders the seed numbers readably', () => {
    const en = formatPlanTable(plan, 'en');
    expect(en).toMatch(/^L1\.a .*any of HIS, EMR, MI_SETTLEMENT; down; hospital-wide +> 2 h /m);
    expect(en).toMatch(/^L2\.b .*patients \(total\) ≥ 50 +at once /m);
    expect(en).toMatch(/^O3\.1 +incident\.opened +monitoring_post +detected_at +within 5 min +acknowledge +mark overdue; page tech_lead /m);
    expect(en).toMatch(/^O3\.3 .*within 30 min .*escalate E3to2 /m);
    expect(en).toMatch(/^OM\.1 .*every 1 h, within 1 h /m);
    expect(en).toMatch(/^E3to2 +O3\.3 breached +level at least L2 /m);
    const zh = formatPlanTable(plan, 'zh');
    expect(zh).toMatch(/^L1\.b .*超过4小时/m);
    expect(zh).toMatch(/^O3\.2 .*10分钟内/m);
    expect(zh).toContain('三级事件（一般故障）（默认级别）');
  });

  it('prints the organisation: the command HQ and each group with its lead, members and duties', () => {
    const en = formatPlanTable(plan, 'en');
    expect(en).toContain('Command HQ — commander: Commander (commander); deputy: Deputy commander (deputy_commander); members: Technical support lead (tech_lead),');
    for (const g of plan.org.groups) {
      const row = en.split('\n').find((l) => l.startsWith(`${g.id} `));
      expect(row, g.id).toBeDefined();
      for (const text of [g.name.en, g.lead, ...(g.members ?? []), ...g.duties]) expect(row).toContain(text);
    }
    const zh = formatPlanTable(plan, 'zh');
    expect(zh).toContain('== 组织机构 ==');
    expect(zh).toContain('指挥部 — 总指挥：总指挥（commander）；副总指挥：副总指挥（deputy_commander）');
    expect(zh).toMatch(/^tech +技术保障组 +技术保障组组长（tech_lead）/m);
  });

  it('prints where the plan comes from: source, review, provenance counts and where the seed text ends', () => {
    const en = formatPlanTable(plan, 'en');
    expect(en).toContain('Source: seed: 《医院信息化应急预案》');
    expect(en).toContain('Review: every 1 y');
    const rules = [...plan.monitoring.thresholds, ...plan.levels.flatMap((l) => l.criteria), ...plan.escalations, ...plan.obligations];
    const count = (p: string) => rules.filter((r) => r.prov.split('+')[0]!.trim().split(':')[0] === p).length;
    expect(count('seed') + count('typical') + count('reg') + count('inferred')).toBe(rules.length);
    expect(en).toContain(`${rules.length} in all): seed ${count('seed')}, typical ${count('typical')}, reg ${count('reg')}, inferred ${count('inferred')}`);
    expect(en).toContain('The seed text ends in 三(二)2: response steps after O2.2 are typical or inferred');
    const zh = formatPlanTable(plan, 'zh');
    expect(zh).toContain('复审周期：每1年');
    expect(zh).toContain('种子预案正文止于三(二)2：O2.2 之后的响应步骤均为通行做法（typical）或推定（inferred）');
  });

  it('says how the patient total is counted, which metrics are states and the assumed alert scope', () => {
    const en = formatPlanTable(plan, 'en');
    expect(en).toContain('total = emergency + inpatient + outpatient; never below medical_insurance alone (insured patients overlap)');
    expect(en).toContain('db_service_up (state: up/down)');
    expect(en).toContain('cpu_usage_pct (number)');
    expect(en).toContain('Scope of an alert that names none: hospital-wide,');
    expect(en).toMatch(/^db_red +db_service_up == down +red /m);
    expect(en).toMatch(/^L2\.b .*any system that issues reports; down/m);
    const zh = formatPlanTable(plan, 'zh');
    expect(zh).toContain('合计 = 急诊 + 住院 + 门诊；不低于医保单项（医保患者与其他类别重叠）');
    expect(zh).toContain('db_service_up（状态：正常/中断）');
    expect(zh).toContain('告警未注明范围时按：全院');
  });

  it('words a tally rule and a scope the plan leaves out as the defaults', () => {
    const bare = structuredClone(plan) as Plan;
    delete bare.grading_policy.tally_total;
    delete bare.monitoring.alert_scope_default;
    const en = formatPlanTable(bare, 'en');
    expect(en).toContain('Patient total (default): total = emergency + inpatient + outpatient; never below medical_insurance alone');
    expect(en).toContain('Scope of an alert that names none: hospital-wide (default)');
    bare.grading_policy.tally_total = { sum: ['inpatient', 'outpatient'] };
    expect(formatPlanTable(bare, 'en')).toContain('Patient total: total = inpatient + outpatient.');
  });

  it('aligns columns by display width, Chinese counting double', () => {
    const lines = formatPlanTable(plan, 'zh').split('\n');
    const header = lines.find((l) => /^编号 +触发/.test(l))!;
    const row = lines.find((l) => l.startsWith('O2.4 '))!;
    const col = (line: string, text: string) => displayWidth(line.slice(0, line.indexOf(text)));
    expect(col(row, 'publicity_lead')).toBe(col(header, '责任人'));
  });
});

describe('formatIssues', () => {
  it('prints file:line:column severity path: message', () => {
    expect(
      formatIssues([
        { file: 'plan.yaml', line: 42, column: 7, severity: 'error', path: 'obligations[2].within', message: 'not an ISO 8601 duration' },
        { file: 'plan.yaml', line: 3, column: 1, severity: 'warning', path: 'suplies', message: 'unknown section' },
        { path: '', message: 'expected object, got null' },
      ]),
    ).toBe(['plan.yaml:42:7 error obligations[2].within: not an ISO 8601 duration', 'plan.yaml:3:1 warning suplies: unknown section', 'error (root): expected object, got null'].join('\n'));
  });
});

describe('humanDuration', () => {
  it.each([
    ['PT5M', '5 min', '5分钟'],
    ['PT1H30M', '1 h 30 min', '1小时30分钟'],
    ['P30D', '30 d', '30天'],
    ['PT0S', '0 s', '0秒'],
    ['soon', 'soon', 'soon'],
  ])('%s', (iso, en, zh) => {
    expect(humanDuration(iso, 'en')).toBe(en);
    expect(humanDuration(iso, 'zh')).toBe(zh);
  });
});
