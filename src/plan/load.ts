/**
 * Loads the plan document: YAML → zod schema → lint, every issue with file, line, column and key path.
 * The result is deep-frozen. `loadPlan()` throws one `PlanInvalidError` carrying all issues.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ZodIssue } from 'zod';
import { ValidationError, type Issue } from '../shared/errors.js';
import { formatPath, lintPlan, type Path, type PlanPositions, type Position } from './lint.js';
import type { FindingParams } from './raw.js';
import { knownKeysAt, planSchema } from './schema.js';
import { withReportObligations } from './regulatory.js';
import type { Plan } from './types.js';

export const DEFAULT_PLAN_PATH = fileURLToPath(new URL('./default-plan.yaml', import.meta.url));

/** The plan document is invalid; `issues` lists every problem found (errors and warnings). */
export class PlanInvalidError extends ValidationError {
  constructor(
    issues: Issue[],
    readonly file?: string,
  ) {
    const errors = issues.filter((i) => i.severity !== 'warning');
    super(
      `plan${file ? ` ${file}` : ''} is invalid: ${errors.length} error${errors.length === 1 ? '' : 's'}` +
        errors
          .slice(0, 5)
          .map((i) => `\n  ${i.line ? `${i.line}:${i.column} ` : ''}${i.path || '(root)'}: ${i.message}`)
          .join('') +
        (errors.length > 5 ? `\n  … and ${errors.length - 5} more` : ''),
      issues,
      'PLAN_INVALID',
    );
  }
}

export interface ParsePlanOptions {
  /** Run `lintPlan` as well (default true), so load and lint issues come back in one list. */
  lint?: boolean;
}

export interface ParsePlanResult {
  /** The deep-frozen plan; present only when no issue has severity `error`. */
  plan?: Plan;
  /** Every issue (YAML, schema, lint), in document order; severity is always set. */
  issues: Issue[];
  /** Source positions of the document, for callers that lint again or report their own issues. */
  positions?: PlanPositions;
}

export const hasErrors = (issues: readonly Issue[]): boolean => issues.some((i) => i.severity !== 'warning');

/** Parses and checks plan YAML text. Never throws. `file` is only used to label issues. */
export function parsePlanText(text: string, file = 'plan.yaml', options: ParsePlanOptions = {}): ParsePlanResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const positions = createPositions(doc, lineCounter, file);
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const yamlIssues: Issue[] = [...doc.errors.map((e) => ({ e, severity: 'error' as const })), ...doc.warnings.map((e) => ({ e, severity: 'warning' as const }))].map(({ e, severity }) => ({
    severity,
    file,
    ...at(e.pos[0]),
    path: formatPath(pathAtOffset(doc, e.pos[0])),
    message: `YAML: ${e.message.split('\n')[0]}`,
    code: severity === 'error' ? 'PLAN_YAML_SYNTAX' : 'PLAN_YAML_WARNING',
    params: { yamlCode: e.code },
  }));
  if (hasErrors(yamlIssues)) return { issues: sortIssues(yamlIssues), positions };

  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const parsed = planSchema.safeParse(data);
  const schemaIssues = parsed.success ? [] : parsed.error.issues.flatMap((zi) => fromZod(zi, data, positions));

  let lintIssues: Issue[] = [];
  if (options.lint !== false && isRecord(data)) {
    try {
      // On a rejected document lint runs on the raw data; it only reports paths the schema did not already flag.
      const flagged = schemaIssues.map((i) => i.path);
      lintIssues = lintPlan((parsed.success ? parsed.data : data) as Plan, positions).filter((li) => !flagged.some((p) => li.path === p || li.path.startsWith(`${p}.`) || li.path.startsWith(`${p}[`)));
    } catch {
      // lint is best effort on a malformed document; the schema issues already explain it
    }
  }

  const issues = sortIssues([...yamlIssues, ...schemaIssues, ...lintIssues]);
  if (!parsed.success || hasErrors(issues)) return { issues, positions };
  // the plan's regulator reports become obligations of the plan (src/plan/regulatory.ts)
  return { plan: deepFreeze(withReportObligations(parsed.data as Plan)), issues, positions };
}

/** Reads and checks a plan file. Never throws; an unreadable file is reported as an issue. */
export function loadPlanFile(path: string, options: ParsePlanOptions = {}): ParsePlanResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { issues: [{ severity: 'error', file: path, path: '', message: `cannot read the plan file: ${message}`, code: 'PLAN_FILE_UNREADABLE', params: {} }] };
  }
  return parsePlanText(text, path, options);
}

let defaultPlan: Plan | undefined;

/** The built-in default plan (src/plan/default-plan.yaml), loaded once. */
export function loadDefaultPlan(): Plan {
  defaultPlan ??= loadPlan(DEFAULT_PLAN_PATH);
  return defaultPlan;
}

