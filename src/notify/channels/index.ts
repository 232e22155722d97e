/**
 * The one registry of notification channels. Adding a channel = one file, one line here, one test that
 * runs the contract suite.
 */
import type { Notifier } from '../types.js';
import { dingtalkRobot } from './dingtalk-robot.js';
import { email } from './email.js';
import { feishuBot } from './feishu-bot.js';
import { smsAliyun } from './sms-aliyun.js';
import { smsTencent } from './sms-tencent.js';
import { voiceAliyun } from './voice-aliyun.js';
import { voiceTencent } from './voice-tencent.js';
import { webhook } from './webhook.js';
import { wecomApp } from './wecom-app.js';
import { wecomRobot } from './wecom-robot.js';

export const notifiers = [wecomRobot, wecomApp, dingtalkRobot, feishuBot, smsAliyun, smsTencent, voiceAliyun, voiceTencent, email, webhook] as const;

export type NotifierKind = (typeof notifiers)[number]['kind'];
export type NotifierOfKind<K extends NotifierKind> = Extract<(typeof notifiers)[number], { kind: K }>;

const byKind: ReadonlyMap<string, Notifier<unknown>> = new Map(notifiers.map((n) => [n.kind, n as unknown as Notifier<unknown>]));

export function notifierByKind<K extends NotifierKind>(kind: K): NotifierOfKind<K>;
export function notifierByKind(kind: string): Notifier<unknown> | undefined;
export function notifierByKind(kind: string): Notifier<unknown> | undefined {
  return byKind.get(kind);
}

export function isNotifierKind(kind: string): kind is NotifierKind {
  return byKind.has(kind);
}

export { clearWecomAppTokenCache } from './wecom-app.js';
export type { DingtalkRobotConfig } from './dingtalk-robot.js';
export type { EmailConfig } from './email.js';
export type { FeishuBotConfig } from './feishu-bot.js';
export type { SmsAliyunConfig } from './sms-aliyun.js';
export type { SmsTencentConfig } from './sms-tencent.js';
export type { VoiceAliyunConfig } from './voice-aliyun.js';
export type { VoiceTencentConfig } from './voice-tencent.js';
export type { WebhookConfig } from './webhook.js';
export type { WecomAppConfig } from './wecom-app.js';
export type { WecomRobotConfig } from './wecom-robot.js';
