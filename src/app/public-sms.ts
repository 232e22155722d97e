/**
 * SMS to patients (status-page subscribers, announcements) over the paging configuration's SMS channels
 * (notify.yaml): the channel whose id is `patient_sms` / `patient-sms` when there is one, else the first SMS
 * channel (sms-aliyun, sms-tencent). The message text goes to the vendor template as its one parameter
 * (`content`; Tencent: the first positional parameter), so the approved patient template reads "{content}".
 * No SMS channel: SMS_UNAVAILABLE (503).
 */
import type { ChannelSetup, NotifyConfig } from '../notify/index.js';
import type { SendSms } from '../publicity/status/subscribers.js';
import { AppError, UnavailableError } from '../shared/errors.js';

const SMS_KINDS = new Set(['sms-aliyun', 'sms-tencent']);
const PATIENT_CHANNEL_IDS = ['patient_sms', 'patient-sms', 'patient'];

/** The channel patient SMS goes out on, or null. */
export function patientSmsChannel(config: NotifyConfig): ChannelSetup | null {
  for (const id of PATIENT_CHANNEL_IDS) {
    const c = config.channels.get(id);
    if (c && SMS_KINDS.has(c.kind)) return c;
  }
  for (const c of config.channels.values()) if (SMS_KINDS.has(c.kind)) return c;
  return null;
}

export interface PublicSmsOptions {
  /** The paging configuration (read lazily: a CLI command that sends no SMS never reads notify.yaml). */
  notify: () => NotifyConfig;
}

/** `sendSms(phone, text)`: resolves when the vendor accepted the message; throws SMS_UNAVAILABLE or SMS_FAILED. */
export function publicSms(options: PublicSmsOptions): SendSms {
  return async (phone, text) => {
    const config = options.notify();
    const channel = patientSmsChannel(config);
    if (!channel) throw new UnavailableError('no SMS channel is configured in notify.yaml (sms-aliyun or sms-tencent)', 'SMS_UNAVAILABLE');
    const msg = { subject: text, text, markdown: text, short: text, links: {}, templateParams: { content: text } };
    let delivery: Awaited<ReturnType<ChannelSetup['notifier']['send']>>;
    try {
      delivery = await channel.notifier.send(msg, { mobile: phone }, channel.config, { signal: AbortSignal.timeout(config.sendTimeoutMs), dryRun: false } /* vendors sign with the wall clock */);
    } catch (err) {
      delivery = { status: 'failed', retryable: true, reason: (err as Error).message };
    }
    if (delivery.status === 'failed') throw new AppError('SMS_FAILED', 502, `the SMS could not be sent (${channel.id}): ${delivery.reason}`);
  };
}
