/**
 * Which vendor answers fail over at once and which are retried, per vendor, against the channel fakes: each
 * answer is scripted on the fake, the adapter's delivery must carry the verdict and a reason naming the
 * vendor's code, and never a secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, Notifier, Recipient } from '../types.js';
import { ctxWith, sampleMessage } from './contract.suite.js';
import { dingtalkRobot } from './dingtalk-robot.js';
import { startAliyunFake } from './fakes/aliyun-fake.js';
import type { FakeReply, HttpChannelFake } from './fakes/http-fake.js';
import { startDingtalkFake, startFeishuFake, startWecomRobotFake } from './fakes/robots-fake.js';
import { startTencentFake } from './fakes/tencent-fake.js';
import { startWebhookFake } from './fakes/webhook-fake.js';
import { startWecomAppFake } from './fakes/wecom-app-fake.js';
import { feishuBot } from './feishu-bot.js';
import { clearWecomAppTokenCache } from './index.js';
import { smsAliyun } from './sms-aliyun.js';
import { smsTencent } from './sms-tencent.js';
import { voiceAliyun } from './voice-aliyun.js';
import { voiceTencent } from './voice-tencent.js';
import { webhook } from './webhook.js';
import { wecomApp } from './wecom-app.js';
import { wecomRobot } from './wecom-robot.js';

type Verdict = 'fail over' | 'retry';
/** One vendor answer: what the fake says, what Lifeline must do, the code the reason must name. */
type Answer = [name: string, reply: FakeReply, verdict: Verdict, code: string];

interface Vendor<C> {
  notifier: Notifier<C>;
  start(): Promise<HttpChannelFake>;
  config(endpoint: string): C;
  recipient: Recipient;
  secrets: string[];
  answers: Answer[];
}

const fakes: HttpChannelFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function judge<C>(vendor: Vendor<C>, reply: FakeReply): Promise<Delivery> {
  const fake = await vendor.start();
  fakes.push(fake);
  fake.answer(() => reply);
  const d = await vendor.notifier.send(sampleMessage(), vendor.recipient, vendor.config(fake.url), ctxWith());
  expect(fake.requests.length).toBeGreaterThan(0);
  return d;
}

function vendorSuite<C>(vendor: Vendor<C>): void {
  describe(`${vendor.notifier.kind}: which answers fail over at once`, () => {
    it.each(vendor.answers)('%s → %s', async (_name, reply, verdict, code) => {
      const d = await judge(vendor, reply);
      expect(d.status).toBe('failed');
      if (d.status !== 'failed') return;
      expect(d.retryable, d.reason).toBe(verdict === 'retry');
      expect(d.reason).toContain(code);
      for (const s of vendor.secrets) expect(d.reason).not.toContain(s);
    });
  });
}

const errcode = (code: number, msg: string, status = 200): FakeReply => ({ status, body: { errcode: code, errmsg: msg } });

// ---- DingTalk ---------------------------------------------------------------------------------

const DING = { accessToken: 'dingtalk0token0123456789abcdef', secret: 'SECdingtalk0secret0123456789' };
vendorSuite({
  notifier: dingtalkRobot,
  start: () => startDingtalkFake(DING),
  config: (endpoint) => ({ ...DING, endpoint }),
  recipient: { mobile: '13800000000' },
  secrets: [DING.accessToken, DING.secret],
  answers: [
    ['send too fast', errcode(130101, 'send too fast, exceed 20 times per minute'), 'retry', '130101'],
    ['throttled', errcode(410100, '发送速度太快而限流'), 'retry', '410100'],
    ['system busy', errcode(-1, '系统繁忙'), 'retry', '-1'],
    ['keywords / sign mismatch', errcode(310000, 'keywords not in content'), 'fail over', '310000'],
    ['unknown token', errcode(300001, 'token is not exist'), 'fail over', '300001'],
    ['robot disabled', errcode(400102, '机器人已停用'), 'fail over', '400102'],
    ['unsafe link', errcode(430101, '含有不安全的外链'), 'fail over', '430101'],
    ['HTTP 502 without a code', { status: 502, body: 'bad gateway' }, 'retry', 'HTTP 502'],
  ],
});

