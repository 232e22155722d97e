/**
 * Alibaba Cloud SMS `SendSms` (dysmsapi 2017-05-25, wire-formats §4.4): an approved signature (`SignName`)
 * and template (`TemplateCode`; drill pages: `drillTemplateCode` when set), the variables as a JSON string (`TemplateParam`) from
 * `msg.templateParams` (URLs/IPs removed: the API rejects them). `BizId` is the provider reference.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { aliyunCredentialsShape, aliyunPhone, callAliyun } from './aliyun-api.js';
import { defineNotifier, e164, outcomes, templateFor, templateValues } from './support.js';

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com';

const smsTemplateCode = z.string().regex(/^SMS_\d+$/, 'an approved template code like SMS_123456789');

export const smsAliyunConfigSchema = z
  .object({
    ...aliyunCredentialsShape,
    /** Approved SMS signature (签名), e.g. "某某医院". */
    signName: z.string().min(1),
    /** Approved template code, e.g. "SMS_123456789". */
    templateCode: smsTemplateCode,
    /** Approved template for drill pages (its text starting 【演练】); without it drills use `templateCode`. */
    drillTemplateCode: smsTemplateCode.optional(),
  })
  .strict();
export type SmsAliyunConfig = z.infer<typeof smsAliyunConfigSchema>;

export function smsAliyunParams(msg: RenderedMessage, phone: string, config: SmsAliyunConfig): Record<string, string> {
  const values = templateValues(msg);
  return {
    PhoneNumbers: aliyunPhone(phone),
    SignName: config.signName,
    TemplateCode: templateFor(msg, config.templateCode, config.drillTemplateCode),
    ...(Object.keys(values).length ? { TemplateParam: JSON.stringify(values) } : {}),
  };
}

async function send(msg: RenderedMessage, to: Recipient, config: SmsAliyunConfig, ctx: SendContext): Promise<Delivery> {
  const phone = e164(to.mobile);
  if (!phone) return outcomes([config.accessKeySecret]).permanent('Aliyun SMS: recipient has no valid mobile number');
  return callAliyun(
    config,
    {
      what: 'Aliyun SMS',
      defaultEndpoint: ALIYUN_SMS_ENDPOINT,
      action: 'SendSms',
      version: '2017-05-25',
      params: smsAliyunParams(msg, phone, config),
      refField: 'BizId',
    },
    ctx,
  );
}

export const smsAliyun = defineNotifier({
  kind: 'sms-aliyun',
  configSchema: smsAliyunConfigSchema,
  secrets: (c) => [c.accessKeySecret],
  send,
}) satisfies Notifier<SmsAliyunConfig>;
