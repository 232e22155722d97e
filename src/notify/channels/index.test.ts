import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isNotifierKind, notifierByKind, notifiers } from './index.js';

const NON_CHANNEL_FILES = new Set(['index.ts', 'support.ts', 'contract.suite.ts', 'aliyun-api.ts', 'tencent-api.ts']);

describe('notifier registry', () => {
  it('registers every channel file once, under the file name as its kind', () => {
    const files = readdirSync(dirname(fileURLToPath(import.meta.url)))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NON_CHANNEL_FILES.has(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const kinds = notifiers.map((n) => n.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual(files);
  });

  it('looks notifiers up by kind', () => {
    expect(notifierByKind('dingtalk-robot').kind).toBe('dingtalk-robot');
    expect(notifierByKind('sms-tencent')).toBe(notifiers.find((n) => n.kind === 'sms-tencent'));
    expect(notifierByKind('pager-duty')).toBeUndefined();
    expect(isNotifierKind('email')).toBe(true);
    expect(isNotifierKind('fax')).toBe(false);
  });
});
