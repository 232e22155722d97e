import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Mutex } from '../shared/mutex.js';
import { Day, Minute } from '../shared/time.js';
import type { Text } from '../plan/types.js';
import type { DowntimeContext } from './context.js';
import { createKit } from './forms.js';
import { buildKit, type KitContact, type KitContacts, type KitFile } from './kit.js';
import type { DowntimeKitsTable } from '../storage/index.js';
import { DOWNTIME_PERMISSIONS } from './types.js';

const WEB_INDEX = path.resolve(fileURLToPath(new URL('../../web/dist/index.html', import.meta.url)));
/** A PWA kit's reserved serials are reused for a day, then a new kit (new serial block) is generated. */
export const PWA_KIT_LIFETIME_MS = Day.ms;
const BUILD_TTL_MS = Minute.ms;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const itemsOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : Array.isArray(obj(body)?.items) ? (obj(body)!.items as unknown[]) : []);

/** Reads GET /api/v1/oncall/now (a list or { items }; a person as an object, a name or null) into kit contacts. */
export function parseOnCall(body: unknown): (KitContact & { personId?: string; deputyIds: string[] })[] {
  return itemsOf(body).flatMap((raw) => {
    const e = obj(raw);
    if (!e) return [];
    const person = obj(e.person);
    const deputies = Array.isArray(e.deputies) ? e.deputies.map((d) => obj(d)) : [];
    return [
      {
        role: str(e.role),
        roleName: obj(e.roleName) as Text | undefined,
        name: str(e.person) ?? str(person?.name) ?? str(e.name) ?? '—',
        phone: str(person?.mobile) ?? str(person?.phone) ?? str(e.mobile) ?? str(e.phone),
        until: str(e.until),
        personId: str(person?.id),
        deputyIds: deputies.map((d) => str(d?.id)).filter((x): x is string => Boolean(x)),
        deputies: deputies.filter(Boolean).map((d) => ({ name: str(d!.name) ?? str(d!.id) ?? '—' })),
      },
    ];
  });
}

/**
 * The on-call rota as the asking user may see it (their cookie or token is passed on), with phone numbers from the
 * people directory when they may read it; empty, with the reason, otherwise.
 */
export async function fetchContacts(app: FastifyInstance, request?: FastifyRequest): Promise<KitContacts> {
  const headers: Record<string, string> = {};
  for (const h of ['cookie', 'authorization'] as const) if (typeof request?.headers[h] === 'string') headers[h] = request.headers[h] as string;
  const get = (url: string) => app.inject({ method: 'GET', url, headers });
  try {
    const res = await get('/api/v1/oncall/now');
    if (res.statusCode !== 200) return { source: `GET /api/v1/oncall/now → ${res.statusCode}`, entries: [] };
    const entries = parseOnCall(res.json());
    const people = await get('/api/v1/people');
    const phones = new Map<string, string>();
    if (people.statusCode === 200) {
      for (const raw of itemsOf(people.json())) {
        const p = obj(raw);
        const phone = str(p?.mobile) ?? str(p?.phone);
        if (p && str(p.id) && phone) phones.set(str(p.id)!, phone);
      }
    }
    return {
      source: `GET /api/v1/oncall/now${people.statusCode === 200 ? ' + /api/v1/people' : ` (phone numbers: /api/v1/people → ${people.statusCode})`}`,
      entries: entries.map(({ personId, deputyIds, ...c }) => ({
        ...c,
        phone: c.phone ?? (personId ? phones.get(personId) : undefined),
        deputies: c.deputies?.map((d, i) => ({ ...d, phone: phones.get(deputyIds[i] ?? '') })),
      })),
    };
  } catch (err) {
    return { source: `GET /api/v1/oncall/now failed: ${(err as Error).message}`, entries: [] };
  }
}

/**
 * The offline kit as the web app's service worker caches it (/downtime-kit/…), and the web app's downtime
 * pages (client-side routes under /downtime).
 */
export async function kitRoutes(app: FastifyInstance, ctx: DowntimeContext): Promise<void> {
  const lock = new Mutex();
  let built: { key: string; at: number; files: Map<string, KitFile> } | undefined;

  const currentKit = (actor: string): Promise<DowntimeKitsTable> =>
    lock.run(async () => {
      const since = ctx.clock.now() - PWA_KIT_LIFETIME_MS;
      const recent = await ctx.db.selectFrom('downtime_kits').selectAll().where('channel', '=', 'pwa').where('generated_at', '>', since).orderBy('generated_at', 'desc').executeTakeFirst();
      return recent ?? createKit(ctx, 'pwa', actor);
    });

  const kitFile = async (request: FastifyRequest, reply: FastifyReply, file: string) => {
    const actor = (request as { principal?: { name?: string } | null }).principal?.name ?? 'web';
    const kit = await currentKit(actor);
    const contacts = await fetchContacts(app, request);
    const key = `${kit.id}:${JSON.stringify(contacts)}`;
    const now = ctx.clock.now();
    if (!built || built.key !== key || now - built.at > BUILD_TTL_MS) {
      const files = await buildKit(ctx, kit, { contacts, generatedAt: now });
      built = { key, at: now, files: new Map(files.map((f) => [f.path, f])) };
    }
    const f = built.files.get(file);
    if (!f) return reply.callNotFound();
    return reply.type(f.type).header('cache-control', 'no-cache').header('x-lifeline-kit', kit.code).send(f.body);
  };

  const read = { config: { permission: DOWNTIME_PERMISSIONS.read } };
  app.get('/downtime-kit', { config: { public: true } }, async (_req, reply) => reply.redirect('/downtime-kit/'));
  app.get('/downtime-kit/', read, (req, reply) => kitFile(req, reply, 'index.html'));
  app.get('/downtime-kit/index.html', read, (req, reply) => kitFile(req, reply, 'index.html'));
  app.get('/downtime-kit/kit.json', read, (req, reply) => kitFile(req, reply, 'kit.json'));
  app.get<{ Params: { file: string } }>('/downtime-kit/forms/:file', read, (req, reply) => kitFile(req, reply, `forms/${req.params.file}`));

  // The web app's downtime pages are client-side routes: answer them with the app (when it is built).
  if (fs.existsSync(WEB_INDEX)) {
    const html = fs.readFileSync(WEB_INDEX);
    const page = async (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    app.get('/downtime', { config: { public: true } }, page);
    app.get('/downtime/*', { config: { public: true } }, page);
  }
}