// ---- WeCom group robot and application -------------------------------------------------------

const WECOM_KEY = 'wecom0robot0key0123456789';
const WECOM_ANSWERS: Answer[] = [
  ['per-minute API limit', errcode(45009, 'api freq out of limit'), 'retry', '45009'],
  ['daily quota', errcode(45009, 'reach max api daily quota limit'), 'fail over', '45009'],
  ['concurrency limit', errcode(45033, 'api concurrent out of limit'), 'retry', '45033'],
  ['system busy', errcode(-1, 'system busy'), 'retry', '-1'],
  ['bad message type', errcode(40008, 'invalid message type'), 'fail over', '40008'],
  ['content too long', errcode(45002, 'content size out of limit'), 'fail over', '45002'],
];
vendorSuite({
  notifier: wecomRobot,
  start: () => startWecomRobotFake({ key: WECOM_KEY }),
  config: (endpoint) => ({ key: WECOM_KEY, endpoint }),
  recipient: {},
  secrets: [WECOM_KEY],
  answers: [...WECOM_ANSWERS, ['invalid webhook key', errcode(93000, 'invalid webhook url'), 'fail over', '93000']],
});

const WECOM_APP = { corpId: 'wwfailover', corpSecret: 'wecom-corp-secret-0123456789', agentId: 1000002 };
vendorSuite({
  notifier: wecomApp,
  start: async () => {
    clearWecomAppTokenCache();
    const fake = await startWecomAppFake({ ...WECOM_APP, users: ['ZhangSan'] });
    const token: FakeReply = { status: 200, body: { errcode: 0, errmsg: 'ok', access_token: 'failover-access-token-0123', expires_in: 7200 } };
    // the token request is answered as usual; only message/send gets the scripted answer
    return { ...fake, answer: (reply, times) => fake.answer((req) => (req.path === '/cgi-bin/gettoken' ? token : reply(req)), times) };
  },
  config: (endpoint) => ({ ...WECOM_APP, endpoint }),
  recipient: { wecomUserId: 'ZhangSan' },
  secrets: [WECOM_APP.corpSecret, 'failover-access-token-0123'],
  answers: [...WECOM_ANSWERS, ['unknown user', errcode(81013, 'user & party & tag all invalid'), 'fail over', '81013']],
});

// ---- Feishu ---------------------------------------------------------------------------------

