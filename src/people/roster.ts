/**
 * Roster files as hospital offices keep them: an Excel workbook (.xlsx) or a CSV export. Sheets are
 * recognised by name or by their headers (Chinese or English):
 *   人员 / people   — the directory: 工号, 姓名, 科室, 职务, 手机, 电话, 邮箱, 企业微信, 钉钉, 飞书, 通知渠道, 备注
 *   角色 / roles    — 角色 (plan role id or its Chinese name), 负责人 (holders), 替补 (deputies, in order; or 替补1, 替补2…)
 *   值班表 / rota   — 日期, 角色 (default tech_oncall), 值班人 (工号 or 姓名; several allowed), 交班时间 (default 08:00)
 * A CSV file holds one of these tables. People in the roles and rota sheets are named by 工号 or 姓名, and
 * may be people of the same file or already in the directory.
 *
 * `readRoster` only parses; `checkRoster` validates every row against the plan and the directory and
 * returns the changes plus row-level errors (sheet, row number as Excel shows it, field, message).
 */
import ExcelJS from 'exceljs';
import type { Plan } from '../plan/types.js';
import { decodeText, parseCsv } from './csv.js';
import type { Person, PersonInput } from './types.js';
import { HHMM, isDate } from './zoned.js';

export type Cell = string | number | boolean | Date | null;
export interface SheetRow {
  row: number; // 1-based, as the spreadsheet shows it
  values: Record<string, Cell>;
}
export type SheetKind = 'people' | 'roles' | 'rota';
export interface Sheet {
  name: string;
  kind: SheetKind;
  rows: SheetRow[];
}
/** Why a row was refused, for clients to word in their own language (with `params`). */
export type RosterIssueCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'DUPLICATE_IN_FILE'
  | 'MOBILE_INVALID'
  | 'EMAIL_INVALID'
  | 'ROLE_UNKNOWN'
  | 'PERSON_UNKNOWN'
  | 'PERSON_AMBIGUOUS'
  | 'DATE_INVALID'
  | 'TIME_INVALID'
  | 'SHIFT_DUPLICATE'
  | 'NO_SHEET';
export interface RosterIssue {
  sheet: string;
  row: number;
  /** the column as the Chinese template names it (姓名, 手机…) */
  field: string;
  /** the column's canonical key (name, mobile…; empty for the file as a whole) */
  column: string;
  code: RosterIssueCode;
  params: Record<string, string | number>;
  message: string;
}
/** One row of the file as the import would treat it: what it does (null: refused) and its problems. */
export interface RowPreview {
  sheet: string;
  kind: SheetKind;
  row: number;
  action: 'create' | 'update' | 'set' | null;
  /** the row's cells by canonical column key, as text */
  cells: Record<string, string>;
  issues: RosterIssue[];
}

const HEADERS: Record<string, string[]> = {
  employeeNo: ['工号', '员工号', '职工号', '人员编号', 'employee_no', 'employeeno', 'staff_no'],
  name: ['姓名', '名字', 'name'],
  department: ['科室', '部门', '所在科室', 'department', 'dept'],
  title: ['职务', '职称', '岗位', 'title', 'position'],
  mobile: ['手机', '手机号', '手机号码', '移动电话', '联系电话', 'mobile', 'cell'],
  phone: ['电话', '办公电话', '座机', '固定电话', 'phone', 'office_phone'],
  email: ['邮箱', '电子邮件', '电子邮箱', 'email', 'e-mail', 'mail'],
  wecomUserId: ['企业微信', '企业微信账号', '企业微信id', 'wecom', 'wecom_user_id', 'wecomuserid'],
  dingtalkUserId: ['钉钉', '钉钉账号', '钉钉id', 'dingtalk', 'dingtalk_user_id', 'dingtalkuserid'],
  feishuOpenId: ['飞书', '飞书账号', '飞书id', 'feishu', 'feishu_open_id', 'feishuopenid'],
  channels: ['通知渠道', '渠道', 'channels'],
  notes: ['备注', 'notes', 'note'],
  role: ['角色', '岗位角色', 'role'],
  holders: ['负责人', '在岗', '担任人', 'holder', 'holders'],
  deputies: ['替补', '替补人', '副职', 'deputy', 'deputies'],
  date: ['日期', '值班日期', 'date', 'day'],
  person: ['值班人', '值班人员', '值班', 'person', 'on_duty', 'oncall'],
  handover: ['交班时间', '交接班时间', 'handover'],
};
const DEPUTY_N = /^(?:替补|deputy)\s*(\d+)$/i;

