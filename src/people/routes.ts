/**
 * People, roles and duty rosters over HTTP. Management routes declare `people.manage`, reads of the duty
 * roster `oncall.read` (the auth hook enforces them). Roster files are uploaded as the request body:
 * `Content-Type: text/csv` or the .xlsx type (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/index.js';
import { ValidationError } from '../shared/errors.js';
import { Day } from '../shared/time.js';
import { importRoster } from './importer.js';
import { readRoster } from './roster.js';
import { shiftBounds } from './oncall.js';
import type { PeopleService } from './service.js';
import type { OnDutyItem } from './service.js';
import type { Person } from './types.js';
import { HHMM, isDate, localDateTime } from './zoned.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MOBILE = /^(?:\+?86|0086)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/;

const opt = (schema: z.ZodString) => schema.nullable().optional();
const personBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    employeeNo: opt(z.string().trim().max(60)),
    department: z.string().trim().max(100).optional(),
    title: z.string().trim().max(100).optional(),
    mobile: z
      .string()
      .transform((s) => s.replace(/[\s\-()]/g, ''))
      .refine((s) => s === '' || MOBILE.test(s), 'a mobile number: 11 digits, or +country…')
      .nullable()
      .optional(),
    phone: opt(z.string().trim().max(40)),
    email: opt(z.string().trim().email()),
    wecomUserId: opt(z.string().trim().max(100)),
    dingtalkUserId: opt(z.string().trim().max(100)),
    feishuOpenId: opt(z.string().trim().max(100)),
    channels: z.array(z.string().min(1)).nullable().optional(),
    active: z.boolean().optional(),
    notes: z.string().max(2000).optional(),
  })
  .strict();
const date = z.string().refine(isDate, 'a date YYYY-MM-DD');
const ids = z.array(z.string().min(1));
const rotationBody = z
  .object({
    role: z.string().min(1),
    name: z.string().min(1).max(200).default('值班'),
    handover: z.string().regex(HHMM, 'HH:mm').default('08:00'),
    startsOn: date,
    weekday: ids.min(1),
    weekend: ids.nullable().optional(),
    holiday: ids.nullable().optional(),
    active: z.boolean().default(true),
  })
  .strict();
const instant = z
  .string()
  .datetime({ offset: true })
  .transform((s) => Date.parse(s));
const overrideBody = z.object({ role: z.string().min(1), personId: z.string().min(1), startsAt: instant, endsAt: instant, reason: z.string().trim().min(1).max(500) }).strict();
const swapBody = z.object({ role: z.string().min(1), a: date, b: date, reason: z.string().trim().min(1).max(500), handover: z.string().regex(HHMM).default('08:00') }).strict();
const calendarBody = z.object({ days: z.array(z.object({ day: date, kind: z.enum(['holiday', 'workday']).nullable(), name: z.string().max(100).optional() }).strict()).min(1) }).strict();
const assignBody = z.object({ holders: ids.default([]), deputies: ids.default([]) }).strict();

/** GET /api/v1/oncall/now: one item per person on duty for each role of the plan (a role nobody holds: person null). */
export interface OnDutyResponse {
  items: OnDutyItem[];
}

const view = (p: Person) => ({ ...p, createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString() });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the people routes use. */
export interface PeopleRouteDeps {
  people: PeopleService;
  db: Db;
  plan: Plan;
  clock: Clock;
  timezone: string;
}

export async function peopleRoutes(app: FastifyInstance, p: PeopleRouteDeps): Promise<void> {
  const { people } = p;
  await app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', XLSX, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    directoryRoutes(scope, p, people);
  });
  rosterRoutes(app, p, people);
}

