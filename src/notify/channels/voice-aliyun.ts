/**
 * Alibaba Cloud voice notification `SingleCallByTts` (Dyvmsapi 2017-05-25, wire-formats §4.4): calls one
 * mainland number and reads an approved TTS template (`TtsCode`) with `TtsParam` from
 * `msg.templateParams`. Same signing as SMS. Per-callee limits 1/min, 5/h, 20/day
 * (`isv.BUSINESS_LIMIT_CONTROL`: the minute and hour limits are retried, the daily one fails over at once;
 * `ALIYUN_ANSWERS`). `CallId` is the provider reference.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { aliyunCredentialsShape, callAliyun } from './aliyun-api.js';
import { defineNotifier, mainlandMobile, outcomes, templateFor, templateValues } from './support.js';

export const ALIYUN_VOICE_ENDPOINT = 'https://dyvmsapi.aliyuncs.com';

const ttsTemplateCode = z.string().regex(/^TTS_\d+$/, 'an approved TTS template code like TTS_123456789');

export const voiceAliyunConfigSchema = z
  .object({
    ...aliyunCredentialsShape,
    /** Approved TTS template code, e.g. "TTS_123456789". */
    ttsCode: ttsTemplateCode,
    /** Approved TTS template for drill calls (its text starting with the drill mark); without it drills use `ttsCode`. */
    drillTtsCode: ttsTemplateCode.optional(),
    /** The purchased caller number; omit in public-number mode. */
    calledShowNumber: z
      .string()
      .regex(/^\d{5,20}$/)
      .optional(),
    playTimes: z.number().int().min(1).max(3).optional(),
    volume: z.number().int().min(0).max(100).optional(),
    speed: z.number().int().min(-500).max(500).optional(),
  })
  .strict();
export type VoiceAliyunConfig = z.infer<typeof voiceAliyunConfigSchema>;

export function voiceAliyunParams(msg: RenderedMessage, mobile: string, config: VoiceAliyunConfig): Record<string, string> {
  const values = templateValues(msg);
  const params: Record<string, string> = { CalledNumber: mobile, TtsCode: templateFor(msg, config.ttsCode, config.drillTtsCode) };
  if (Object.keys(values).length) params.TtsParam = JSON.stringify(values);
  if (config.calledShowNumber) params.CalledShowNumber = config.calledShowNumber;
  params.PlayTimes = String(config.playTimes ?? 2);
  if (config.volume !== undefined) params.Volume = String(config.volume);
  if (config.speed !== undefined) params.Speed = String(config.speed);
  return params;
}

async function send(msg: RenderedMessage, to: Recipient, config: VoiceAliyunConfig, ctx: SendContext): Promise<Delivery> {
  const mobile = mainlandMobile(to.mobile);
  if (!mobile) return outcomes([config.accessKeySecret]).permanent('Aliyun voice: recipient has no mainland mobile number');
  return callAliyun(
    config,
    {
      what: 'Aliyun voice',
      defaultEndpoint: ALIYUN_VOICE_ENDPOINT,
      action: 'SingleCallByTts',
      version: '2017-05-25',
      params: voiceAliyunParams(msg, mobile, config),
      refField: 'CallId',
    },
    ctx,
  );
}

export const voiceAliyun = defineNotifier({
  kind: 'voice-aliyun',
  configSchema: voiceAliyunConfigSchema,
  secrets: (c) => [c.accessKeySecret],
  send,
}) satisfies Notifier<VoiceAliyunConfig>;
