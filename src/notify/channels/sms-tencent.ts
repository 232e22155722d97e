/**
 * Tencent Cloud SMS `SendSms` (2021-01-11, wire-formats §4.5), TC3-HMAC-SHA256 signed. The template's
 * positional parameters (`TemplateParamSet`) come from `msg.templateParams` in `paramOrder` (or numeric
 * key order `"1"`, `"2"`…). The per-number `SendStatusSet[0].Code` decides; `SerialNo` is the reference.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { callTencent, tencentCredentialsShape } from './tencent-api.js';
import { defineNotifier, e164, outcomes, positionalValues, templateFor, templateValues } from './support.js';

export const TENCENT_SMS_ENDPOINT = 'https://sms.tencentcloudapi.com';

const smsTemplateId = z.string().regex(/^\d+$/, 'the numeric template id');

export const smsTencentConfigSchema = z
  .object({
    ...tencentCredentialsShape,
    smsSdkAppId: z.string().regex(/^\d+$/, 'the numeric SmsSdkAppId (1400…)'),
    templateId: smsTemplateId,
    /** Approved template for drill pages (its text starting 【演练】); without it drills use `templateId`. */
    drillTemplateId: smsTemplateId.optional(),
    /** Approved signature content; required for mainland numbers. */
    signName: z.string().min(1),
    /** Names of `msg.templateParams` in the template's {1}, {2}… order. */
    paramOrder: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type SmsTencentConfig = z.infer<typeof smsTencentConfigSchema>;

/** The request body; key order matches the documented test vector in wire-formats §4.5. */
export function smsTencentBody(msg: RenderedMessage, phone: string, config: SmsTencentConfig): string {
  return JSON.stringify({
    PhoneNumberSet: [phone],
    SmsSdkAppId: config.smsSdkAppId,
    SignName: config.signName,
    TemplateId: templateFor(msg, config.templateId, config.drillTemplateId),
    TemplateParamSet: positionalValues(templateValues(msg, config.paramOrder), config.paramOrder),
  });
}

async function send(msg: RenderedMessage, to: Recipient, config: SmsTencentConfig, ctx: SendContext): Promise<Delivery> {
  const phone = e164(to.mobile);
  if (!phone) return outcomes([config.secretKey]).permanent('Tencent SMS: recipient has no valid mobile number');
  return callTencent(
    config,
    {
      what: 'Tencent SMS',
      defaultEndpoint: TENCENT_SMS_ENDPOINT,
      service: 'sms',
      action: 'SendSms',
      version: '2021-01-11',
      body: smsTencentBody(msg, phone, config),
      judge(response) {
        const set = Array.isArray(response.SendStatusSet) ? response.SendStatusSet : [];
        const status = set[0] as { Code?: unknown; Message?: unknown; SerialNo?: unknown } | undefined;
        if (!status) return { ok: false, code: 'NoSendStatus', message: 'empty SendStatusSet' };
        const code = typeof status.Code === 'string' ? status.Code : 'UnknownStatus';
        return {
          ok: code === 'Ok',
          code,
          message: status.Message,
          providerRef: typeof status.SerialNo === 'string' ? status.SerialNo : undefined,
        };
      },
    },
    ctx,
  );
}

export const smsTencent = defineNotifier({
  kind: 'sms-tencent',
  configSchema: smsTencentConfigSchema,
  secrets: (c) => [c.secretKey],
  send,
}) satisfies Notifier<SmsTencentConfig>;