function canonical(header: string): string | undefined {
  const h = header.trim().toLowerCase().replace(/\s+/g, '');
  if (!h) return undefined;
  const n = DEPUTY_N.exec(h);
  if (n) return `deputy${n[1]}`;
  for (const [key, names] of Object.entries(HEADERS)) if (names.some((x) => x.toLowerCase() === h)) return key;
  return undefined;
}

function kindOf(name: string, keys: Set<string>): SheetKind | undefined {
  const n = name.toLowerCase();
  if (/值班|排班|rota|duty|oncall/.test(n) || (keys.has('date') && (keys.has('person') || keys.has('name') || keys.has('employeeNo')))) return 'rota';
  if (/角色|分工|roles?/.test(n) || (keys.has('role') && keys.has('holders'))) return 'roles';
  if (/人员|通讯录|名单|people|directory|staff/.test(n) || keys.has('name')) return 'people';
  return undefined;
}

/** A header row is the first of the first five rows that names at least two known columns (title rows come first). */
function toSheet(name: string, grid: Cell[][], firstRow = 1): Sheet | undefined {
  for (let h = 0; h < Math.min(5, grid.length); h++) {
    const keys = grid[h].map((c) => (c === null ? undefined : canonical(String(c))));
    const known = new Set(keys.filter((k): k is string => Boolean(k)));
    if (known.size < 2 && !(known.size === 1 && known.has('name'))) continue;
    const kind = kindOf(name, known);
    if (!kind) return undefined;
    const rows: SheetRow[] = [];
    for (let r = h + 1; r < grid.length; r++) {
      const values: Record<string, Cell> = {};
      grid[r].forEach((cell, c) => {
        const key = keys[c];
        if (key && cell !== null && !(typeof cell === 'string' && cell.trim() === '')) values[key] = cell;
      });
      if (Object.keys(values).length) rows.push({ row: r + firstRow, values });
    }
    return { name, kind, rows };
  }
  return undefined;
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : String(v.hyperlink).replace(/^mailto:/, '');
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('error' in v) return null;
  }
  return String(v);
}

export async function readRoster(bytes: Uint8Array, filename = ''): Promise<Sheet[]> {
  const isZip = bytes.length > 3 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(filename)) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const sheets: Sheet[] = [];
    wb.eachSheet((ws) => {
      const grid: Cell[][] = [];
      for (let r = 1; r <= ws.rowCount; r++) {
        const row = ws.getRow(r);
        const cells: Cell[] = [];
        for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) cells.push(cellValue(row.getCell(c).value));
        grid.push(cells);
      }
      const sheet = toSheet(ws.name, grid);
      if (sheet) sheets.push(sheet);
    });
    return sheets;
  }
  const grid = parseCsv(decodeText(bytes)).map((r) => r.map((c) => (c === '' ? null : c)));
  const sheet = toSheet(filename.replace(/\.[^.]*$/, '') || 'csv', grid);
  return sheet ? [sheet] : [];
}

// ---- checking -------------------------------------------------------------------------------------

const MOBILE = /^(?:\+?86|0086)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SPLIT = /[、,，;；/\s]+/;

function text(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return String(v).trim();
}

/** A date cell: an Excel date, an Excel serial number, or 2026-03-02 / 2026/3/2 / 2026.3.2 / 2026年3月2日. */
export function parseDateCell(v: Cell | undefined): string | undefined {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' && v > 20000 && v < 80000) return new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000).toISOString().slice(0, 10);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text(v));
  if (!m) return undefined;
  const date = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isDate(date) ? date : undefined;
}

function parseTimeCell(v: Cell | undefined): string | undefined {
  if (v instanceof Date) return `${String(v.getUTCHours()).padStart(2, '0')}:${String(v.getUTCMinutes()).padStart(2, '0')}`;
  if (typeof v === 'number' && v >= 0 && v < 1) {
    const minutes = Math.round(v * 24 * 60);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text(v));
  if (!m) return undefined;
  const t = `${m[1].padStart(2, '0')}:${m[2]}`;
  return HHMM.test(t) ? t : undefined;
}

export interface RosterPlanOptions {
  plan: Plan;
  /** The directory as it is now (to match rows to existing people). */
  existing: Person[];
  defaultRole?: string; // rota rows without a role: tech_oncall
  defaultHandover?: string; // 08:00
}

export interface PersonChange {
  sheet: string;
  row: number;
  ref: string; // the key other sheets use: 工号, else 姓名
  existingId: string | null;
  input: PersonInput;
}
export interface RoleChange {
  sheet: string;
  row: number;
  role: string;
  holders: string[]; // refs: person ids (existing) or `new:<ref>`
  deputies: string[];
}
export interface ShiftChange {
  sheet: string;
  row: number;
  role: string;
  date: string;
  handover: string;
  people: string[]; // refs as in RoleChange
}
export interface RosterChanges {
  people: PersonChange[];
  roles: RoleChange[];
  shifts: ShiftChange[];
  issues: RosterIssue[];
  /** every row of every sheet, in file order */
  rows: RowPreview[];
}

