import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { ProblemBody } from '../shared/errors.js';
import { FORMS } from './catalogue.js';
import { localTime, loadIncident, type DowntimeContext } from './context.js';
import { exportRecords } from './retention.js';
import { batchForms, printForms, settleForm } from './forms.js';
import { chargeItem, enterItem, markMerged, registerItem, setMiStatus, verifyItem, voidItem } from './items.js';
import { createBlock, issueNumbers, listBlocks, retireBlock, settleNumber } from './numbers.js';
import { renderForms } from './render.js';
import { scanUrl } from './kit.js';
import { markStep, moveSession, startSession, waive } from './sessions.js';
import { reportTally } from './tally.js';
import {
  DOWNTIME_PERMISSIONS,
  FORM_TYPES,
  MI_STATUSES,
  NUMBER_KINDS,
  RECORD_TYPES,
  DOWNTIME_TALLY_CATEGORIES,
  type DowntimeTallyCategory,
  type FormSpec,
  type FormType,
  type NumberKind,
  type RecordType,
} from './types.js';
import type { BusinessLine, Department } from '../plan/types.js';
import { formView, incidentOverview, itemView, lookupSerial, numberView, sessionDetail } from './views.js';
import { kitRoutes } from './kit-routes.js';
import { attachmentDisposition } from './export.js';

type Declared = { config: { permission: string } };
const read: Declared = { config: { permission: DOWNTIME_PERMISSIONS.read } };
const operate: Declared = { config: { permission: DOWNTIME_PERMISSIONS.operate } };
const verify: Declared = { config: { permission: DOWNTIME_PERMISSIONS.verify } };

/** Who acts: the signed-in person when sign-in is on; otherwise the `by` the client names (drills, tests, scripts). */
export function actorOf(request: FastifyRequest, claimed?: string): string {
  const principal = (request as { principal?: { name?: string } | null }).principal;
  return principal?.name ?? claimed ?? 'api';
}

const by = z.string().min(1).max(200).optional();
const isoTime = z
  .string()
  .datetime({ offset: true })
  .transform((s) => Date.parse(s));
const id = z.string().min(1).max(100);
const body = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, by }).strict();

/** The request bodies and queries of the downtime API (the web app's request types are inferred from them: src/http/contract.ts). */
export const schemas = {
  session: body({ businessLine: id, department: id }),
  state: body({ to: z.enum(['active', 'recovery', 'back_entry']), reason: z.string().max(2000).optional() }),
  reconcile: body({}),
  step: body({ step: id, done: z.boolean(), note: z.string().max(2000).optional() }),
  tally: body({ department: id, counts: z.object(Object.fromEntries(DOWNTIME_TALLY_CATEGORIES.map((c) => [c, z.number().int().min(0).max(1_000_000).optional()]))).strict() }),
  waiver: body({ reason: z.string().min(1).max(2000), sessions: z.array(id).optional() }),
  block: body({
    kind: z.enum(NUMBER_KINDS),
    start: z.number().int().min(0).max(9_999_999_999),
    end: z.number().int().min(0).max(9_999_999_999),
    department: id.optional(),
    window: z.string().max(100).optional(),
    prefix: z
      .string()
      .regex(/^[A-Z0-9-]{1,8}$/)
      .optional(),
    note: z.string().max(2000).optional(),
  }),
  issue: body({ count: z.number().int().min(1).max(500), sessionId: id.optional(), channel: z.enum(['screen', 'sheet']).optional() }),
  settle: body({ reason: z.string().max(2000).optional() }),
  print: body({
    type: z.enum(FORM_TYPES),
    count: z.number().int().min(1).max(200).optional(),
    numbers: z.array(id).min(1).max(200).optional(),
    sessionId: id.optional(),
    department: id.optional(),
    paper: z.enum(['A4', 'A5']).optional(),
  }),
  register: body({
    serial: z.string().min(1).max(60).optional(),
    sessionId: id.optional(),
    recordType: z.enum(RECORD_TYPES).optional(),
    tempNumber: z.string().max(40).optional(),
    eventAt: isoTime.optional(),
    mi: z.boolean().optional(),
    note: z.string().max(2000).optional(),
  }),
  enter: body({
    hospitalId: z.string().trim().min(1).max(100),
    eventAt: isoTime.optional(),
    charged: z.boolean().optional(),
    chargeRef: z.string().max(100).optional(),
    note: z.string().max(2000).optional(),
  }),
  charge: body({ state: z.enum(['charged', 'exempt']), ref: z.string().max(100).optional(), reason: z.string().max(2000).optional() }),
  mi: body({ status: z.enum(MI_STATUSES) }),
  voidItem: body({ reason: z.string().min(1).max(2000) }),
  printQuery: z.object({ paper: z.enum(['A4', 'A5']).optional() }),
  blocksQuery: z.object({ department: id.optional(), kind: z.enum(NUMBER_KINDS).optional() }),
  exportQuery: z.object({ incident: id.optional(), from: isoTime.optional(), to: isoTime.optional() }),
};

