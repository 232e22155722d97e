/**
 * SMS to the patients who opted in on the status page (confirmed subscribers) and asked about one of the services
 * the announcement speaks of (or about every service), through the patient SMS channel (src/app/public-sms.ts):
 * the short form (one segment), in the language each chose. Phones already sent to are kept as the delivery's
 * progress, so a retry after a partial failure never texts anyone twice.
 */
import type { Db } from '../../../storage/index.js';
import { confirmedSubscribers, type SendSms } from '../../status/subscribers.js';
import type { PublicChannel } from '../types.js';

const progressOf = (text: string | null): Set<string> => {
  try {
    const v = JSON.parse(text ?? '{}') as { sent?: unknown };
    return new Set(Array.isArray(v.sent) ? v.sent.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
};

export const smsChannel = (db: Db, sendSms: SendSms | null, configured: () => boolean = () => sendSms !== null): PublicChannel => ({
  kind: 'sms',
  unavailable: () => (sendSms && configured() ? null : 'NOT_CONFIGURED: no SMS channel for patients (notify.yaml: sms-aliyun or sms-tencent)'),
  async publish(a, ctx) {
    if (!sendSms) return { ok: false, notConfigured: true, error: 'NOT_CONFIGURED: no SMS channel for patients' };
    const subscribers = await confirmedSubscribers(
      db,
      a.services.map((s) => s.id),
    );
    const sent = progressOf(ctx.progress);
    const failures: string[] = [];
    for (const s of subscribers) {
      if (sent.has(s.phone)) continue;
      try {
        await sendSms(s.phone, s.lang === 'en' && a.sms.en ? a.sms.en : a.sms.zh);
        sent.add(s.phone);
      } catch (err) {
        const e = err as { code?: string; message: string };
        if (e.code === 'SMS_UNAVAILABLE') return { ok: false, notConfigured: true, error: `NOT_CONFIGURED: ${e.message}` };
        failures.push(e.code ?? e.message);
      }
    }
    const progress = JSON.stringify({ sent: [...sent] });
    if (failures.length) return { ok: false, error: `SMS to ${failures.length} of ${subscribers.length} subscribers failed (${[...new Set(failures)].join(', ')})`, progress };
    return { ok: true, reference: `${sent.size} subscriber(s)` };
  },
});
