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
import type { DowntimeKitsTable } from './tables.js';
import { DOWNTIME_PERMISSIONS } from './types.js';

const WEB_INDEX = path.resolve(fileURLToPath(new URL('../../web/dist/index.html', import.meta.url)));
/** A PWA kit's reserved serials are reused for a day, then a new kit (new serial block) is generated. */
export const PWA_KIT_LIFETIME_MS = Day.ms;
const BUILD_TTL_MS = Minute.ms;

/** Reads whatever shape GET /api/v1/oncall/now answers with (a list or { items }) into kit contacts. */
export function parseOnCall(body: unknown): KitContact[] {
  const list = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown })?.items) ? (body as { items: unknown[] }).items : [];
  return list.flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const e = raw as Record<string, unknown>;
    const person = typeof e.person === 'object' && e.person !== null ? (e.person as Record<string, unknown>) : undefined;
    const name = typeof e.person === 'string' ? e.person : String(person?.name ?? e.name ?? '—');
    const phone = [person?.phone, person?.mobile, e.phone, e.mobile].find((x) => typeof x === 'string') as string | undefined;
    return [{ role: typeof e.role === 'string' ? e.role : undefined, roleName: e.roleName as Text | undefined, name, phone, until: typeof e.until === 'string' ? e.until : undefined }];
  });
}

/** The on-call rota as the asking user may see it (their cookie or token is passed on); empty with the reason otherwise. */
export async function fetchContacts(app: FastifyInstance, request?: FastifyRequest): Promise<KitContacts> {
  const headers: Record<string, string> = {};
  for (const h of ['cookie', 'authorization'] as const) if (typeof request?.headers[h] === 'string') headers[h] = request.headers[h] as string;
  try {
    const res = await app.inject({ method: 'GET', url: '/api/v1/oncall/now', headers });
    if (res.statusCode !== 200) return { source: `GET /api/v1/oncall/now → ${res.statusCode}`, entries: [] };
    return { source: 'GET /api/v1/oncall/now', entries: parseOnCall(res.json()) };
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

  const currentKit = (actor: string): Promise<DowntimeKitsTable> => lock.run(async () => {
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
