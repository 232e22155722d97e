import type { BusinessLine, FormType, Plan, Text } from '../plan/types.js';
import type { FormSpec, RecordType } from './types.js';

const t = (zh: string, en: string): Text => ({ zh, en });

/** A labelled blank line on a form. */
export interface Field {
  label: Text;
  wide?: boolean; // takes the whole row
  boxes?: Text[]; // tick boxes instead of a line
  lines?: number; // more blank lines below (free text)
}

/** How a form is laid out: fields, then an optional ruled table, then a signature strip. */
export interface FormLayout {
  fields: Field[];
  table?: { columns: Text[]; rows: number; widths?: number[] };
  signatures: Text[];
  note?: Text;
}

const PATIENT: Field[] = [{ label: t('姓名', 'Name') }, { label: t('性别', 'Sex'), boxes: [t('男', 'M'), t('女', 'F')] }, { label: t('年龄', 'Age') }, { label: t('科室/床号', 'Dept / bed') }];
const CATEGORY: Field = {
  label: t('类别', 'Category'),
  wide: true,
  boxes: [t('急诊', 'Emergency'), t('住院', 'Inpatient'), t('门诊', 'Outpatient'), t('医保', 'Insured'), t('危重', 'Critically ill')],
};
const BACK_ENTRY: Text[] = [t('补录系统号', 'System id'), t('补录人/时间', 'Entered by / at'), t('复核人', 'Verified by')];

