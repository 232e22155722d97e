/**
 * SMS opt-in on the status page: a mainland mobile number asks for updates, gets a 6-digit code by SMS (stored
 * as an HMAC, valid 10 minutes, 5 tries), and is subscribed once it sends the code back. Rate-limited per phone
 * (one code a minute, five an hour) and per client (ten an hour). Unsubscribing needs no code (it only stops
 * messages); the SMS says how (reply TD, or the page's 退订 button).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { parseInput } from '../../shared/parse-input.js';
import type { Db } from '../../storage/index.js';
import { RateLimitedError, WindowLimiter } from './limiter.js';
import type { SendSms } from './subscribers.js';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_ATTEMPTS = 5;
const MOBILE = /^1[3-9]\d{9}$/;

const phone = z
  .string({ required_error: 'required', invalid_type_error: 'must be text' })
  .transform((s) => s.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, ''))
  .refine((s) => MOBILE.test(s), 'an 11-digit mainland mobile number (1xxxxxxxxxx)');

const TEXTS = {
  zh: (code: string) => `您的验证码为${code}，10分钟内有效，用于订阅医院服务状态短信。如非本人操作请忽略。退订回复TD`,
  en: (code: string) => `Your code is ${code} (valid 10 minutes) to subscribe to the hospital's service status SMS. Ignore it if you did not ask. Reply TD to stop.`,
};

export class SubscriptionService {
  private readonly perPhoneMinute = new WindowLimiter(1, 60_000);
  private readonly perPhoneHour = new WindowLimiter(5, 60 * 60_000);
  private readonly perClient = new WindowLimiter(10, 60 * 60_000);
  private readonly confirmPerClient = new WindowLimiter(20, 60 * 60_000);
  private readonly key: Buffer;
  private readonly requestSchema;
  private readonly confirmSchema = z.object({ phone, code: z.string({ required_error: 'required' }).regex(/^\d{6}$/, 'the 6-digit code from the SMS'), lang: z.string().optional() }).strict();
  private readonly unsubscribeSchema = z.object({ phone, lang: z.string().optional(), code: z.string().optional() }).strict();

  constructor(private readonly d: { db: Db; plan: Plan; clock: Clock; sendSms: SendSms; secret?: string }) {
    this.key = d.secret ? Buffer.from(d.secret) : randomBytes(32);
    const services = new Set((d.plan.patient_services ?? []).map((s) => s.id));
    const serviceList = z.union([z.array(z.string()), z.string().transform((s) => (s ? [s] : []))]).refine((list) => list.every((s) => services.has(s)), {
      message: `unknown service; expected ids among ${[...services].join(', ')}`,
    });
    this.requestSchema = z
      .object(
        { phone, services: serviceList.optional(), lang: z.enum(['zh', 'en'], { errorMap: () => ({ message: 'expected "zh" or "en"' }) }).optional(), code: z.string().optional() },
        { invalid_type_error: 'expected a JSON object (or a form)' },
      )
      .strict();
  }

  private hash(phoneNo: string, code: string): string {
    return createHmac('sha256', this.key).update(`${phoneNo}:${code}`).digest('hex');
  }

  /** Sends a code to the phone; the subscription is pending until confirmed. */
  async requestCode(body: unknown, client: string): Promise<{ sent: true; expiresAt: string }> {
    const input = parseInput(this.requestSchema, body ?? undefined);
    const now = this.d.clock.now();
    const wait = Math.max(this.perClient.peek(client, now), this.perPhoneMinute.peek(input.phone, now), this.perPhoneHour.peek(input.phone, now));
    if (wait) throw new RateLimitedError(`too many codes asked for; try again in ${wait} s`, wait);
    this.perClient.take(client, now);
    this.perPhoneMinute.take(input.phone, now);
    this.perPhoneHour.take(input.phone, now);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const lang = input.lang ?? 'zh';
    const expiresAt = now + CODE_TTL_MS;
    await this.d.sendSms(input.phone, TEXTS[lang](code)); // SMS_UNAVAILABLE (503) before anything is stored
    const existing = await this.d.db.selectFrom('status_subscribers').select(['state']).where('phone', '=', input.phone).executeTakeFirst();
    const values = { services: JSON.stringify(input.services ?? []), lang, code_hash: this.hash(input.phone, code), code_expires_at: expiresAt, code_attempts: 0, code_sent_at: now, updated_at: now };
    if (existing)
      await this.d.db
        .updateTable('status_subscribers')
        .set(existing.state === 'confirmed' ? values : { ...values, state: 'pending' })
        .where('phone', '=', input.phone)
        .execute();
    else
      await this.d.db
        .insertInto('status_subscribers')
        .values({ phone: input.phone, state: 'pending', created_at: now, confirmed_at: null, ...values })
        .execute();
    return { sent: true, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Confirms with the code from the SMS. */
  async confirm(body: unknown, client: string): Promise<{ subscribed: true; services: string[] }> {
    const input = parseInput(this.confirmSchema, body ?? undefined);
    const now = this.d.clock.now();
    const wait = this.confirmPerClient.take(client, now);
    if (wait) throw new RateLimitedError(`too many attempts; try again in ${wait} s`, wait);
    const row = await this.d.db.selectFrom('status_subscribers').selectAll().where('phone', '=', input.phone).executeTakeFirst();
    const wrong = (message: string, code: string) => new ValidationError(message, [{ path: 'code', message }], code);
    if (!row || row.code_hash === null || row.code_expires_at === null) throw wrong('no code was sent to this number; ask for one first', 'CODE_NOT_REQUESTED');
    if (Number(row.code_expires_at) < now) throw wrong('the code has expired; ask for a new one', 'CODE_EXPIRED');
    if (row.code_attempts >= CODE_ATTEMPTS) throw wrong('too many wrong codes; ask for a new one', 'CODE_EXHAUSTED');
    const expected = Buffer.from(row.code_hash, 'hex');
    const given = Buffer.from(this.hash(input.phone, input.code), 'hex');
    if (!timingSafeEqual(expected, given)) {
      await this.d.db
        .updateTable('status_subscribers')
        .set({ code_attempts: row.code_attempts + 1, updated_at: now })
        .where('phone', '=', input.phone)
        .execute();
      throw wrong('the code is not right', 'CODE_WRONG');
    }
    await this.d.db
      .updateTable('status_subscribers')
      .set({ state: 'confirmed', confirmed_at: now, code_hash: null, code_expires_at: null, code_attempts: 0, updated_at: now })
      .where('phone', '=', input.phone)
      .execute();
    return { subscribed: true, services: JSON.parse(row.services) as string[] };
  }

  /** Stops messages to the phone (no code needed: it can only stop them). Answers the same whether or not it was subscribed. */
  async unsubscribe(body: unknown): Promise<{ unsubscribed: true }> {
    const input = parseInput(this.unsubscribeSchema, body ?? undefined);
    await this.stop(input.phone);
    return { unsubscribed: true };
  }

  /** A number as a vendor reports it (`+86`, `86` or spaces allowed): true when it was subscribed or pending; a number that is not a mainland mobile is ignored. */
  async unsubscribeNumber(raw: string): Promise<boolean> {
    const parsed = phone.safeParse(raw); // the schema drops +86 / 86 and spaces
    return parsed.success ? this.stop(parsed.data) : false;
  }

  private async stop(phoneNo: string): Promise<boolean> {
    const now = this.d.clock.now();
    const r = await this.d.db
      .updateTable('status_subscribers')
      .set({ state: 'unsubscribed', code_hash: null, code_expires_at: null, updated_at: now })
      .where('phone', '=', phoneNo)
      .where('state', '!=', 'unsubscribed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Counts for the publicity group (never the numbers themselves). */
  async counts(): Promise<{ confirmed: number; pending: number }> {
    const rows = await this.d.db.selectFrom('status_subscribers').select(['state']).where('state', 'in', ['confirmed', 'pending']).execute();
    return { confirmed: rows.filter((r) => r.state === 'confirmed').length, pending: rows.filter((r) => r.state === 'pending').length };
  }
}
