import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../src/plan/load.js';
import { loadScenarioFile } from '../src/scenarios/load.js';
import { runScenario } from '../src/simulate/run.js';

const dir = path.resolve('scenarios');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('shipped scenarios (lifeline simulate)', () => {
  it('there are at least 15', () => expect(files.length).toBeGreaterThanOrEqual(15));
  for (const file of files) {
    it(file, async () => {
      const scenario = loadScenarioFile(path.join(dir, file));
      const result = await runScenario(scenario, loadPlan(scenario.plan === 'default' ? undefined : path.resolve(dir, scenario.plan)));
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }
});
