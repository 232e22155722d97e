import type { Db } from '../../storage/index.js';

export interface Subscriber {
  phone: string;
  lang: 'zh' | 'en';
  /** patient_services ids the subscriber asked about; empty = every service. */
  services: string[];
}

/** Sends one SMS to a patient (src/app/public-sms.ts: over the SMS channel of notify.yaml meant for patients). */
export type SendSms = (phone: string, text: string) => Promise<void>;

/**
 * Phones that confirmed their opt-in on the status page, optionally only those interested in one of
 * `serviceIds` (a subscriber who named no service hears about every service).
 */
export async function confirmedSubscribers(db: Db, serviceIds?: readonly string[]): Promise<Subscriber[]> {
  const rows = await db.selectFrom('status_subscribers').select(['phone', 'lang', 'services']).where('state', '=', 'confirmed').orderBy('phone').execute();
  const wanted = serviceIds && serviceIds.length > 0 ? new Set(serviceIds) : null;
  const out: Subscriber[] = [];
  for (const r of rows) {
    const services = parseServices(r.services);
    if (wanted && services.length > 0 && !services.some((s) => wanted.has(s))) continue;
    out.push({ phone: r.phone, lang: r.lang === 'en' ? 'en' : 'zh', services });
  }
  return out;
}

function parseServices(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}