const FEISHU = { token: 'feishu0hook0token0123456789', secret: 'feishu-secret-0123456789' };
const feishuCode = (code: number, msg: string, status = 200): FakeReply => ({ status, body: { code, msg, data: {} } });
vendorSuite({
  notifier: feishuBot,
  start: () => startFeishuFake(FEISHU),
  config: (endpoint) => ({ ...FEISHU, endpoint }),
  recipient: {},
  secrets: [FEISHU.token, FEISHU.secret],
  answers: [
    ['9499 bad request (HTTP 400)', feishuCode(9499, 'Bad Request', 400), 'fail over', '9499'],
    ['9499 too many requests (HTTP 429)', feishuCode(9499, 'too many request', 429), 'retry', '9499'],
    ['frequency limited', feishuCode(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]'), 'retry', '11232'],
    ['signature rejected', feishuCode(19021, 'sign match fail or timestamp is not within one hour from current time'), 'fail over', '19021'],
    ['keyword missing', feishuCode(19024, 'Key Words Not Found'), 'fail over', '19024'],
    ['unknown token', feishuCode(19001, 'param invalid: incoming webhook access token invalid'), 'fail over', '19001'],
    ['HTTP 503 without a code', { status: 503, body: 'unavailable' }, 'retry', 'HTTP 503'],
  ],
});

// ---- Aliyun SMS and voice -------------------------------------------------------------------

const ALIYUN = { accessKeyId: 'LTAI5tFailover', accessKeySecret: 'aliyun-secret-0123456789' };
const aliyunCode = (code: string, message: string, status = 200): FakeReply => ({ status, body: { Code: code, Message: message, RequestId: 'F0' } });
const ALIYUN_ANSWERS: Answer[] = [
  ['minute flow control', aliyunCode('isv.BUSINESS_LIMIT_CONTROL', '触发号码分钟级流控Permits:1'), 'retry', 'isv.BUSINESS_LIMIT_CONTROL'],
  ['hour flow control', aliyunCode('isv.BUSINESS_LIMIT_CONTROL', '触发号码小时级流控Permits:5'), 'retry', 'isv.BUSINESS_LIMIT_CONTROL'],
  ['daily flow control', aliyunCode('isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控Permits:10'), 'fail over', 'isv.BUSINESS_LIMIT_CONTROL'],
  ['daily limit', aliyunCode('isv.DAY_LIMIT_CONTROL', '触发日发送限额'), 'fail over', 'isv.DAY_LIMIT_CONTROL'],
  ['throttling', aliyunCode('Throttling.User', 'Request was denied due to user flow control.', 400), 'retry', 'Throttling.User'],
  ['system error', aliyunCode('isp.SYSTEM_ERROR', 'isp.SYSTEM_ERROR'), 'retry', 'isp.SYSTEM_ERROR'],
  ['bad number', aliyunCode('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号'), 'fail over', 'isv.MOBILE_NUMBER_ILLEGAL'],
  ['template not approved', aliyunCode('isv.SMS_TEMPLATE_ILLEGAL', '模板不合法'), 'fail over', 'isv.SMS_TEMPLATE_ILLEGAL'],
  ['URL in a variable', aliyunCode('isv.PARAM_NOT_SUPPORT_URL', '不支持URL'), 'fail over', 'isv.PARAM_NOT_SUPPORT_URL'],
  ['signature rejected', aliyunCode('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 400), 'fail over', 'SignatureDoesNotMatch'],
  ['no balance', aliyunCode('isv.AMOUNT_NOT_ENOUGH', '账户余额不足'), 'fail over', 'isv.AMOUNT_NOT_ENOUGH'],
];
vendorSuite({
  notifier: smsAliyun,
  start: () => startAliyunFake(ALIYUN),
  config: (endpoint) => ({ ...ALIYUN, signName: '测试医院', templateCode: 'SMS_123456789', endpoint }),
  recipient: { mobile: '13800000000' },
  secrets: [ALIYUN.accessKeySecret],
  answers: ALIYUN_ANSWERS,
});
vendorSuite({
  notifier: voiceAliyun,
  start: () => startAliyunFake(ALIYUN),
  config: (endpoint) => ({ ...ALIYUN, ttsCode: 'TTS_123456789', endpoint }),
  recipient: { mobile: '13800000000' },
  secrets: [ALIYUN.accessKeySecret],
  answers: ALIYUN_ANSWERS.filter(([name]) => /flow control|throttling|bad number/.test(name)),
});

// ---- Tencent SMS and voice ------------------------------------------------------------------

const TENCENT = { secretId: 'AKIDfailover0123', secretKey: 'tencent-secret-key-0123456789' };
const tencentError = (code: string, message: string): FakeReply => ({ status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: 'r1' } } });
const tencentNumber = (code: string): FakeReply => ({
  status: 200,
  body: { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: '+8613800000000', Fee: 0, SessionContext: '', Code: code, Message: code, IsoCode: 'CN' }], RequestId: 'r2' } },
});
const TENCENT_COMMON: Answer[] = [
  ['API frequency limit', tencentError('RequestLimitExceeded', 'Your current request times equals to `20` in a second'), 'retry', 'RequestLimitExceeded'],
  ['internal error', tencentError('InternalError.Timeout', 'timeout'), 'retry', 'InternalError.Timeout'],
  ['signature rejected', tencentError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.'), 'fail over', 'AuthFailure.SignatureFailure'],
  ['invalid parameter', tencentError('InvalidParameterValue.TemplateParameterFormatError', 'bad parameter'), 'fail over', 'InvalidParameterValue.TemplateParameterFormatError'],
];
vendorSuite({
  notifier: smsTencent,
  start: () => startTencentFake(TENCENT),
  config: (endpoint) => ({ ...TENCENT, smsSdkAppId: '1400000000', templateId: '1234567', signName: '测试医院', endpoint }),
  recipient: { mobile: '13800000000' },
  secrets: [TENCENT.secretKey],
  answers: [
    ...TENCENT_COMMON,
    ['daily limit per number', tencentNumber('LimitExceeded.PhoneNumberDailyLimit'), 'fail over', 'LimitExceeded.PhoneNumberDailyLimit'],
    ['same content daily', tencentNumber('LimitExceeded.PhoneNumberSameContentDailyLimit'), 'fail over', 'LimitExceeded.PhoneNumberSameContentDailyLimit'],
    ['app daily limit', tencentError('LimitExceeded.AppDailyLimit', 'app daily limit'), 'fail over', 'LimitExceeded.AppDailyLimit'],
    ['30-second limit', tencentNumber('LimitExceeded.PhoneNumberThirtySecondLimit'), 'retry', 'LimitExceeded.PhoneNumberThirtySecondLimit'],
    ['one-hour limit', tencentNumber('LimitExceeded.PhoneNumberOneHourLimit'), 'retry', 'LimitExceeded.PhoneNumberOneHourLimit'],
    ['blacklisted number', tencentNumber('FailedOperation.PhoneNumberInBlacklist'), 'fail over', 'FailedOperation.PhoneNumberInBlacklist'],
    ['template not approved', tencentError('FailedOperation.TemplateIncorrectOrUnapproved', 'template'), 'fail over', 'FailedOperation.TemplateIncorrectOrUnapproved'],
    ['no balance', tencentNumber('FailedOperation.InsufficientBalanceInSmsPackage'), 'fail over', 'FailedOperation.InsufficientBalanceInSmsPackage'],
  ],
});
vendorSuite({
  notifier: voiceTencent,
  start: () => startTencentFake(TENCENT),
  config: (endpoint) => ({ ...TENCENT, voiceSdkAppId: '1400000000', templateId: '123456', endpoint }),
  recipient: { mobile: '13800000000' },
  secrets: [TENCENT.secretKey],
  answers: [...TENCENT_COMMON, ['daily limit', tencentError('LimitExceeded.PhoneNumberDailyLimit', 'daily'), 'fail over', 'LimitExceeded.PhoneNumberDailyLimit']],
});

// ---- Webhook --------------------------------------------------------------------------------

const HOOK = { secret: 'webhook-secret-0123456789', token: 'Bearer hook-bearer-0123456789' };
vendorSuite({
  notifier: webhook,
  start: () => startWebhookFake({ secret: HOOK.secret }),
  config: (endpoint) => ({ url: `${endpoint}/hook`, secret: HOOK.secret, headers: { Authorization: HOOK.token } }),
  recipient: {},
  secrets: [HOOK.secret, 'hook-bearer-0123456789'],
  answers: [
    ['429', { status: 429, body: 'slow down' }, 'retry', 'HTTP 429'],
    ['408', { status: 408, body: 'timeout' }, 'retry', 'HTTP 408'],
    ['503', { status: 503, body: 'unavailable' }, 'retry', 'HTTP 503'],
    ['400', { status: 400, body: 'bad body' }, 'fail over', 'HTTP 400'],
    ['401', { status: 401, body: 'unauthorized' }, 'fail over', 'HTTP 401'],
    ['404', { status: 404, body: 'no such hook' }, 'fail over', 'HTTP 404'],
  ],
});