type Params = { Params: { id: string } };

// ---- response bodies put together here (the records themselves: views.ts) ----
/** GET /api/v1/downtime/catalogue: the plan's departments and business lines, the printable forms and the fixed lists. */
export interface DowntimeCatalogue {
  departments: Department[];
  businessLines: BusinessLine[];
  forms: FormSpec[];
  numberKinds: readonly NumberKind[];
  recordTypes: readonly RecordType[];
  tallyCategories: readonly DowntimeTallyCategory[];
  lateEntryWithin: string;
  /** the plan's `retention` section as written */
  retention: unknown;
}
type Overview = Awaited<ReturnType<typeof incidentOverview>>;
/** POST /api/v1/incidents/:id/downtime/tally: the incident's summed tallies and the new overview. */
export interface TallyResponse {
  tallies: Awaited<ReturnType<typeof reportTally>>;
  overview: Overview;
}
/** POST /api/v1/incidents/:id/downtime/waiver: how many sessions were waived and the new overview. */
export interface WaiverResponse {
  waived: number;
  overview: Overview;
}
/** GET /api/v1/downtime/blocks */
export interface BlockListResponse {
  items: Awaited<ReturnType<typeof listBlocks>>;
}
/** POST /api/v1/downtime/blocks/:id/issue */
export interface IssueNumbersResponse {
  items: ReturnType<typeof numberView>[];
}
/** POST /api/v1/downtime/forms: the print batch, the URL of its print view and the forms. */
export interface PrintFormsResponse {
  batch: string;
  printUrl: string;
  items: ReturnType<typeof formView>[];
}
/** POST /api/v1/downtime/numbers/:id/void|return */
export interface OkResponse {
  ok: true;
}

/** The downtime API, the print views, the offline kit and the web app's downtime pages; one line in src/http/extensions.ts. */
export async function downtimeRoutes(app: FastifyInstance, ctx: DowntimeContext): Promise<void> {
  apiRoutes(app, ctx);
  await kitRoutes(app, ctx);
}