/**
 * Loads a plan file (or the default plan when `pathOrDefault` is absent or `"default"`), throwing
 * `PlanInvalidError` with every issue when any is an error. Warnings do not stop loading; see `loadPlanFile`.
 */
export function loadPlan(pathOrDefault?: string): Plan {
  if (pathOrDefault === undefined || pathOrDefault === 'default') return loadDefaultPlan();
  const { plan, issues } = loadPlanFile(pathOrDefault);
  if (!plan) throw new PlanInvalidError(issues, pathOrDefault);
  return plan;
}

// ---------------------------------------------------------------- zod issues → Issue

/** Each schema issue with a code of its kind (PLAN_FIELD_…) and the keys and values it names; the message is zod's wording or ours. */
function fromZod(zi: ZodIssue, data: unknown, positions: PlanPositions): Issue[] {
  const make = (path: Path, code: string, params: FindingParams, message: string, key = false): Issue => {
    const pos = positions.locate(path, { key });
    return { severity: 'error', file: positions.file, path: formatPath(path), message, code, params, ...(pos ? { line: pos.line, column: pos.column } : {}) };
  };
  switch (zi.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(planSchema, zi.path) ?? [];
      return zi.keys.map((key) => {
        const hint = closest(key, known);
        const code = hint ? 'PLAN_FIELD_UNKNOWN_HINT' : 'PLAN_FIELD_UNKNOWN';
        return make([...zi.path, key], code, hint ? { key, hint } : { key }, `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`, true);
      });
    }
    case 'invalid_type':
      if (zi.received === 'undefined' && !hasPath(data, zi.path))
        return [make(zi.path, 'PLAN_FIELD_REQUIRED', { key: String(zi.path[zi.path.length - 1] ?? '') }, `missing required key ${JSON.stringify(zi.path[zi.path.length - 1] ?? '')}`)];
      return [make(zi.path, 'PLAN_FIELD_TYPE', { expected: zi.expected, received: zi.received }, `expected ${zi.expected}, got ${zi.received}`)];
    case 'too_small':
      if (zi.type === 'array') return [make(zi.path, 'PLAN_FIELD_TOO_FEW', { minimum: Number(zi.minimum) }, `must list at least ${zi.minimum} item${zi.minimum === 1 ? '' : 's'}`)];
      return [make(zi.path, 'PLAN_FIELD_INVALID', {}, zi.message)];
    case 'invalid_enum_value':
      return [make(zi.path, 'PLAN_FIELD_ENUM', { received: String(zi.received), options: zi.options.join(', ') }, zi.message)];
    default:
      return [make(zi.path, 'PLAN_FIELD_INVALID', {}, zi.message)];
  }
}

function hasPath(data: unknown, path: Path): boolean {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !(seg in (cur as object))) return false;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return true;
}

/** The known key closest to a misspelled one (edit distance ≤ 2, or ≤ a third of its length). */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

// ---------------------------------------------------------------- positions in the YAML

type Located = { node?: Node | null; key?: Node | null };

/** Builds the `PlanPositions` of a parsed YAML document. */
export function createPositions(doc: Document, lineCounter: LineCounter, file?: string): PlanPositions {
  const pos = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate(path, options = {}) {
      let cur: Located = { node: doc.contents as Node | null };
      let complete = true;
      for (const seg of path) {
        const next = child(cur.node, seg);
        if (!next) {
          complete = false;
          break;
        }
        cur = next;
      }
      const target = complete && options.key && cur.key ? cur.key : (cur.node ?? cur.key);
      const start = target?.range?.[0] ?? cur.key?.range?.[0] ?? 0;
      return pos(start);
    },
  };
}

function child(node: Node | null | undefined, seg: string | number): Located | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
    return pair ? { node: pair.value as Node | null, key: pair.key as Node | null } : undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined ? undefined : { node: item as Node | null };
  }
  return undefined;
}

/** The key path of the deepest node whose source range contains `offset` (best effort, for YAML errors). */
function pathAtOffset(doc: Document, offset: number): Path {
  const path: (string | number)[] = [];
  let node = doc.contents as Node | null;
  const contains = (n: unknown) => {
    const r = (n as Node | null)?.range;
    return !!r && offset >= r[0] && offset <= r[2];
  };
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (contains(p.key) || contains(p.value)));
      if (!pair) break;
      path.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      if (!contains(pair.value)) break;
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index] as Node;
    } else break;
  }
  return path;
}

// ---------------------------------------------------------------- helpers

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sortIssues(issues: Issue[]): Issue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.i - b.i)
    .map(({ issue }) => issue);
}

/** Freezes an object graph in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
