import { describe, expect, it } from 'vitest';
import { sampleMessage } from './contract.suite.js';
import { classifyAnswer, composeText, e164, mainlandMobile, orderedKeys, outcomes, scrubDerived, templateValues, truncateUtf8 } from './support.js';

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

describe('secret-derived values', () => {
  it.each([
    [
      'a DingTalk URL',
      'see https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1577262236757&sign=W7Tum%2FUlCF%3D end',
      'see https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=***&sign=*** end',
    ],
    ['a WeCom key', 'POST /cgi-bin/webhook/send?key=693a91f6-7xxx failed', 'POST /cgi-bin/webhook/send?key=*** failed'],
    ['a token query', 'GET /x?token=t0k3n&page=2', 'GET /x?token=***&page=2'],
    [
      'a URL-encoded URL',
      'redirect=https%3A%2F%2Fh%2Frobot%2Fsend%3Faccess_token%3Dabc%26sign%3DW7T%252F%26x%3D1',
      'redirect=https%3A%2F%2Fh%2Frobot%2Fsend%3Faccess_token%3D***%26sign%3D***%26x%3D1',
    ],
    ['JSON fields', 'body={"timestamp":"1599360473","sign":"oqkm+ey1Zc3uWU=","msg_type":"text"}', 'body={"timestamp":"1599360473","sign":"***","msg_type":"text"}'],
    ['an Authorization header in JSON', 'headers={"authorization":"TC3-HMAC-SHA256 Credential=AKID/2026-01-01/sms/tc3_request, Signature=65e2f5"}', 'headers={"authorization":"***"}'],
    ['an Authorization header line', 'Authorization: ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host,Signature=06563a9e', 'Authorization: ***,SignedHeaders=host,Signature=***'],
    ['a bearer token', 'upstream said: Bearer eyJhbGciOi.J9.abc rejected', 'upstream said: Bearer *** rejected'],
    ['a password in a URL', 'cannot reach https://lifeline:hunter22@relay.local/x', 'cannot reach https://lifeline:***@relay.local/x'],
  ])('scrubs %s', (_what, text, scrubbed) => {
    expect(scrubDerived(text)).toBe(scrubbed);
  });

  it('every reason is scrubbed of derived values too, and of the configured secrets in any form', () => {
    const out = outcomes(['SECdingtalk']);
    const d = out.permanent('x: https://h/robot/send?access_token=tok&timestamp=1&sign=abc%2B (SECdingtalk, SECdingtalk url-encoded twice: SECdingtalk)');
    expect(d).toEqual({ status: 'failed', retryable: false, reason: 'x: https://h/robot/send?access_token=***&timestamp=***&sign=*** (***, *** url-encoded twice: ***)' });
  });

  it('leaves ordinary reasons alone', () => {
    const text = 'Tencent SMS: daily limit reached (LimitExceeded.PhoneNumberDailyLimit: 单个手机号日下发短信条数超过设定的上限)';
    expect(scrubDerived(text)).toBe(text);
  });
});

describe('answer tables', () => {
  const table = [
    { code: 'isv.BUSINESS_LIMIT_CONTROL', when: (m: string) => m.includes('天级'), verdict: 'fail-over', why: 'daily' },
    { code: 'isv.BUSINESS_LIMIT_CONTROL', verdict: 'retry', why: 'minute' },
    { code: /^Throttling/, verdict: 'retry', why: 'throttled' },
  ] as const;
  it('the first matching row decides; a condition reads the message; unknown codes match nothing', () => {
    expect(classifyAnswer(table, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控', 200)?.why).toBe('daily');
    expect(classifyAnswer(table, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码分钟级流控', 200)?.why).toBe('minute');
    expect(classifyAnswer(table, 'Throttling.User', '', 400)?.verdict).toBe('retry');
    expect(classifyAnswer(table, 'isv.OTHER', '', 200)).toBeUndefined();
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
