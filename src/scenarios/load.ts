import fs from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { ValidationError, type Issue } from '../shared/errors.js';
import { scenarioSchema, type Scenario } from './scenario.js';

/** Reads a scenario YAML; every problem names file, line, column and key. */
export function loadScenarioFile(file: string): Scenario {
  return parseScenarioText(fs.readFileSync(file, 'utf8'), file);
}

export function parseScenarioText(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const issues: Issue[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] };
  });
  if (issues.length === 0) {
    const parsed = scenarioSchema.safeParse(doc.toJS());
    if (parsed.success) return parsed.data;
    for (const i of parsed.error.issues) {
      const node = nodeAt(doc.contents as Node | null, i.path);
      const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
      issues.push({ file, line: pos.line, column: pos.col, path: i.path.join('.'), message: i.message });
    }
  }
  throw new ValidationError(`${file}: invalid scenario`, issues, 'SCENARIO_INVALID');
}

function nodeAt(root: Node | null, path: (string | number)[]): Node | null {
  let node: Node | null = root;
  let last = root;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
      node = (pair?.value as Node) ?? (pair?.key as Node) ?? null;
    } else if (isSeq(node)) node = (node.items[key as number] as Node) ?? null;
    else node = null;
    if (!node) return last;
    last = node;
  }
  return node;
}
