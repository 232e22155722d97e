/**
 * Patient feedback from the status page: validated (1–1000 characters, no control characters, a known service,
 * a phone or e-mail if any), rate-limited per client and in total, a honeypot field for robots, stored in
 * `patient_feedback` and attached to the open incident that affects the service, where the publicity group
 * answers it (permission publicity.manage; the answer is recorded with who and when, and on the incident's timeline).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { parseInput } from '../../shared/parse-input.js';
import { appendChained } from '../../storage/chain.js';
import type { Db } from '../../storage/index.js';
import type { IncidentLike } from './document.js';
import { RateLimitedError, WindowLimiter } from './limiter.js';
import { affectedServices, systemStatesOf } from './services.js';

/** Control characters other than tab, newline and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

const text = (max: number) =>
  z
    .string({ invalid_type_error: 'must be text' })
    .transform((s) => s.trim())
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => s.length <= max, `at most ${max} characters`);

export interface FeedbackLimits {
  perClient: { limit: number; windowMs: number };
  total: { limit: number; windowMs: number };
}
export const DEFAULT_FEEDBACK_LIMITS: FeedbackLimits = { perClient: { limit: 5, windowMs: 10 * 60_000 }, total: { limit: 120, windowMs: 60_000 } };

export interface FeedbackItem {
  id: string;
  incidentId: string | null;
  service: string | null;
  message: string;
  contact: string | null;
  lang: 'zh' | 'en';
  createdAt: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface FeedbackDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  openIncidents: () => Promise<IncidentLike[]>;
  limits?: FeedbackLimits;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export class FeedbackService {
  private readonly perClient: WindowLimiter;
  private readonly total: WindowLimiter;
  private readonly key = randomBytes(32);
  private readonly schema;

  constructor(private readonly d: FeedbackDeps) {
    const limits = d.limits ?? DEFAULT_FEEDBACK_LIMITS;
    this.perClient = new WindowLimiter(limits.perClient.limit, limits.perClient.windowMs);
    this.total = new WindowLimiter(limits.total.limit, limits.total.windowMs);
    const services = new Set((d.plan.patient_services ?? []).map((s) => s.id));
    this.schema = z
      .object(
        {
          message: text(1000).refine((s) => s.length >= 1, 'must not be empty'),
          service: z
            .union([z.string(), z.null()])
            .optional()
            .refine((s) => s === undefined || s === null || s === '' || services.has(s), { message: `not a service of the status page; expected one of ${[...services].join(', ')}` }),
          contact: text(100)
            .refine((s) => s === '' || PHONE.test(s) || EMAIL.test(s), 'a phone number or an e-mail address')
            .optional()
            .nullable(),
          website: z.string().optional(), // the honeypot: people never see it, robots fill it in
          lang: z.enum(['zh', 'en'], { errorMap: () => ({ message: 'expected "zh" or "en"' }) }).optional(),
        },
        { invalid_type_error: 'expected a JSON object (or a form)', required_error: 'expected a JSON object (or a form)' },
      )
      .strict();
  }

  /** Stores one message (or, for a robot that filled the honeypot, pretends to). 400 naming the field; 429 with Retry-After. */
  async submit(body: unknown, client: string): Promise<{ received: true; id: string | null }> {
    const now = this.d.clock.now();
    const clientKey = createHmac('sha256', this.key).update(client).digest('hex');
    const waitClient = this.perClient.peek(clientKey, now);
    if (waitClient) throw new RateLimitedError(`too many messages from this client; try again in ${waitClient} s`, waitClient);
    const input = parseInput(this.schema, body ?? undefined);
    if (input.website) return { received: true, id: null }; // a robot: nothing stored, nothing told
    const waitTotal = this.total.take('all', now);
    if (waitTotal) throw new RateLimitedError(`the status page receives too many messages right now; try again in ${waitTotal} s`, waitTotal, 'RATE_LIMITED_TOTAL');
    const waited = this.perClient.take(clientKey, now);
    if (waited) throw new RateLimitedError(`too many messages from this client; try again in ${waited} s`, waited);
    const service = input.service ? input.service : null;
    const incidentId = await this.incidentFor(service);
    const id = newId('fb_');
    await this.d.db
      .insertInto('patient_feedback')
      .values({
        id,
        incident_id: incidentId,
        service,
        message: input.message,
        contact: input.contact ? input.contact : null,
        lang: input.lang ?? 'zh',
        client_hash: clientKey.slice(0, 32),
        created_at: now,
        answer: null,
        answered_by: null,
        answered_at: null,
      })
      .execute();
    return { received: true, id };
  }

  /** The newest open incident that affects `service` (any patient service when none is named), or null. */
  private async incidentFor(service: string | null): Promise<string | null> {
    const open = (await this.d.openIncidents()).filter((i) => i.state !== 'closed').sort((a, b) => (a.openedAt < b.openedAt ? 1 : -1));
    for (const incident of open) {
      const affected = affectedServices(this.d.plan, systemStatesOf([incident])).filter((s) => s.state !== 'normal');
      if (service ? affected.some((s) => s.id === service) : affected.length > 0) return incident.id;
    }
    return null;
  }

  async forIncident(incidentId: string): Promise<FeedbackItem[]> {
    const rows = await this.d.db.selectFrom('patient_feedback').selectAll().where('incident_id', '=', incidentId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
    return rows.map(item);
  }

  async list(filter: { open?: boolean; limit?: number } = {}): Promise<FeedbackItem[]> {
    let q = this.d.db
      .selectFrom('patient_feedback')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 200);
    if (filter.open) q = q.where('answered_at', 'is', null);
    return (await q.execute()).map(item);
  }

  /** Records the publicity group's answer (who, when) and, when the message belongs to an incident, a timeline entry. */
  async answer(id: string, body: unknown, actor: string): Promise<FeedbackItem> {
    const { answer } = parseInput(z.object({ answer: text(2000).refine((s) => s.length >= 1, 'must not be empty') }, { invalid_type_error: 'expected a JSON object' }).strict(), body ?? undefined);
    const now = this.d.clock.now();
    return this.d.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('patient_feedback').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFoundError(`feedback ${id}`, 'FEEDBACK_NOT_FOUND');
      if (answer.length === 0) throw new ValidationError('answer must not be empty', [{ path: 'answer', message: 'must not be empty' }]);
      await trx.updateTable('patient_feedback').set({ answer, answered_by: actor, answered_at: now }).where('id', '=', id).execute();
      if (row.incident_id) {
        await appendChained(trx, 'timeline', [
          {
            id: newId('tl_'),
            incident_id: row.incident_id,
            at: now,
            actor,
            kind: 'feedback.answered',
            message: `patient feedback ${id} answered`,
            data: JSON.stringify({ feedback: id, service: row.service, answer }),
          },
        ]);
      }
      return item({ ...row, answer, answered_by: actor, answered_at: now });
    });
  }
}

function item(r: {
  id: string;
  incident_id: string | null;
  service: string | null;
  message: string;
  contact: string | null;
  lang: string;
  created_at: number;
  answer: string | null;
  answered_by: string | null;
  answered_at: number | null;
}): FeedbackItem {
  return {
    id: r.id,
    incidentId: r.incident_id,
    service: r.service,
    message: r.message,
    contact: r.contact,
    lang: r.lang === 'en' ? 'en' : 'zh',
    createdAt: iso(r.created_at)!,
    answer: r.answer,
    answeredBy: r.answered_by,
    answeredAt: iso(r.answered_at),
  };
}