function apiRoutes(app: FastifyInstance, ctx: DowntimeContext): void {
  const { plan } = ctx;
  app.get(
    '/api/v1/downtime/catalogue',
    read,
    async () =>
      ({
        departments: plan.departments ?? [],
        businessLines: plan.business_lines ?? [],
        forms: FORM_TYPES.map((t) => {
          const { layout: _layout, ...spec } = FORMS[t];
          return spec;
        }),
        numberKinds: NUMBER_KINDS,
        recordTypes: RECORD_TYPES,
        tallyCategories: DOWNTIME_TALLY_CATEGORIES,
        lateEntryWithin: plan.downtime?.late_entry_within ?? 'PT6H',
        retention: plan.retention ?? {},
      }) satisfies DowntimeCatalogue,
  );

  // ---- per incident ----
  app.get<Params>('/api/v1/incidents/:id/downtime', read, async (req) => incidentOverview(ctx, req.params.id));
  app.post<Params>('/api/v1/incidents/:id/downtime/sessions', operate, async (req, reply) => {
    const b = parseInput(schemas.session, req.body);
    const sid = await startSession(ctx, req.params.id, b, actorOf(req, b.by));
    return reply.status(201).send(await sessionDetail(ctx, sid));
  });
  app.post<Params>('/api/v1/incidents/:id/downtime/tally', operate, async (req) => {
    const b = parseInput(schemas.tally, req.body);
    const sums = await reportTally(ctx, req.params.id, { department: b.department, counts: b.counts }, actorOf(req, b.by));
    return { tallies: sums, overview: await incidentOverview(ctx, req.params.id) } satisfies TallyResponse;
  });
  app.post<Params>('/api/v1/incidents/:id/downtime/waiver', { config: { permission: DOWNTIME_PERMISSIONS.waive } }, async (req) => {
    const b = parseInput(schemas.waiver, req.body);
    const waived = await waive(ctx, req.params.id, b, actorOf(req, b.by));
    return { waived, overview: await incidentOverview(ctx, req.params.id) } satisfies WaiverResponse;
  });

  // ---- sessions ----
  app.get<Params>('/api/v1/downtime/sessions/:id', read, async (req) => sessionDetail(ctx, req.params.id));
  app.post<Params>('/api/v1/downtime/sessions/:id/state', operate, async (req) => {
    const b = parseInput(schemas.state, req.body);
    await moveSession(ctx, req.params.id, b.to, actorOf(req, b.by), b.reason);
    return sessionDetail(ctx, req.params.id);
  });
  app.post<Params>('/api/v1/downtime/sessions/:id/reconcile', verify, async (req) => {
    const b = parseInput(schemas.reconcile, req.body ?? {});
    await moveSession(ctx, req.params.id, 'reconciled', actorOf(req, b.by));
    return sessionDetail(ctx, req.params.id);
  });
  app.post<Params>('/api/v1/downtime/sessions/:id/checklist', operate, async (req) => {
    const b = parseInput(schemas.step, req.body);
    await markStep(ctx, req.params.id, b, actorOf(req, b.by));
    return sessionDetail(ctx, req.params.id);
  });

  // ---- numbers ----
  app.get('/api/v1/downtime/blocks', read, async (req) => ({ items: await listBlocks(ctx, parseInput(schemas.blocksQuery, req.query, 'query')) }) satisfies BlockListResponse);
  app.post('/api/v1/downtime/blocks', operate, async (req, reply) => {
    const b = parseInput(schemas.block, req.body);
    const block = await createBlock(ctx, b, actorOf(req, b.by));
    return reply.status(201).send((await listBlocks(ctx)).find((x) => x.id === block.id));
  });
  app.post<Params>('/api/v1/downtime/blocks/:id/issue', operate, async (req, reply) => {
    const b = parseInput(schemas.issue, req.body);
    const numbers = await issueNumbers(ctx, req.params.id, b, actorOf(req, b.by));
    return reply.status(201).send({ items: numbers.map(numberView) } satisfies IssueNumbersResponse);
  });
  app.post<Params>('/api/v1/downtime/blocks/:id/retire', operate, async (req) => {
    const b = parseInput(schemas.settle, req.body ?? {});
    await retireBlock(ctx, req.params.id, actorOf(req, b.by));
    return (await listBlocks(ctx)).find((x) => x.id === req.params.id);
  });
  for (const [action, state] of [
    ['void', 'void'],
    ['return', 'returned'],
  ] as const) {
    app.post<Params>(`/api/v1/downtime/numbers/:id/${action}`, operate, async (req) => {
      const b = parseInput(schemas.settle, req.body ?? {});
      await settleNumber(ctx, req.params.id, state, b.reason, actorOf(req, b.by));
      return { ok: true } satisfies OkResponse;
    });
  }

  // ---- forms ----
  app.post('/api/v1/downtime/forms', operate, async (req, reply) => {
    const b = parseInput(schemas.print, req.body);
    const { batch, forms } = await printForms(ctx, b, actorOf(req, b.by));
    return reply.status(201).send({ batch, printUrl: `/api/v1/downtime/print/${batch}`, items: forms.map((f) => formView(f)) } satisfies PrintFormsResponse);
  });
  app.get<{ Params: { serial: string } }>('/api/v1/downtime/forms/:serial', read, async (req) => lookupSerial(ctx, req.params.serial));
  for (const [action, state] of [
    ['void', 'void'],
    ['file', 'filed'],
  ] as const) {
    app.post<{ Params: { serial: string } }>(`/api/v1/downtime/forms/:serial/${action}`, operate, async (req) => {
      const b = parseInput(schemas.settle, req.body ?? {});
      await settleForm(ctx, req.params.serial, state, b.reason, actorOf(req, b.by));
      return lookupSerial(ctx, req.params.serial);
    });
  }
  app.get<{ Params: { batch: string } }>('/api/v1/downtime/print/:batch', read, async (req, reply) => {
    const q = parseInput(schemas.printQuery, req.query, 'query');
    const forms = await batchForms(ctx, req.params.batch);
    const incident = forms[0].incident_id ? await loadIncident(ctx.db, forms[0].incident_id) : undefined;
    const html = await renderForms(
      plan,
      forms.map((f) => ({
        type: f.form_type as FormType,
        serial: f.serial,
        qr: scanUrl(ctx, f.serial),
        number: f.number,
        department: f.department,
        businessLine: f.business_line,
        incident: incident ? incident.title.slice(0, 24) : null,
        printed: `${localTime(ctx, f.printed_at)} · ${f.printed_by}`,
        drill: incident?.drill_run_id != null,
      })),
      { paper: q.paper ?? (forms[0].paper as 'A4' | 'A5') },
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  // ---- back-entry ----
  app.post('/api/v1/downtime/items', operate, async (req, reply) => {
    const b = parseInput(schemas.register, req.body);
    return reply.status(201).send(itemView(await registerItem(ctx, b, actorOf(req, b.by))));
  });
  const itemAction = <S extends z.ZodTypeAny>(path: string, schema: S, opts: Declared, run: (id: string, b: z.infer<S>, actor: string) => Promise<void>) =>
    app.post<Params>(`/api/v1/downtime/items/:id/${path}`, opts, async (req) => {
      const b = parseInput(schema, req.body ?? {});
      await run(req.params.id, b, actorOf(req, (b as { by?: string }).by));
      const row = await ctx.db.selectFrom('downtime_items').selectAll().where('id', '=', req.params.id).executeTakeFirstOrThrow();
      return itemView(row);
    });
  itemAction('enter', schemas.enter, operate, (id, b, actor) => enterItem(ctx, id, b, actor));
  itemAction('verify', body({}), verify, (id, _b, actor) => verifyItem(ctx, id, actor));
  itemAction('void', schemas.voidItem, operate, (id, b, actor) => voidItem(ctx, id, b.reason, actor));
  itemAction('charge', schemas.charge, operate, (id, b, actor) => chargeItem(ctx, id, b, actor));
  itemAction('mi', schemas.mi, operate, (id, b, actor) => setMiStatus(ctx, id, b.status, actor));
  itemAction('merged', body({}), operate, (id, _b, actor) => markMerged(ctx, id, actor));

  // ---- retention: export, never delete ----
  app.get('/api/v1/downtime/export', read, async (req, reply) => {
    const q = parseInput(schemas.exportQuery, req.query, 'query');
    if (q.incident !== undefined) await loadIncident(ctx.db, q.incident); // 404 INCIDENT_NOT_FOUND for an unknown one
    const data = await exportRecords(ctx, q);
    return reply.header('content-disposition', attachmentDisposition(`lifeline-downtime-${q.incident ?? 'all'}.json`)).send(data);
  });
  const refuse = async (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(405)
      .header('allow', 'GET, POST')
      .type('application/problem+json')
      .send({
        type: 'https://lifeline.local/problems/retained-never-deleted',
        title: 'Method Not Allowed',
        status: 405,
        code: 'RETAINED_NEVER_DELETED',
        detail: 'downtime records are medical records kept for 15/30 years: they are never deleted; void them with a reason instead',
        instance: req.url,
      } satisfies ProblemBody);
  for (const url of ['/api/v1/downtime/*', '/api/v1/incidents/:id/downtime', '/api/v1/incidents/:id/downtime/*']) {
    app.route({ method: ['DELETE', 'PUT', 'PATCH'], url, config: { public: true }, handler: refuse });
  }
}
