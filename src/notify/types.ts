import type { z } from 'zod';

/** What a person is told, rendered once (notify/render.ts) and then formatted by each channel. */
export interface RenderedMessage {
  subject: string; // one line, e.g. "【二级·暂定】HIS 医院信息系统 中断"
  text: string; // plain text body, several lines, no patient data
  markdown: string; // the same as markdown (robots that support it)
  short: string; // ≤ 70 characters, for SMS/voice templates
  /** The wording for a voice call (webhook voice gateways); absent: `short`. Drills: the plan's `drills.marking.voice_template`. */
  spoken?: string;
  links: { ack?: string; incident?: string };
  /** Values for template-based channels (SMS/voice): keys are the template's own parameter names. */
  templateParams?: Record<string, string>;
  test?: boolean; // a `lifeline notify test` message: channels mark it clearly
  /** A page about a drill's incident (render.ts markDrill): SMS/voice channels use their drill template when they have one. */
  drill?: boolean;
}

/** Whom a message goes to; channels read the address they need and fail permanently if it is missing. */
export interface Recipient {
  personId?: string;
  name?: string;
  mobile?: string; // E.164 or mainland 11-digit
  email?: string;
  wecomUserId?: string;
  dingtalkUserId?: string;
  feishuOpenId?: string;
}

export interface SendContext {
  signal: AbortSignal; // time-out / cancellation; channels keep no timers of their own
  dryRun: boolean; // true: build the request, make no network call
  now?: () => number; // injected clock for timestamps in signatures
}

export type Delivery = { status: 'sent'; providerRef?: string } | { status: 'failed'; retryable: boolean; reason: string };

/** One notification channel (WeCom robot, DingTalk robot, SMS vendor, SMTP…). One file each, one registry. */
export interface Notifier<C = unknown> {
  readonly kind: string;
  readonly configSchema: z.ZodType<C>;
  send(msg: RenderedMessage, to: Recipient, config: C, ctx: SendContext): Promise<Delivery>;
}