const COLUMN_OF_FIELD: Record<string, string> = {
  姓名: 'name',
  工号: 'employeeNo',
  手机: 'mobile',
  邮箱: 'email',
  角色: 'role',
  负责人: 'holders',
  替补: 'deputies',
  日期: 'date',
  交班时间: 'handover',
  值班人: 'person',
};

/** Validates every row; nothing is written. References to people become ids or `new:<ref>` placeholders. */
export function checkRoster(sheets: Sheet[], opts: RosterPlanOptions): RosterChanges {
  const issues: RosterIssue[] = [];
  const out: RosterChanges = { people: [], roles: [], shifts: [], issues, rows: [] };
  const issue = (sheet: Sheet, row: number, field: string, message: string, code: RosterIssueCode, params: RosterIssue['params'] = {}) =>
    issues.push({ sheet: sheet.name, row, field, column: COLUMN_OF_FIELD[field] ?? '', code, params, message });
  const preview = (sheet: Sheet, row: SheetRow, action: RowPreview['action']) =>
    out.rows.push({ sheet: sheet.name, kind: sheet.kind, row: row.row, action, cells: Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, text(v)])), issues: [] });
  const seenNo = new Map<string, number>();
  const fileByNo = new Map<string, PersonChange>();
  const fileByName = new Map<string, PersonChange[]>();

  for (const sheet of sheets.filter((s) => s.kind === 'people')) {
    for (const sheetRow of sheet.rows) {
      const { row, values } = sheetRow;
      const name = text(values.name);
      const employeeNo = text(values.employeeNo) || null;
      let ok = true;
      const bad = (field: string, message: string, code: RosterIssueCode, params: RosterIssue['params'] = {}) => {
        issue(sheet, row, field, message, code, params);
        ok = false;
      };
      if (!name) bad('姓名', 'required', 'REQUIRED');
      if (name.length > 100) bad('姓名', 'at most 100 characters', 'TOO_LONG', { max: 100 });
      if (employeeNo && seenNo.has(employeeNo)) bad('工号', `duplicate of row ${seenNo.get(employeeNo)}`, 'DUPLICATE_IN_FILE', { value: employeeNo, row: seenNo.get(employeeNo)! });
      const mobile = text(values.mobile).replace(/[\s\-()]/g, '') || null;
      if (mobile && !MOBILE.test(mobile)) bad('手机', `${mobile} is not a mobile number (11 digits, or +country…)`, 'MOBILE_INVALID', { value: mobile });
      const email = text(values.email) || null;
      if (email && !EMAIL.test(email)) bad('邮箱', `${email} is not an e-mail address`, 'EMAIL_INVALID', { value: email });
      const channels = text(values.channels) ? text(values.channels).split(SPLIT).filter(Boolean) : undefined;
      if (!ok) {
        preview(sheet, sheetRow, null);
        continue;
      }
      if (employeeNo) seenNo.set(employeeNo, row);
      const match =
        (employeeNo && opts.existing.find((p) => p.employeeNo === employeeNo)) ||
        (mobile && opts.existing.find((p) => p.mobile === mobile && (!employeeNo || !p.employeeNo))) ||
        (!employeeNo && opts.existing.filter((p) => p.name === name).length === 1 ? opts.existing.find((p) => p.name === name) : undefined) ||
        undefined;
      const change: PersonChange = {
        sheet: sheet.name,
        row,
        ref: employeeNo ?? name,
        existingId: match ? match.id : null,
        input: {
          name,
          employeeNo,
          department: text(values.department),
          title: text(values.title),
          mobile,
          phone: text(values.phone) || null,
          email,
          wecomUserId: text(values.wecomUserId) || null,
          dingtalkUserId: text(values.dingtalkUserId) || null,
          feishuOpenId: text(values.feishuOpenId) || null,
          ...(channels ? { channels } : {}),
          ...(text(values.notes) ? { notes: text(values.notes) } : {}),
          active: true,
        },
      };
      out.people.push(change);
      preview(sheet, sheetRow, match ? 'update' : 'create');
      if (employeeNo) fileByNo.set(employeeNo, change);
      fileByName.set(name, [...(fileByName.get(name) ?? []), change]);
    }
  }

  /** A person named in roles/rota: 工号 or 姓名, from this file first, then the directory. */
  const resolve = (sheet: Sheet, row: number, field: string, ref: string): string | undefined => {
    const inFile = fileByNo.get(ref) ?? (fileByName.get(ref)?.length === 1 ? fileByName.get(ref)![0] : undefined);
    if (inFile) return inFile.existingId ?? `new:${inFile.ref}`;
    if (fileByName.get(ref)?.length) return void issue(sheet, row, field, `${ref}: several people of this file have this name; use the 工号`, 'PERSON_AMBIGUOUS', { value: ref });
    const byNo = opts.existing.find((p) => p.employeeNo === ref || p.id === ref);
    if (byNo) return byNo.id;
    const byName = opts.existing.filter((p) => p.name === ref && p.active);
    if (byName.length === 1) return byName[0].id;
    if (byName.length > 1) issue(sheet, row, field, `${ref}: several people have this name; use the 工号`, 'PERSON_AMBIGUOUS', { value: ref });
    else issue(sheet, row, field, `${ref}: no such person (工号 or 姓名)`, 'PERSON_UNKNOWN', { value: ref });
    return undefined;
  };
  const roleOf = (sheet: Sheet, row: number, v: Cell | undefined, fallback?: string): string | undefined => {
    const raw = text(v);
    if (!raw && fallback) return fallback;
    const role = opts.plan.roles.find((r) => r.id === raw || r.name.zh === raw || r.name.en.toLowerCase() === raw.toLowerCase());
    if (!role && raw) issue(sheet, row, '角色', `${raw} is not a role of the plan`, 'ROLE_UNKNOWN', { value: raw });
    else if (!role) issue(sheet, row, '角色', 'required', 'REQUIRED');
    return role?.id;
  };
  const refs = (v: Cell | undefined) => text(v).split(SPLIT).filter(Boolean);

  for (const sheet of sheets.filter((s) => s.kind === 'roles')) {
    for (const sheetRow of sheet.rows) {
      const { row, values } = sheetRow;
      const role = roleOf(sheet, row, values.role);
      const deputyCols = Object.keys(values)
        .filter((k) => /^deputy\d+$/.test(k))
        .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
      const holderRefs = refs(values.holders);
      const deputyRefs = [...refs(values.deputies), ...deputyCols.flatMap((k) => refs(values[k]))];
      const holders = holderRefs.map((r) => resolve(sheet, row, '负责人', r));
      const deputies = deputyRefs.map((r) => resolve(sheet, row, '替补', r));
      const ok = role && !holders.includes(undefined) && !deputies.includes(undefined);
      preview(sheet, sheetRow, ok ? 'set' : null);
      if (!ok) continue;
      out.roles.push({ sheet: sheet.name, row, role, holders: holders as string[], deputies: deputies as string[] });
    }
  }

  const seenShift = new Map<string, number>();
  for (const sheet of sheets.filter((s) => s.kind === 'rota')) {
    for (const sheetRow of sheet.rows) {
      const { row, values } = sheetRow;
      const date = parseDateCell(values.date);
      if (!date && values.date === undefined) issue(sheet, row, '日期', 'required', 'REQUIRED');
      else if (!date) issue(sheet, row, '日期', `${text(values.date)} is not a date (2026-03-02)`, 'DATE_INVALID', { value: text(values.date) });
      const role = roleOf(sheet, row, values.role, opts.defaultRole ?? 'tech_oncall');
      const handover = values.handover === undefined ? (opts.defaultHandover ?? '08:00') : parseTimeCell(values.handover);
      if (!handover) issue(sheet, row, '交班时间', `${text(values.handover)} is not a time (08:00)`, 'TIME_INVALID', { value: text(values.handover) });
      const who = refs(values.person ?? values.employeeNo ?? values.name);
      if (who.length === 0) issue(sheet, row, '值班人', 'required', 'REQUIRED');
      const people = who.map((r) => resolve(sheet, row, '值班人', r));
      if (!date || !role || !handover || who.length === 0 || people.includes(undefined)) {
        preview(sheet, sheetRow, null);
        continue;
      }
      const key = `${role}|${date}`;
      if (seenShift.has(key)) {
        issue(sheet, row, '日期', `${date} ${role} already given in row ${seenShift.get(key)}; put several people in one cell`, 'SHIFT_DUPLICATE', {
          value: date,
          row: seenShift.get(key)!,
        });
        preview(sheet, sheetRow, null);
        continue;
      }
      seenShift.set(key, row);
      preview(sheet, sheetRow, 'set');
      out.shifts.push({ sheet: sheet.name, row, role, date, handover, people: people as string[] });
    }
  }
  for (const r of out.rows) r.issues = issues.filter((i) => i.sheet === r.sheet && i.row === r.row);
  return out;
}