/** Every paper form Lifeline prints: serial code, paper size, and what it becomes on back-entry. */
export const FORMS: Record<FormType, FormSpec & { layout: FormLayout }> = {
  registration_slip: {
    type: 'registration_slip',
    code: 'RG',
    paper: 'A5',
    record: 'registration',
    number: 'mrn',
    title: t('手工挂号单', 'Manual registration slip'),
    layout: {
      fields: [
        ...PATIENT,
        { label: t('身份证号', 'ID card no.'), wide: true },
        { label: t('住址', 'Address'), wide: true },
        { label: t('联系电话', 'Phone') },
        { label: t('就诊科室', 'Clinic') },
        { label: t('初/复诊', 'Visit'), boxes: [t('初诊', 'First'), t('复诊', 'Return')] },
        { label: t('挂号时间', 'Registered at') },
        CATEGORY,
        { label: t('主诉/备注', 'Complaint / notes'), wide: true, lines: 3 },
      ],
      signatures: [t('挂号员', 'Clerk'), ...BACK_ENTRY],
    },
  },
  patient_roster: {
    type: 'patient_roster',
    code: 'RS',
    paper: 'A4',
    record: null,
    title: t('停机期间病人一览表', 'Downtime patient roster'),
    layout: {
      fields: [{ label: t('科室/窗口', 'Department / window') }, { label: t('日期', 'Date') }],
      table: {
        columns: [
          t('时间', 'Time'),
          t('临时病历号', 'Temp. no.'),
          t('姓名', 'Name'),
          t('性别', 'Sex'),
          t('年龄', 'Age'),
          t('住址/电话', 'Address / phone'),
          t('科室', 'Clinic'),
          t('类别', 'Cat.'),
          t('系统病历号', 'System id'),
        ],
        rows: 30,
        widths: [1, 1.4, 1.2, 0.6, 0.6, 2.4, 1, 0.7, 1.4],
      },
      signatures: [t('登记人', 'Recorded by'), t('核对人', 'Checked by')],
      note: t('类别：急=急诊 住=住院 门=门诊 保=医保 危=危重', 'Category: E emergency, I inpatient, O outpatient, MI insured, C critically ill'),
    },
  },
  temporary_receipt: {
    type: 'temporary_receipt',
    code: 'RC',
    paper: 'A5',
    record: 'charge',
    number: 'receipt',
    duplicate: true,
    title: t('临时收据（白条）', 'Temporary receipt'),
    layout: {
      fields: [
        { label: t('姓名', 'Name') },
        { label: t('临时病历号', 'Temp. record no.') },
        { label: t('科室/病区', 'Dept / ward') },
        { label: t('联系电话', 'Phone') },
        { label: t('收费项目', 'Items'), wide: true },
        { label: t('金额（大写）', 'Amount (words)') },
        { label: t('金额（小写）', 'Amount (¥)') },
        { label: t('支付方式', 'Paid by'), wide: true, boxes: [t('现金', 'Cash'), t('扫码', 'QR pay'), t('银行卡', 'Card'), t('欠费', 'Owed')] },
      ],
      signatures: [t('收费员签章', 'Cashier signature / stamp'), t('科室章', 'Department stamp'), t('日期', 'Date')],
      note: t('凭此联于系统恢复后换取正式发票', 'Exchange this receipt for an official invoice after the system is back'),
    },
  },
  prescription: {
    type: 'prescription',
    code: 'RX',
    paper: 'A5',
    record: 'prescription',
    title: t('停机手写处方', 'Downtime prescription'),
    layout: {
      fields: [...PATIENT, { label: t('临时病历号', 'Temp. record no.') }, { label: t('临床诊断', 'Diagnosis'), wide: true }, CATEGORY],
      table: { columns: [t('药品名称', 'Drug'), t('规格', 'Strength'), t('单次用量', 'Dose'), t('用法', 'Route / freq.'), t('数量', 'Qty')], rows: 10, widths: [3, 1.2, 1, 1.4, 0.8] },
      signatures: [t('医师', 'Doctor'), t('审核/调配', 'Checked / prepared'), t('核对发药', 'Dispensed'), t('金额', 'Amount')],
    },
  },
  lab_requisition: {
    type: 'lab_requisition',
    code: 'LQ',
    paper: 'A5',
    record: 'lab_order',
    title: t('检验申请单', 'Laboratory requisition'),
    layout: {
      fields: [
        ...PATIENT,
        { label: t('临时病历号', 'Temp. record no.') },
        { label: t('临床诊断', 'Diagnosis'), wide: true },
        { label: t('标本', 'Specimen'), wide: true, boxes: [t('血', 'Blood'), t('尿', 'Urine'), t('便', 'Stool'), t('其他', 'Other')] },
        {
          label: t('项目', 'Tests'),
          wide: true,
          boxes: [t('血常规', 'FBC'), t('生化', 'Chemistry'), t('电解质', 'Electrolytes'), t('凝血', 'Coagulation'), t('血气', 'Blood gas'), t('心肌标志物', 'Cardiac markers'), t('其他', 'Other')],
        },
        { label: t('急诊', 'Urgent'), boxes: [t('是', 'Yes')] },
        { label: t('采样时间', 'Collected at') },
      ],
      signatures: [t('申请医师', 'Ordered by'), t('已执行', 'Performed'), t('已计费', 'Charged')],
    },
  },
  imaging_requisition: {
    type: 'imaging_requisition',
    code: 'IQ',
    paper: 'A5',
    record: 'imaging_order',
    title: t('影像检查申请单', 'Imaging requisition'),
    layout: {
      fields: [
        ...PATIENT,
        { label: t('临时病历号', 'Temp. record no.') },
        { label: t('临床摘要/诊断', 'Clinical summary'), wide: true },
        { label: t('检查方式', 'Modality'), wide: true, boxes: [t('X线', 'X-ray'), t('CT', 'CT'), t('MR', 'MR'), t('超声', 'Ultrasound'), t('其他', 'Other')] },
        { label: t('检查部位', 'Body part'), wide: true },
        { label: t('急诊', 'Urgent'), boxes: [t('是', 'Yes')] },
        { label: t('检查时间', 'Examined at') },
        { label: t('设备本地编号', 'Modality study no.') },
        { label: t('补传PACS', 'Sent to PACS'), boxes: [t('已传', 'Done')] },
      ],
      signatures: [t('申请医师', 'Ordered by'), t('技师', 'Technician'), t('已计费', 'Charged')],
    },
  },
  emergency_lab_report: {
    type: 'emergency_lab_report',
    code: 'LR',
    paper: 'A5',
    record: 'lab_result',
    title: t('应急检验报告单', 'Emergency laboratory report'),
    layout: {
      fields: [...PATIENT, { label: t('临时病历号', 'Temp. record no.') }, { label: t('标本/采样时间', 'Specimen / collected') }],
      table: { columns: [t('项目', 'Test'), t('结果', 'Result'), t('单位', 'Unit'), t('参考区间', 'Reference')], rows: 9, widths: [2, 1.4, 1, 1.6] },
      signatures: [t('检验者', 'Analyst'), t('审核者', 'Reviewer'), t('报告时间', 'Reported at')],
      note: t('危急值：□ 已电话通知 ____ 接听人 ____ 时间 ____，并登记危急值登记本', 'Critical value: □ telephoned to ____ taken by ____ at ____, written in the critical-value register'),
    },
  },
  order_sheet: {
    type: 'order_sheet',
    code: 'OS',
    paper: 'A4',
    record: 'order',
    title: t('停机医嘱单', 'Downtime order sheet'),
    layout: {
      fields: [{ label: t('病区', 'Ward') }, { label: t('床号', 'Bed') }, { label: t('姓名', 'Name') }, { label: t('住院号/临时号', 'Inpatient / temp. no.') }],
      table: {
        columns: [t('开始时间', 'Start'), t('长期/临时', 'Standing / once'), t('医嘱内容', 'Order'), t('医师', 'Doctor'), t('护士', 'Nurse'), t('停止时间', 'Stopped'), t('停止医师', 'Stopped by')],
        rows: 28,
        widths: [1.2, 0.9, 3.4, 0.9, 0.9, 1.2, 0.9],
      },
      signatures: [t('补录人/时间', 'Entered by / at'), t('复核人', 'Verified by')],
      note: t('记录停机期间新开、停止的长期医嘱；未停止的长期医嘱继续执行', 'Record standing orders started or stopped during downtime; standing orders not stopped continue'),
    },
  },
  medication_execution_sheet: {
    type: 'medication_execution_sheet',
    code: 'ME',
    paper: 'A4',
    record: 'execution',
    title: t('给药执行单', 'Medication execution sheet'),
    layout: {
      fields: [{ label: t('病区', 'Ward') }, { label: t('床号', 'Bed') }, { label: t('姓名', 'Name') }, { label: t('住院号/临时号', 'Inpatient / temp. no.') }],
      table: {
        columns: [
          t('药品/剂量/途径', 'Drug / dose / route'),
          t('频次', 'Freq.'),
          t('计划时间', 'Due'),
          t('执行时间', 'Given at'),
          t('执行护士', 'Given by'),
          t('双人核对', 'Checked by'),
          t('备注', 'Note'),
        ],
        rows: 28,
        widths: [3, 0.8, 1, 1, 1, 1, 1.2],
      },
      signatures: [t('补录人/时间', 'Entered by / at'), t('复核人', 'Verified by')],
      note: t('PDA不可用时人工核对病人身份（姓名+住院号）', 'Without the PDA, check identity by hand (name + number)'),
    },
  },
  activity_log: {
    type: 'activity_log',
    code: 'AL',
    paper: 'A4',
    record: null,
    title: t('停机工作记录', 'Downtime activity log'),
    layout: {
      fields: [{ label: t('科室', 'Department') }, { label: t('业务', 'Business line') }, { label: t('停机开始', 'Downtime from') }, { label: t('恢复时间', 'Restored at') }],
      table: {
        columns: [t('时间', 'Time'), t('事项/操作', 'Event / action'), t('单据序号/临时号', 'Form serial / temp. no.'), t('经办人', 'By'), t('备注', 'Note')],
        rows: 30,
        widths: [1, 4, 2, 1, 1.6],
      },
      signatures: [t('科室联络人', 'Department liaison'), t('科室负责人', 'Head of department')],
    },
  },
};

