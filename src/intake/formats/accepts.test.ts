import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { intakeFormats } from './index.js';
import { fixture, testContext } from './fixture.js';

/**
 * A format's `accepts` lets well-formed bodies skip the schema on the hot path. It must never accept what
 * the schema refuses, and the signals must be the same either way: checked on every fixture of the format
 * and on thousands of random mutations of them (seeded, so a failure repeats).
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, '', 'x', 'firing', 'resolved', true, [], {}, { a: 1 }, { a: 'b' }, ['x']];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Every path to a value in `body` (objects and arrays), the root excluded. */
function paths(body: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof body !== 'object' || body === null) return [];
  const keys = Array.isArray(body) ? body.map((_, i) => i) : Object.keys(body);
  return keys.flatMap((k) => [[...at, k], ...paths((body as Record<string | number, unknown>)[k], [...at, k])]);
}

function mutate(body: unknown, rnd: () => number): unknown {
  const copy = structuredClone(body);
  const all = paths(copy);
  if (all.length === 0) return ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
  const where = all[Math.floor(rnd() * all.length)]!;
  let parent = copy as Record<string | number, unknown>;
  for (const k of where.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = where.at(-1)!;
  const roll = rnd();
  if (roll < 0.15 && !Array.isArray(parent)) delete parent[key];
  else if (roll < 0.25 && !Array.isArray(parent)) parent[`extra_${Math.floor(rnd() * 1000)}`] = ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
  else parent[key] = ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
  return copy;
}

for (const format of intakeFormats.filter((f) => f.accepts)) {
  describe(`${format.kind}: accepts agrees with the schema`, () => {
    const samples = readdirSync(path.join(FIXTURES, format.kind)).map((f) => fixture(`${format.kind}/${f}`));

    it('accepts every fixture, and gives the signals the schema path gives', () => {
      for (const body of samples) {
        expect(format.accepts!(body)).toBe(true);
        const parsed = format.bodySchema.parse(body);
        expect(format.toSignals(body as never, testContext())).toEqual(format.toSignals(parsed as never, testContext()));
      }
    });

    it('never accepts a mutated body the schema refuses (3,000 random mutations)', () => {
      const rnd = random(20261126);
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        let body = samples[i % samples.length];
        for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) body = mutate(body, rnd);
        const result = format.bodySchema.safeParse(body);
        if (format.accepts!(body)) {
          accepted++;
          expect(result.success, JSON.stringify(body)).toBe(true);
          expect(format.toSignals(body as never, testContext())).toEqual(format.toSignals(result.data as never, testContext()));
        } else if (!result.success) refused++;
      }
      expect(accepted).toBeGreaterThan(100); // the mutations exercise both sides
      expect(refused).toBeGreaterThan(100);
    });
  });
}
