// docs/security.md shows the role and permission tables of src/auth/roles.ts, exactly.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { permissionTable, roleTable } from '../src/auth/docs.js';

const between = (text: string, start: string, end: string) => text.slice(text.indexOf('\n', text.indexOf(start)) + 1, text.indexOf(end)).trim();

describe('docs/security.md', () => {
  const doc = fs.readFileSync('docs/security.md', 'utf8');
  it('has the role table of the code', () => {
    expect(between(doc, '<!-- roles:start', '<!-- roles:end -->')).toBe(roleTable());
  });
  it('has the permission table of the code', () => {
    expect(between(doc, '<!-- permissions:start', '<!-- permissions:end -->')).toBe(permissionTable());
  });
});
