import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntakeContext } from '../format.js';

/** Test-only helpers for the intake format tests: fixture loading and a fixed context. */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A fresh parsed copy of `fixtures/<name>` (tests may mutate it). */
// biome-ignore lint/suspicious/noExplicitAny: a recorded JSON payload, which tests read and mutate field by field
export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
}

/** Reception time used by the tests: after every fixture's start and end times. */
export const NOW = Date.parse('2026-11-26T09:30:00Z');

export function testContext(overrides: Partial<IntakeContext> = {}): IntakeContext {
  return { sourceName: 'test-source', now: NOW, ...overrides };
}
