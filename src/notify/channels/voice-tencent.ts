/**
 * Tencent Cloud voice message `SendTtsVoice` (VMS 2020-09-02, wire-formats §4.5): calls one number and reads
 * an approved TTS template with positional `TemplateParamSet`. Same TC3 signing as SMS (service `vms`).
 * `SendStatus.CallId` is the provider reference.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { callTencent, tencentCredentialsShape } from './tencent-api.js';
import { defineNotifier, e164, outcomes, positionalValues, templateFor, templateValues } from './support.js';

export const TENCENT_VOICE_ENDPOINT = 'https://vms.tencentcloudapi.com';

const ttsTemplateId = z.string().regex(/^\d+$/, 'the numeric TTS template id');

export const voiceTencentConfigSchema = z
  .object({
    ...tencentCredentialsShape,
    voiceSdkAppId: z.string().regex(/^\d+$/, 'the numeric VoiceSdkAppid'),
    templateId: ttsTemplateId,
    /** Approved TTS template for drill calls (its text starting with the drill mark); without it drills use `templateId`. */
    drillTemplateId: ttsTemplateId.optional(),
    playTimes: z.number().int().min(1).max(3).optional(),
    paramOrder: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type VoiceTencentConfig = z.infer<typeof voiceTencentConfigSchema>;

export function voiceTencentBody(msg: RenderedMessage, phone: string, config: VoiceTencentConfig): string {
  return JSON.stringify({
    TemplateId: templateFor(msg, config.templateId, config.drillTemplateId),
    CalledNumber: phone,
    VoiceSdkAppid: config.voiceSdkAppId,
    TemplateParamSet: positionalValues(templateValues(msg, config.paramOrder), config.paramOrder),
    PlayTimes: config.playTimes ?? 2,
  });
}

async function send(msg: RenderedMessage, to: Recipient, config: VoiceTencentConfig, ctx: SendContext): Promise<Delivery> {
  const phone = e164(to.mobile);
  if (!phone) return outcomes([config.secretKey]).permanent('Tencent voice: recipient has no valid mobile number');
  return callTencent(
    config,
    {
      what: 'Tencent voice',
      defaultEndpoint: TENCENT_VOICE_ENDPOINT,
      service: 'vms',
      action: 'SendTtsVoice',
      version: '2020-09-02',
      body: voiceTencentBody(msg, phone, config),
      judge(response) {
        const status = response.SendStatus as { CallId?: unknown } | undefined;
        const callId = typeof status?.CallId === 'string' ? status.CallId : undefined;
        return callId ? { ok: true, providerRef: callId } : { ok: false, code: 'NoCallId', message: 'no SendStatus.CallId' };
      },
    },
    ctx,
  );
}

export const voiceTencent = defineNotifier({
  kind: 'voice-tencent',
  configSchema: voiceTencentConfigSchema,
  secrets: (c) => [c.secretKey],
  send,
}) satisfies Notifier<VoiceTencentConfig>;
