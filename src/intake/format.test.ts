import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ValidationError } from '../shared/errors.js';
import { formatIssuePath, parseIntake, type IntakeFormat } from './format.js';

const echo: IntakeFormat<{ items: Array<{ name: string }> }> = {
  kind: 'generic',
  bodySchema: z.object({ items: z.array(z.object({ name: z.string() })) }),
  toSignals: (body, ctx) => body.items.map((item) => ({ source: ctx.sourceName, severity: 'blue', status: 'firing', summary: item.name, dedupKey: item.name })),
};

describe('parseIntake', () => {
  it('formats issue paths with indexes in brackets', () => {
    expect(formatIssuePath(['alerts', 0, 'status'])).toBe('alerts[0].status');
    expect(formatIssuePath([0, 'labels'])).toBe('[0].labels');
    expect(formatIssuePath([])).toBe('');
  });

  it('lists every problem of the body, not only the first', () => {
    const error = (() => {
      try {
        parseIntake(echo, { items: [{ name: 1 }, {}, { name: 'ok' }] }, { sourceName: 's', now: 0 });
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues.map((i) => i.path)).toEqual(['items[0].name', 'items[1].name']);
    expect(error.message).toBe('invalid generic body (items[0].name: Expected string, received number)');
  });

  it('accepts the body as parsed JSON, as text or as bytes', () => {
    const ctx = { sourceName: 's', now: 0 };
    const text = '{"items":[{"name":"挂号"}]}';
    const expected = [{ source: 's', severity: 'blue', status: 'firing', summary: '挂号', dedupKey: '挂号' }];
    expect(parseIntake(echo, JSON.parse(text), ctx)).toEqual(expected);
    expect(parseIntake(echo, text, ctx)).toEqual(expected);
    expect(parseIntake(echo, Buffer.from(text, 'utf8'), ctx)).toEqual(expected);
  });
});
