import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CRUISER = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** The layering rules of .dependency-cruiser.cjs over the `src` folder under `cwd`: every violation found. */
async function violations(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(CRUISER, ['src', '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 << 20 }).catch((err: { stdout?: string }) => {
    if (!err.stdout) throw err;
    return { stdout: err.stdout };
  });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('module layering (docs/architecture.md)', () => {
  it('src/ has no import cycle and no import against the layers, type-only imports included', async () => {
    const found = await violations(ROOT);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('the check catches an upward import, a sibling import, a cycle and a folder without a layer', async () => {
    const dir = tempDir('lifeline-layers-');
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    write('src/storage/db.ts', "import type { Engine } from '../incidents/engine.js';\nexport type Db = { engine?: Engine };\n");
    write('src/incidents/engine.ts', "import type { Db } from '../storage/db.js';\nexport type Engine = { db?: Db };\n");
    write('src/notify/page.ts', "import { accept } from '../intake/accept.js';\nexport const page = accept;\n");
    write('src/intake/accept.ts', 'export const accept = 1;\n');
    write('src/extras/helper.ts', 'export const helper = 1;\n');
    write('src/shared/uses-extras.ts', "import { helper } from '../extras/helper.js';\nexport const x = helper;\n");
    const rules = new Set((await violations(dir)).map((v) => v.rule.name));
    expect(rules).toContain('storage-imports-upward');
    expect(rules).toContain('notify-imports-sibling');
    expect(rules).toContain('no-circular');
    expect(rules).toContain('folder-not-layered');
    expect(rules).not.toContain('incidents-imports-upward');
  }, 60_000);
});
