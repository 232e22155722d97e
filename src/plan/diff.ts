/**
 * What changes between two plan documents: a line diff of the YAML (hunks with a few lines of context) and, read
 * from both documents, which systems, roles, groups, levels, escalations, obligations and scenarios were added,
 * removed or changed (by id). Works on documents that do not pass the checks too (the summary reads what it can).
 */
import { parse as parseYaml } from 'yaml';
import type { Text } from './types.js';

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** line numbers in the old / new document (absent on the side the line is not in) */
  old?: number;
  new?: number;
}

export interface DiffHunk {
  lines: DiffLine[];
}

export interface SectionItem {
  id: string;
  name: Text | null;
}

export interface SectionChange {
  section: PlanSection;
  added: SectionItem[];
  removed: SectionItem[];
  changed: SectionItem[];
}

export const PLAN_SECTIONS = ['systems', 'roles', 'groups', 'levels', 'escalations', 'obligations', 'scenarios'] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number];

export interface PlanDiff {
  /** both texts identical */
  same: boolean;
  added: number;
  removed: number;
  hunks: DiffHunk[];
  /** only sections with a change */
  sections: SectionChange[];
  /** plan.version before and after, when either changed */
  version: { from: string | null; to: string | null } | null;
}

const CONTEXT = 3;
/** Above this many cells the middle of the two documents is shown replaced as a whole rather than aligned. */
const MAX_CELLS = 16_000_000;

export function diffPlans(oldText: string, newText: string): PlanDiff {
  const a = oldText.split(/\r?\n/);
  const b = newText.split(/\r?\n/);
  const ops = alignLines(a, b);
  const added = ops.filter((o) => o.op === '+').length;
  const removed = ops.filter((o) => o.op === '-').length;
  const oldDoc = readDoc(oldText);
  const newDoc = readDoc(newText);
  const vFrom = versionOf(oldDoc);
  const vTo = versionOf(newDoc);
  return {
    same: oldText === newText,
    added,
    removed,
    hunks: hunksOf(ops),
    sections: PLAN_SECTIONS.map((section) => compareSection(section, listOf(oldDoc, section), listOf(newDoc, section))).filter((c) => c.added.length || c.removed.length || c.changed.length),
    version: vFrom !== vTo ? { from: vFrom, to: vTo } : null,
  };
}

function alignLines(a: string[], b: string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: ' ', text: a[i]!, old: i + 1, new: i + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) out.push({ op: '-', text: a[i]!, old: i + 1 });
    for (let j = start; j < endB; j++) out.push({ op: '+', text: b[j]!, new: j + 1 });
  } else {
    // longest common subsequence of the middle, table filled from the end
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        out.push({ op: ' ', text: a[start + i]!, old: start + i + 1, new: start + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        out.push({ op: '-', text: a[start + i]!, old: start + i + 1 });
        i++;
      } else {
        out.push({ op: '+', text: b[start + j]!, new: start + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k++) out.push({ op: ' ', text: a[endA + k]!, old: endA + k + 1, new: endB + k + 1 });
  return out;
}

function hunksOf(lines: DiffLine[]): DiffHunk[] {
  const shown = new Uint8Array(lines.length);
  lines.forEach((line, idx) => {
    if (line.op !== ' ') for (let k = Math.max(0, idx - CONTEXT); k <= Math.min(lines.length - 1, idx + CONTEXT); k++) shown[k] = 1;
  });
  const hunks: DiffHunk[] = [];
  let current: DiffLine[] | null = null;
  lines.forEach((line, idx) => {
    if (!shown[idx]) {
      current = null;
      return;
    }
    if (!current) hunks.push({ lines: (current = []) });
    current.push(line);
  });
  return hunks;
}

type Doc = Record<string, unknown> | null;

function readDoc(text: string): Doc {
  try {
    const data: unknown = parseYaml(text, { maxAliasCount: 1000 });
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function versionOf(doc: Doc): string | null {
  const plan = doc?.plan as { version?: unknown } | undefined;
  return plan?.version === undefined || plan.version === null ? null : String(plan.version);
}

function listOf(doc: Doc, section: PlanSection): Record<string, unknown>[] {
  const value = section === 'groups' ? (doc?.org as { groups?: unknown } | undefined)?.groups : doc?.[section];
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') : [];
}

function nameOf(item: Record<string, unknown>): Text | null {
  const name = item.name;
  if (name && typeof name === 'object' && typeof (name as Text).zh === 'string') return { zh: (name as Text).zh, en: String((name as Text).en ?? (name as Text).zh) };
  return null;
}

function compareSection(section: PlanSection, before: Record<string, unknown>[], after: Record<string, unknown>[]): SectionChange {
  const old = new Map(before.map((x) => [x.id as string, x]));
  const now = new Map(after.map((x) => [x.id as string, x]));
  const item = (x: Record<string, unknown>): SectionItem => ({ id: x.id as string, name: nameOf(x) });
  return {
    section,
    added: after.filter((x) => !old.has(x.id as string)).map(item),
    removed: before.filter((x) => !now.has(x.id as string)).map(item),
    changed: after.filter((x) => old.has(x.id as string) && JSON.stringify(old.get(x.id as string)) !== JSON.stringify(x)).map(item),
  };
}
