import { describe, expect, it } from 'vitest';
import { sampleMessage } from './contract.suite.js';
import { composeText, e164, mainlandMobile, orderedKeys, outcomes, templateValues, truncateUtf8 } from './support.js';

describe('phone numbers', () => {
  it.each([
    ['13800000000', '13800000000', '+8613800000000'],
    ['+86 138-0000-0000', '13800000000', '+8613800000000'],
    ['008613800000000', '13800000000', '+8613800000000'],
    ['+85212345678', undefined, '+85212345678'],
    ['010-12345678', undefined, undefined],
    ['', undefined, undefined],
  ])('%s → mainland %s, E.164 %s', (raw, mainland, intl) => {
    expect(mainlandMobile(raw)).toBe(mainland);
    expect(e164(raw)).toBe(intl);
  });
});

describe('outcomes', () => {
  it('scrubs raw, URL-encoded and JSON-escaped forms of every secret', () => {
    const out = outcomes(['s3cr+t/=', 'he said "x"', undefined, 'ab']);
    const d = out.transient('a s3cr+t/= b s3cr%2Bt%2F%3D c he said \\"x\\" d ab');
    expect(d).toEqual({ status: 'failed', retryable: true, reason: 'a *** b *** c *** d ab' });
    expect(out.permanent('x')).toEqual({ status: 'failed', retryable: false, reason: 'x' });
  });
});

describe('composition', () => {
  it('adds subject and links once, and the test mark first', () => {
    const text = composeText(sampleMessage({ test: true }), 'text');
    expect(text.split('\n')[0]).toBe('【测试】【二级·暂定】HIS 医院信息系统 中断');
    expect(text).toContain('确认收到：https://lifeline.example.cn/a/7f3k');
    const already = sampleMessage({ text: '【二级·暂定】HIS 医院信息系统 中断\n详情 https://lifeline.example.cn/a/7f3k' });
    const again = composeText(already, 'text');
    expect(again.match(/HIS 医院信息系统/g)).toHaveLength(1);
    expect(again.match(/a\/7f3k/g)).toHaveLength(1);
  });

  it('truncates on UTF-8 character boundaries', () => {
    const cut = truncateUtf8('中'.repeat(100), 20);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(20);
    expect(cut).toBe('中'.repeat(5) + '…');
    expect(truncateUtf8('short', 20)).toBe('short');
  });

  it('template values: strings, no URLs/IPs/domains, test mark on the first positional value', () => {
    const msg = sampleMessage({ test: true, templateParams: { 2: '见 https://x.cn/i/1', 1: '主机 10.0.0.8:8080 宕机', 3: 'his.hospital.cn 不可达' } });
    expect(templateValues(msg)).toEqual({ 1: '（测试）主机 宕机', 2: '见', 3: '不可达' });
    expect(orderedKeys({ b: '', a: '' })).toEqual(['b', 'a']);
    expect(orderedKeys({ 10: '', 2: '' })).toEqual(['2', '10']);
  });
});
