import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkJsonShape, parseInput } from '../shared/parse-input.js';
import type { EventBus } from '../events/bus.js';
import type { Clock } from '../shared/clock.js';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../shared/errors.js';
import { INTAKE_BODY_INVALID, type IntakeFormat, type IntakeKind } from './format.js';
import { alertmanager, generic, grafana, nagios, pagerduty, pagerDutyReply, zabbix } from './formats/index.js';
import { createMaintenanceSchema, listMaintenanceSchema, maintenanceView } from './maintenance.js';
import type { IntakeService } from './service.js';
import { KEY_PLACEHOLDER, sourceSetup, type SourceSetup } from './snippets.js';
import { createSourceSchema, sourceSends, sourceView, updateSourceSchema, type Source } from './sources.js';

/** POST /api/v1/sources and POST /api/v1/sources/:name/key: the source, its key and the set-up texts with it, this once. */
export type SourceCreatedResponse = ReturnType<typeof sourceView> & { key: string; setup: SourceSetup };
/** GET /api/v1/sources */
export interface SourceListResponse {
  items: ReturnType<typeof sourceView>[];
}
/** GET /api/v1/maintenance */
export interface MaintenanceListResponse {
  items: ReturnType<typeof maintenanceView>[];
}

/** The credentials a request carries: `Authorization: Bearer KEY`, or Basic with the key as password. */
export function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme!)) return value;
  if (/^basic$/i.test(scheme!)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/**
 * Intake endpoints, the sources and maintenance API; registered through src/http/extensions.ts.
 * Who may use what is declared per route (`config`) for the server's one permission check (src/auth/hook.ts):
 * intake endpoints are public — they authenticate their sender by its source key themselves — and the
 * management routes name their permission. Without the auth hook (unit tests) they are open.
 */
/** `publicUrlOf`: this server's address as monitoring tools reach it (the set-up texts). */
export interface IntakeRouteDeps {
  intake: IntakeService;
  bus: EventBus;
  clock: Clock;
  publicUrlOf: (request: FastifyRequest) => string;
}

export async function intakeRoutes(app: FastifyInstance, deps: IntakeRouteDeps): Promise<void> {
  await app.register(async (scope) => intakeEndpoints(scope, deps.intake));
  await app.register(async (scope) => managementRoutes(scope, deps));
}

async function authenticate(intake: IntakeService, key: string | undefined, kind: IntakeKind | 'heartbeat'): Promise<Source> {
  const heartbeat = kind === 'heartbeat';
  let source: Source | null;
  try {
    source = await intake.sources.authenticate(key);
  } catch (err) {
    throw new UnavailableError(`source lookup failed: ${(err as Error).message}`);
  }
  if (!key) throw new UnauthorizedError('an intake key is required: Authorization: Bearer KEY', 'INTAKE_KEY_MISSING');
  if (!source) throw new UnauthorizedError('unknown or revoked intake key', 'INTAKE_KEY_INVALID');
  if (heartbeat !== (source.type === 'heartbeat')) {
    throw new UnauthorizedError(heartbeat ? 'this key is not a heartbeat source' : 'a heartbeat key only beats (/api/v1/heartbeat/KEY)', 'INTAKE_KEY_INVALID');
  }
  if (kind !== 'heartbeat' && !sourceSends(source, kind)) {
    throw new ForbiddenError(`source ${source.name} is a ${source.type} source: its key posts to the ${source.type} endpoint only, not ${kind}`, 'SOURCE_FORMAT_MISMATCH');
  }
  return source;
}

const unauthorized = (reply: FastifyReply) => reply.header('www-authenticate', 'Bearer realm="lifeline-intake"');

/**
 * Intake bodies stay text: the journal reads them (off the main thread on the file journal), and a body that
 * is not JSON, nests too deep or holds a prototype key however spelled is named as the problem there
 * (parseIntake checks the parsed value: the text alone cannot tell an escaped `"\u005f_proto__"`).
 */
function intakeBodyParsers(scope: FastifyInstance): void {
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

function intakeEndpoints(scope: FastifyInstance, intake: IntakeService): void {
  intakeBodyParsers(scope);
  scope.addHook('onError', async (_request, reply, error) => {
    if (error instanceof UnauthorizedError) unauthorized(reply);
  });

  const webhook = (path: string, format: IntakeFormat<unknown>) =>
    scope.post(path, { config: { public: true } }, async (request, reply) => {
      const source = await authenticate(intake, bearerKey(request), format.kind);
      const body = request.body;
      const { accepted } = typeof body === 'string' && body !== '' ? await intake.accept(source, format, body) : { accepted: (await intake.ingest(source, format, body)).signals.length };
      return reply.status(202).send({ status: 'accepted', accepted });
    });
  webhook('/api/v1/intake/alertmanager', alertmanager);
  webhook('/api/v1/intake/zabbix', zabbix);
  webhook('/api/v1/intake/nagios', nagios);
  webhook('/api/v1/intake/grafana', grafana);
  webhook('/api/v1/intake/generic', generic);

  // Alertmanager API v2: Prometheus, vmalert and Grafana name Lifeline as their Alertmanager. 200, empty, like Alertmanager.
  scope.post('/api/v2/alerts', { config: { public: true } }, async (request, reply) => {
    const source = await authenticate(intake, bearerKey(request), 'alertmanager-v2');
    await intake.alertsV2(source, typeof request.body === 'string' ? safeJson(request.body) : request.body);
    return reply.status(200).send('');
  });

  // PagerDuty Events API v2: routing_key is the source key; answers like PagerDuty (202 success/dedup_key).
  scope.post('/v2/enqueue', { config: { public: true } }, async (request, reply) => {
    const body = typeof request.body === 'string' ? safeJson(request.body) : request.body;
    const routingKey = typeof body === 'object' && body !== null && typeof (body as { routing_key?: unknown }).routing_key === 'string' ? (body as { routing_key: string }).routing_key : undefined;
    const source = await authenticate(intake, routingKey ?? bearerKey(request), 'pagerduty');
    const { signals } = await intake.ingest(source, pagerduty, body);
    return reply.status(202).send(pagerDutyReply(signals));
  });

  // Dead-man switch: GET or POST /api/v1/heartbeat/KEY (curl -fsS https://…/api/v1/heartbeat/KEY from cron).
  const heartbeatBody = z.preprocess((v) => (v === undefined || v === null || v === '' ? {} : v), z.object({ message: z.string().max(2000).optional() }).strict());
  const beat = async (request: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply) => {
    const source = await authenticate(intake, request.params.key, 'heartbeat');
    const raw = typeof request.body === 'string' && request.body.trim() !== '' ? safeJson(request.body) : request.body;
    const body = parseInput(heartbeatBody, raw);
    const { dueAt, resolved } = await intake.beat(source, body.message);
    return reply.status(200).send({ status: 'ok', source: source.name, nextBeatBy: new Date(dueAt).toISOString(), resolved });
  };
  scope.get('/api/v1/heartbeat/:key', { config: { public: true } }, beat);
  scope.post('/api/v1/heartbeat/:key', { config: { public: true } }, beat);
}

/**
 * Text that is not JSON stays text, so that validation names the body as the problem; JSON that nests too deep
 * or holds a prototype key is refused here (400), before the routing key is read or a schema walks it.
 */
function safeJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  checkJsonShape(value, INTAKE_BODY_INVALID);
  return value;
}

function managementRoutes(scope: FastifyInstance, { intake, bus, clock, publicUrlOf }: IntakeRouteDeps): void {
  const setup = (request: FastifyRequest, source: Source, key = KEY_PLACEHOLDER) => sourceSetup(source, { publicUrl: publicUrlOf(request), key });
  // The key (and the set-up texts with it) is answered on creation and on a new key only: the store keeps its hash.
  scope.post('/api/v1/sources', { config: { permission: 'source.manage' } }, async (request, reply) => {
    const input = parseInput(createSourceSchema, request.body);
    const { source, key } = await intake.sources.create(input);
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .send({ ...sourceView(source), key, setup: setup(request, source, key) } satisfies SourceCreatedResponse);
  });
  scope.get<{ Params: { name: string } }>('/api/v1/sources/:name/setup', { config: { permission: 'source.manage' } }, async (request) => setup(request, await intake.sources.get(request.params.name)));
  scope.post<{ Params: { name: string } }>('/api/v1/sources/:name/key', { config: { permission: 'source.manage' } }, async (request, reply) => {
    const { source, key } = await intake.sources.rotateKey(request.params.name);
    return reply.header('cache-control', 'no-store').send({ ...sourceView(source), key, setup: setup(request, source, key) } satisfies SourceCreatedResponse);
  });
  scope.get('/api/v1/sources', { config: { permission: 'source.read' } }, async () => ({ items: (await intake.sources.list()).map(sourceView) }) satisfies SourceListResponse);
  scope.get<{ Params: { name: string } }>('/api/v1/sources/:name', { config: { permission: 'source.read' } }, async (request) => sourceView(await intake.sources.get(request.params.name)));
  scope.patch<{ Params: { name: string } }>('/api/v1/sources/:name', { config: { permission: 'source.manage' } }, async (request) =>
    sourceView(await intake.sources.update(request.params.name, parseInput(updateSourceSchema, request.body))),
  );
  scope.delete<{ Params: { name: string } }>('/api/v1/sources/:name', { config: { permission: 'source.manage' } }, async (request) => sourceView(await intake.sources.revoke(request.params.name)));

  scope.post('/api/v1/maintenance', { config: { permission: 'maintenance.manage' } }, async (request, reply) => {
    const row = await intake.maintenance.create(parseInput(createMaintenanceSchema, request.body), request.principal?.name);
    bus.publish({ type: 'maintenance.changed', at: clock.now() });
    return reply.status(201).send(maintenanceView(row));
  });
  scope.get('/api/v1/maintenance', { config: { permission: 'maintenance.read' } }, async (request) => {
    const { state } = parseInput(listMaintenanceSchema, request.query, 'query');
    return { items: (await intake.maintenance.list(state)).map(maintenanceView) } satisfies MaintenanceListResponse;
  });
  scope.delete<{ Params: { id: string } }>('/api/v1/maintenance/:id', { config: { permission: 'maintenance.manage' } }, async (request) =>
    maintenanceView(await intake.maintenance.cancel(request.params.id)),
  );
}