export const formSpec = (type: FormType) => FORMS[type];
export const formByCode = (code: string) => Object.values(FORMS).find((f) => f.code === code);

/** The record a form becomes on back-entry in a given business line (a slip at admissions is an admission…). */
export function recordTypeFor(type: FormType, line: string | null): RecordType | null {
  const base = FORMS[type].record;
  if (base === 'registration' && line === 'admission_discharge') return 'admission';
  if (base === 'charge' && line === 'mi_settlement') return 'mi_settlement';
  if (base === 'prescription' && line === 'pharmacy') return 'dispense';
  return base;
}

export function businessLine(plan: Plan, id: string): BusinessLine | undefined {
  return plan.business_lines?.find((b) => b.id === id);
}

export function departmentName(plan: Plan, id: string | null): Text {
  const d = id ? plan.departments?.find((x) => x.id === id) : undefined;
  return d?.name ?? { zh: id ?? '—', en: id ?? '—' };
}

/** Where a session runs, as timeline data: the ids and the plan's names in both languages. */
export function sessionPlace(plan: Plan, s: { business_line: string; department: string }) {
  const line = businessLine(plan, s.business_line)?.name ?? { zh: s.business_line, en: s.business_line };
  return { businessLine: s.business_line, line, department: s.department, departmentName: departmentName(plan, s.department) };
}