function directoryRoutes(app: FastifyInstance, p: PeopleRouteDeps, people: PeopleService): void {
  const manage = { permission: 'people.manage' };
  app.get('/api/v1/people', { config: manage }, async (request) => {
    const q = parseInput(z.object({ q: z.string().optional(), department: z.string().optional(), inactive: z.enum(['true', 'false']).optional() }), request.query, 'query');
    return { items: (await people.store.list({ q: q.q, department: q.department, includeInactive: q.inactive === 'true' })).map(view) };
  });
  app.post('/api/v1/people', { config: manage }, async (request, reply) => reply.status(201).send(view(await people.store.create(parseInput(personBody, request.body)))));
  app.get<{ Params: { id: string } }>('/api/v1/people/:id', { config: manage }, async (request) => view(await people.store.get(request.params.id)));
  app.patch<{ Params: { id: string } }>('/api/v1/people/:id', { config: manage }, async (request) =>
    view(await people.store.update(request.params.id, parseInput(personBody.partial(), request.body))),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/people/:id', { config: manage }, async (request) => view(await people.store.deactivate(request.params.id)));

  /**
   * The file is the body (CSV or .xlsx), or JSON `{ filename, content }` with the file in base64 (the web app).
   * `dryRun=true` checks every row and writes nothing: the preview, answered 200 whatever it found.
   */
  app.post('/api/v1/people/import', { config: manage, bodyLimit: 14 * 1024 * 1024 }, async (request, reply) => {
    const q = parseInput(z.object({ dryRun: z.enum(['true', 'false', '1', '0']).optional(), partial: z.enum(['true', 'false']).optional(), filename: z.string().optional() }), request.query, 'query');
    const upload = uploadedFile(request.body, q.filename, request.headers['content-type']);
    await readableRoster(upload.bytes, upload.filename);
    const dryRun = q.dryRun === 'true' || q.dryRun === '1';
    const report = await importRoster(p.db, people.store, p.plan, upload.bytes, {
      filename: upload.filename,
      dryRun,
      partial: q.partial === 'true',
      actor: request.principal?.name ?? 'api', // the signed-in account or API token, never the client's word
    });
    return reply.status(report.errors.length && !report.applied && !dryRun ? 422 : 200).send(report);
  });
}

const jsonUpload = z
  .object({
    filename: z.string().trim().min(1).max(255),
    content: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/=\s]+$/, 'base64'),
  })
  .strict();

function uploadedFile(body: unknown, queryName: string | undefined, contentType: string | undefined): { bytes: Buffer; filename: string } {
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) throw new ValidationError('the roster file is empty', [{ path: 'body', message: 'a CSV or .xlsx file' }]);
    return { bytes: body, filename: queryName ?? (contentType?.startsWith(XLSX) ? 'roster.xlsx' : 'roster.csv') };
  }
  if (body === undefined || body === null) {
    throw new ValidationError('send the roster file as the body (Content-Type: text/csv or the .xlsx type)', [{ path: 'body', message: 'a CSV or .xlsx file' }]);
  }
  const json = parseInput(jsonUpload, body);
  const bytes = Buffer.from(json.content, 'base64');
  if (bytes.length === 0) throw new ValidationError('the roster file is empty', [{ path: 'content', message: 'a CSV or .xlsx file' }]);
  return { bytes, filename: queryName ?? json.filename };
}

/** A file that cannot be read as a workbook (a corrupt or truncated .xlsx) is the sender's: 400 naming the file. */
async function readableRoster(bytes: Buffer, filename: string): Promise<void> {
  try {
    await readRoster(bytes, filename);
  } catch (err) {
    const message = `${filename} cannot be read as a CSV or .xlsx roster (${(err as Error).message})`;
    throw new ValidationError(message, [{ path: 'body', message, file: filename }]).with({ file: filename });
  }
}

