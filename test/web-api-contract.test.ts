// The web app takes its API types from the server's contract (src/http/contract.ts) and declares no copy of them:
// a plain text check of web/src/api (see the note at the top of web/src/api/types.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONTRACT = 'src/http/contract.ts';
const API_DIR = 'web/src/api';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const stripComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** Names a module exports as types: `export type X =`, `export interface X`, `export type { A, B as C } [from …]`. */
function exportedTypeNames(source: string): Set<string> {
  const text = stripComments(source);
  const names = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:type|interface)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/export\s+type\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** Names the web re-exports from the contract under its own name: `export type { A as B } from '…contract'`, `export type B = A;`. */
function aliasesOf(source: string, contractNames: Set<string>): Set<string> {
  const text = stripComments(source);
  const names = new Set<string>();
  for (const m of text.matchAll(/export\s+type\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    if (!/src\/http\/contract|^\.\/types$/.test(m[2])) continue;
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s+type\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*;/g)) if (contractNames.has(m[2])) names.add(m[1]);
  return names;
}

/** `interface X` and `type X = { … }` (an object type written out) in a source text. */
function objectTypeDeclarations(source: string): string[] {
  const text = stripComments(source);
  const found = [...text.matchAll(/\binterface\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
  for (const m of text.matchAll(/\btype\s+([A-Za-z_$][\w$]*)\s*(?:<[^=]*>)?\s*=\s*\{/g)) found.push(m[1]);
  return found;
}

describe('the web app uses the API contract of the server', () => {
  const contract = read(CONTRACT);
  const contractNames = exportedTypeNames(contract);
  const files = fs
    .readdirSync(path.join(ROOT, API_DIR))
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => `${API_DIR}/${f}`);
  const webNames = new Set(files.flatMap((f) => [...aliasesOf(read(f), contractNames)]));

  it('src/http/contract.ts exports types only, and the web app re-exports them', () => {
    expect(contractNames.size).toBeGreaterThan(40);
    expect(stripComments(contract)).not.toMatch(/export\s+(?:const|let|var|function|class|enum|default)\b/);
    expect(stripComments(contract)).not.toMatch(/^import\s+(?!type\b)/m);
    for (const name of ['IncidentView', 'PlanView', 'SessionResponse', 'SignalView', 'DeliveryView', 'DowntimeSessionDetail', 'ActionBody', 'ImpactBody']) expect(contractNames).toContain(name);
    expect(read(`${API_DIR}/types.ts`)).toMatch(/export type \{[^}]*\bIncidentView as Incident\b[^}]*\} from '\.\.\/\.\.\/\.\.\/src\/http\/contract(\.js)?'/);
  });

  it(`${API_DIR} declares no copy of a contract type (no interface or object type under a contract name or its alias)`, () => {
    const forbidden = new Set([...contractNames, ...webNames]);
    const copies = files.flatMap((f) =>
      objectTypeDeclarations(read(f))
        .filter((name) => forbidden.has(name))
        .map((name) => `${f}: ${name}`),
    );
    expect(copies).toEqual([]);
  });

  it('the web app reaches the server only through `import type` / `export type` (nothing of it is bundled)', () => {
    const webFiles = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? webFiles(`${dir}/${e.name}`) : /\.tsx?$/.test(e.name) ? [`${dir}/${e.name}`] : []));
    const server = path.join(ROOT, 'src') + path.sep;
    const statement = /^\s*(?:import|export)\s+(type\s+)?(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*()['"]([^'"]+)['"]/gm;
    const valueImports = webFiles('web/src').flatMap((f) =>
      [...stripComments(read(f)).matchAll(statement)].filter((m) => !m[1] && path.resolve(path.dirname(path.join(ROOT, f)), m[2] ?? m[4]).startsWith(server)).map((m) => `${f}: ${m[0].trim()}`),
    );
    expect(valueImports).toEqual([]);
  });

  it('the checks find a copy and a value import when there is one', () => {
    expect(objectTypeDeclarations("export interface Incident { id: string }\ntype PlanView = { id: string };\ntype Lang = 'en';")).toEqual(['Incident', 'PlanView']);
    expect(exportedTypeNames("export type { A, B as C } from './x';\nexport type D = A;\nexport interface E {}")).toEqual(new Set(['A', 'C', 'D', 'E']));
    expect(aliasesOf("export type { IncidentView as Incident } from '../../../src/http/contract';\nexport type Overview = DowntimeOverview;", new Set(['DowntimeOverview']))).toEqual(
      new Set(['Incident', 'Overview']),
    );
  });
});
