/**
 * The sample roster workbook (docs/samples/roster.xlsx): the shape hospital offices keep — a directory sheet
 * (人员), role holders with deputies (角色), and a week's 24-hour duty rota handed over at 08:00 (值班表),
 * with a title row above its header as printed rotas have. Written with exceljs; used by tests and docs.
 * The people are fictitious; the mobile numbers are in the 138-0000-xxxx test range.
 */
import ExcelJS from 'exceljs';
import { addDays, weekday } from './zoned.js';

export const SAMPLE_PEOPLE = [
  { no: '1001', name: '张伟', dept: '信息中心', title: '工程师', mobile: '13800000001', email: 'zhangwei@hospital.example', wecom: 'ZhangWei', ding: 'zw001' },
  { no: '1002', name: '李娜', dept: '信息中心', title: '工程师', mobile: '13800000002', email: 'lina@hospital.example', wecom: 'LiNa', ding: 'ln002' },
  { no: '1003', name: '王强', dept: '信息中心', title: '工程师', mobile: '13800000003', email: 'wangqiang@hospital.example', wecom: 'WangQiang', ding: '' },
  { no: '1004', name: '刘洋', dept: '信息中心', title: '工程师', mobile: '13800000004', email: '', wecom: 'LiuYang', ding: '' },
  { no: '1005', name: '陈静', dept: '信息中心', title: '主任', mobile: '13800000005', email: 'chenjing@hospital.example', wecom: 'ChenJing', ding: 'cj005' },
  { no: '1006', name: '杨明', dept: '院办', title: '副院长', mobile: '13800000006', email: 'yangming@hospital.example', wecom: 'YangMing', ding: '' },
  { no: '1007', name: '赵刚', dept: '院办', title: '院长', mobile: '13800000007', email: '', wecom: 'ZhaoGang', ding: '' },
  { no: '1008', name: '周敏', dept: '医务科', title: '科长', mobile: '13800000008', email: '', wecom: 'ZhouMin', ding: '' },
  { no: '1009', name: '吴磊', dept: '设备科', title: '科长', mobile: '13800000009', email: '', wecom: 'WuLei', ding: '' },
  { no: '1010', name: '孙丽', dept: '信息中心', title: '监控岗', mobile: '13800000010', email: '', wecom: 'SunLi', ding: '' },
];

export const SAMPLE_ROLES: [role: string, holders: string, deputy1: string, deputy2: string][] = [
  ['总指挥', '1007', '1006', ''],
  ['副总指挥', '1006', '1007', ''],
  ['技术保障组组长', '1005', '1001', ''],
  ['tech_oncall', '', '1005', '1006'], // the rota names who is on duty; these stand in when that person is unreachable
  ['监控岗', '1010', '', ''],
  ['业务协调组组长', '1008', '', ''],
  ['后勤保障组组长', '1009', '', ''],
];

/** Who is on duty each day of the sample week (Monday first). */
export const SAMPLE_WEEK = ['张伟', '李娜', '王强', '刘洋', '张伟', '李娜', '王强'];

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

export async function sampleRosterWorkbook(monday = '2026-03-02'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lifeline';
  wb.created = new Date(Date.UTC(2026, 1, 20));
  wb.modified = wb.created;
  const people = wb.addWorksheet('人员');
  people.addRow(['工号', '姓名', '科室', '职务', '手机', '邮箱', '企业微信', '钉钉', '备注']);
  for (const p of SAMPLE_PEOPLE) people.addRow([p.no, p.name, p.dept, p.title, Number(p.mobile), p.email || null, p.wecom, p.ding || null, null]);
  people.columns.forEach((c) => (c.width = 16));

  const roles = wb.addWorksheet('角色');
  roles.addRow(['角色', '负责人', '替补1', '替补2']);
  for (const r of SAMPLE_ROLES) roles.addRow(r.map((x) => x || null));

  const rota = wb.addWorksheet('值班表');
  rota.addRow([`信息中心值班表（${monday} 起一周，每日 08:00 交班）`]);
  rota.mergeCells('A1:D1');
  rota.addRow(['日期', '星期', '值班人', '联系电话']);
  SAMPLE_WEEK.forEach((name, i) => {
    const date = addDays(monday, i);
    const [y, m, d] = date.split('-').map(Number);
    const cell = rota.addRow([new Date(Date.UTC(y, m - 1, d)), WEEKDAYS[weekday(date)], name, SAMPLE_PEOPLE.find((p) => p.name === name)!.mobile]);
    cell.getCell(1).numFmt = 'yyyy-mm-dd';
  });
  rota.getColumn(1).width = 14;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