function rosterRoutes(app: FastifyInstance, p: PeopleRouteDeps, people: PeopleService): void {
  const manage = { permission: 'people.manage' };
  const read = { permission: 'oncall.read' };
  const names = async () => new Map((await people.store.list({ includeInactive: true })).map((x) => [x.id, x.name]));

  app.get('/api/v1/roles', { config: read }, async () => {
    const [assignees, name] = await Promise.all([people.store.assignees(), names()]);
    const ref = (id: string) => ({ id, name: name.get(id) ?? id });
    return { items: assignees.map((a) => ({ role: a.role, roleName: p.plan.roles.find((r) => r.id === a.role)!.name, holders: a.holders.map(ref), deputies: a.deputies.map(ref) })) };
  });
  app.put<{ Params: { role: string } }>('/api/v1/roles/:role/assignees', { config: manage }, async (request) => {
    const body = parseInput(assignBody, request.body);
    return people.store.assign(request.params.role, body.holders, body.deputies);
  });

  app.get('/api/v1/oncall/now', { config: read }, async () => ({ items: await people.onDutyNow() }) satisfies OnDutyResponse);
  app.get('/api/v1/oncall/who', { config: read }, async (request) => {
    const q = parseInput(z.object({ role: z.string().min(1), at: instant.optional() }), request.query, 'query');
    const h = await people.whoHolds(q.role, q.at);
    const name = await names();
    const ref = (id: string) => ({ id, name: name.get(id) ?? id });
    return { role: h.role, people: h.personIds.map(ref), source: h.source, from: iso(h.from), until: iso(h.until), deputies: h.deputies.map(ref) };
  });
  app.get('/api/v1/oncall/gaps', { config: read }, async (request) => {
    const q = parseInput(z.object({ days: z.coerce.number().int().min(1).max(366).default(14), role: z.string().optional() }), request.query, 'query');
    if (q.role) people.store.requireRole(q.role);
    const gaps = await people.gaps({ days: q.days, roles: q.role ? [q.role] : undefined });
    const tz = p.timezone;
    return {
      from: iso(p.clock.now()),
      days: q.days,
      items: gaps.map((g) => ({
        role: g.role,
        roleName: p.plan.roles.find((r) => r.id === g.role)?.name,
        from: iso(g.from),
        to: iso(g.to),
        reason: g.reason,
        local: `${localDateTime(g.from, tz)} – ${localDateTime(g.to, tz)}`,
      })),
    };
  });
  app.get('/api/v1/oncall/schedule', { config: read }, async (request) => {
    const q = parseInput(z.object({ role: z.string().min(1), from: instant.optional(), days: z.coerce.number().int().min(1).max(92).default(7) }), request.query, 'query');
    const name = await names();
    const slots = await people.schedule(q.role, q.from ?? p.clock.now(), q.days);
    return { items: slots.map((h) => ({ from: iso(h.from), until: iso(h.until), source: h.source, people: h.personIds.map((id) => ({ id, name: name.get(id) ?? id })) })) };
  });

  app.get('/api/v1/oncall/rotations', { config: read }, async () => ({ items: await people.store.rotations() }));
  app.post('/api/v1/oncall/rotations', { config: manage }, async (request, reply) => {
    const body = parseInput(rotationBody, request.body);
    return reply.status(201).send(await people.store.createRotation({ ...body, weekend: body.weekend ?? null, holiday: body.holiday ?? null }));
  });
  app.patch<{ Params: { id: string } }>('/api/v1/oncall/rotations/:id', { config: manage }, async (request) =>
    people.store.updateRotation(request.params.id, parseInput(rotationBody.partial(), request.body)),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/oncall/rotations/:id', { config: manage }, async (request, reply) => {
    await people.store.deleteRotation(request.params.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/oncall/overrides', { config: read }, async (request) => {
    const q = parseInput(z.object({ role: z.string().optional(), days: z.coerce.number().int().min(1).max(366).default(60) }), request.query, 'query');
    const now = p.clock.now();
    const items = await people.store.entries({ role: q.role, kind: 'override', from: now, to: now + q.days * Day.ms });
    return { items: items.map((e) => ({ ...e, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt), createdAt: iso(e.createdAt) })) };
  });
  app.post('/api/v1/oncall/overrides', { config: manage }, async (request, reply) => {
    const body = parseInput(overrideBody, request.body);
    const e = await people.store.addEntry({ ...body, kind: 'override', createdBy: request.principal?.name ?? 'api' });
    return reply.status(201).send({ ...e, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt), createdAt: iso(e.createdAt) });
  });
  app.delete<{ Params: { id: string } }>('/api/v1/oncall/overrides/:id', { config: manage }, async (request, reply) => {
    await people.store.cancelEntry(request.params.id);
    return reply.status(204).send();
  });
  /** Two people swap duty days: whoever holds day A takes day B and the other way round (two overrides). */
  app.post('/api/v1/oncall/swaps', { config: manage }, async (request, reply) => {
    const body = parseInput(swapBody, request.body);
    const tz = p.timezone;
    const a = shiftBounds(body.a, body.handover, tz);
    const b = shiftBounds(body.b, body.handover, tz);
    const [ha, hb] = await Promise.all([people.whoHolds(body.role, a.startsAt), people.whoHolds(body.role, b.startsAt)]);
    if (ha.personIds.length !== 1 || hb.personIds.length !== 1) {
      throw new ValidationError('a swap needs exactly one person on duty on each day', [{ path: ha.personIds.length !== 1 ? 'a' : 'b', message: 'no single person on duty that day' }]);
    }
    const reason = `swap ${body.a} ⇄ ${body.b}: ${body.reason}`;
    const first = await people.store.addEntry({ role: body.role, personId: hb.personIds[0], kind: 'override', ...a, reason, createdBy: request.principal?.name ?? 'api' });
    const second = await people.store.addEntry({ role: body.role, personId: ha.personIds[0], kind: 'override', ...b, reason, createdBy: request.principal?.name ?? 'api' });
    return reply.status(201).send({ items: [first, second].map((e) => ({ ...e, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt), createdAt: iso(e.createdAt) })) });
  });

  app.get('/api/v1/oncall/calendar', { config: read }, async () => ({ items: await people.store.calendar() }));
  app.put('/api/v1/oncall/calendar', { config: manage }, async (request) => {
    await people.store.setCalendarDays(parseInput(calendarBody, request.body).days);
    return { items: await people.store.calendar() };
  });

  app.get<{ Params: { id: string } }>('/api/v1/people/:id/oncall.ics', { config: read }, async (request, reply) => {
    const person = await people.store.get(request.params.id);
    return reply.type('text/calendar; charset=utf-8').send(await people.calendar(person));
  });
}
