/**
 * Turning the engine's page requests (a role, a reason, an instant) into pages and outbox rows, inside the
 * transaction of the event that caused them (EngineHooks.onPages): who holds the role at that instant (the
 * duty roster), which channels reach that person, and — when the holder cannot be reached at all (inactive,
 * or no address for any channel) — the deputies in order. Idempotent: a cause pages a person once (page
 * key), once per channel and round (delivery key), so the same request written twice changes nothing.
 */
import type { PageRequest } from '../obligations/breach.js';
import { whoHolds } from '../people/oncall.js';
import { loadOncallData, personFromRow } from '../people/store.js';
import { appendChained, type Trx, type TimelineTable, type Db, type NotifyDeliveriesTable, type NotifyPagesTable } from '../storage/index.js';
import type { Person } from '../people/types.js';
import type { Plan } from '../plan/types.js';
import { newId } from '../shared/ids.js';
import type { TimelineKind, UnreachableWhy } from '../shared/timeline-kinds.js';
import type { NotifyConfig } from './config.js';

const CHUNK = 400;
export const PAGING_ACTOR = 'paging';

/** The step of a cause: what a page key and its timeline entries name. Level notices and escalations to a level share `level:Lx`. */
export function stepOf(req: Pick<PageRequest, 'reason' | 'obligationId' | 'at'>, plan: Plan): string {
  const [kind, ...rest] = req.reason.split(':');
  const arg = rest.join(':');
  if (kind === 'incident.opened') return 'opened';
  if (kind === 'obligation.breached') return `breach:${arg}:${req.obligationId ?? req.at}`;
  if (kind === 'level.reached') return `level:${arg}`;
  if (kind === 'escalation') {
    const level = plan.escalations.find((e) => e.id === arg)?.then.set_level_at_least;
    return level ? `level:${level}` : `escalation:${arg}`;
  }
  return `${req.reason}@${req.at}`;
}

/** The channels that reach a person in a role: the role's list, else the person's own, else the default. */
export function channelsFor(
  person: Pick<Person, 'channels' | 'mobile' | 'email' | 'wecomUserId' | 'dingtalkUserId' | 'feishuOpenId'>,
  role: string,
  config: NotifyConfig,
): { use: string[]; lacking: string[] } {
  const wanted = config.routing.roles[role]?.length ? config.routing.roles[role] : person.channels?.length ? person.channels : config.routing.default;
  const use: string[] = [];
  const lacking: string[] = [];
  for (const id of wanted) {
    const ch = config.channels.get(id);
    if (!ch) continue;
    if (ch.address && !person[ch.address as keyof typeof person]) lacking.push(id);
    else if (!use.includes(id)) use.push(id);
  }
  return { use, lacking };
}

export interface PageSeed {
  incidentId: string | null;
  step: string;
  reason: string;
  role: string;
  obligationId: string | null;
  at: number;
}

export interface WriteContext {
  plan: Plan;
  config: NotifyConfig;
  timezone: string;
  now: number;
}

interface Planned {
  page: NotifyPagesTable;
  deliveries: NotifyDeliveriesTable[];
  note: TimelineTable;
}

const incKey = (id: string | null) => id ?? '-';

/**
 * Plans the page of one person for a cause, and, when that person cannot be reached at all, the deputy
 * behind them (recursively). `people` must hold every person named.
 */
export function planPerson(
  seed: PageSeed,
  personId: string,
  rank: number,
  deputies: string[],
  parent: { id: string; name: string; vacantRole?: string } | null,
  people: ReadonlyMap<string, Person>,
  ctx: WriteContext,
  out: Planned[],
): void {
  const person = people.get(personId);
  const step = rank === 0 ? seed.step : `${seed.step}~d${rank}`;
  const { use, lacking } = person ? channelsFor(person, seed.role, ctx.config) : { use: [], lacking: [] };
  const noChannels = ctx.config.channels.size === 0;
  const state = noChannels ? 'no_channels' : !person?.active ? 'unreachable' : use.length === 0 ? 'unreachable' : 'queued';
  const policy = ctx.config.repeat.roles[seed.role] ?? ctx.config.repeat.default;
  const page: NotifyPagesTable = {
    id: newId('pg_'),
    key: `${incKey(seed.incidentId)}|${step}|${personId}`,
    incident_id: seed.incidentId,
    step,
    reason: seed.reason,
    role: seed.role,
    person_id: personId,
    obligation_id: seed.obligationId,
    deputy_rank: rank,
    parent_id: parent?.id ?? null,
    deputies: JSON.stringify(deputies),
    channels: JSON.stringify(use),
    state,
    round: state === 'queued' ? 1 : 0,
    repeat_every: policy.everyMs,
    repeat_limit: policy.limit,
    next_repeat_at: state === 'queued' && policy.limit > 1 ? ctx.now + policy.everyMs : null,
    message: null,
    at: seed.at,
    created_at: ctx.now,
    acked_at: null,
    expires_at: ctx.now + ctx.config.linkTtlMs,
  };
  const name = person?.name ?? personId;
  const why: UnreachableWhy | undefined = !person ? 'not_in_directory' : !person.active ? 'inactive' : use.length === 0 ? 'no_address' : undefined;
  const whyText = why === 'not_in_directory' ? 'not in the directory' : why === 'inactive' ? 'marked inactive' : `no address for ${lacking.join(', ') || 'any channel'}`;
  // deputyFor: the person stood in for, or null with deputyForRole when nobody held the role
  const data = {
    role: seed.role,
    step,
    person: personId,
    name,
    channels: use,
    deputyRank: rank,
    deputyFor: parent && !parent.vacantRole ? parent.name : null,
    deputyForRole: parent?.vacantRole ?? null,
    reason: seed.reason,
    why,
    lacking,
    deputies: deputies.length,
  };
  const message =
    state === 'queued'
      ? `page ${name} (${seed.role}) via ${use.join(', ')}${parent ? ` for ${parent.name}` : ''}: ${seed.reason}`
      : state === 'no_channels'
        ? `not paged ${name} (${seed.role}): no paging channel is configured`
        : `cannot page ${name} (${seed.role}): ${whyText}${deputies.length ? '; paging the deputy' : '; no deputy left'}`;
  out.push({
    page,
    deliveries: state === 'queued' ? deliveriesOf(page, use, 1, ctx, seed.at) : [],
    note: {
      id: newId('tl_'),
      incident_id: seed.incidentId,
      at: ctx.now,
      actor: PAGING_ACTOR,
      kind: (state === 'queued' ? 'page.queued' : state === 'no_channels' ? 'page.not_sent' : 'page.unreachable') satisfies TimelineKind,
      message,
      data: JSON.stringify(data),
    },
  });
  if (state === 'unreachable' && deputies.length) planPerson(seed, deputies[0], rank + 1, deputies.slice(1), { id: page.id, name }, people, ctx, out);
}

export function deliveriesOf(
  page: Pick<NotifyPagesTable, 'id' | 'incident_id' | 'step' | 'person_id'>,
  channels: string[],
  round: number,
  ctx: Pick<WriteContext, 'config' | 'now'>,
  at: number,
): NotifyDeliveriesTable[] {
  return channels.map((channel) => ({
    id: newId('dlv_'),
    key: `${incKey(page.incident_id)}|${page.step}#${round}|${channel}|${page.person_id}`,
    page_id: page.id,
    incident_id: page.incident_id,
    person_id: page.person_id!,
    channel,
    kind: ctx.config.channels.get(channel)!.kind,
    round,
    status: 'pending',
    attempts: 0,
    next_at: Math.min(at, ctx.now),
    created_at: ctx.now,
    sent_at: null,
    last_error: null,
    provider_ref: null,
    digest_id: null,
  }));
}

async function peopleRows(db: Db, ids: string[]): Promise<Map<string, Person>> {
  const out = new Map<string, Person>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('people')
      .selectAll()
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .execute())
      out.set(r.id, personFromRow(r));
  }
  return out;
}

/** Writes the planned pages whose keys are new, their deliveries and timeline notes. Returns the pages written. */
export async function savePlanned(db: Db, planned: Planned[]): Promise<NotifyPagesTable[]> {
  const unique = new Map<string, Planned>();
  for (const p of planned) if (!unique.has(p.page.key)) unique.set(p.page.key, p);
  const keys = [...unique.keys()];
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('notify_pages')
      .select('key')
      .where('key', 'in', keys.slice(i, i + CHUNK))
      .execute())
      unique.delete(r.key);
  }
  const fresh = [...unique.values()];
  const pages = fresh.map((p) => p.page);
  const deliveries = fresh.flatMap((p) => p.deliveries);
  const notes = fresh.map((p) => p.note);
  for (let i = 0; i < pages.length; i += 100)
    await db
      .insertInto('notify_pages')
      .values(pages.slice(i, i + 100))
      .execute();
  for (let i = 0; i < deliveries.length; i += 100)
    await db
      .insertInto('notify_deliveries')
      .values(deliveries.slice(i, i + 100))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  await appendChained(db, 'timeline', notes);
  return pages;
}

/** The engine hook's work: resolve each request to people and write pages and outbox rows in `trx`. */
export async function writePages(trx: Trx, requests: PageRequest[], ctx: WriteContext): Promise<NotifyPagesTable[]> {
  const db = trx;
  if (requests.length === 0) return [];
  const from = requests.reduce((m, r) => Math.min(m, r.at), Infinity);
  const to = requests.reduce((m, r) => Math.max(m, r.at), -Infinity);
  const data = await loadOncallData(trx, ctx.timezone, { from: from - 1, to: to + 1 });
  const resolved = requests.map((req) => ({ req, holding: whoHolds(req.role, req.at, data) }));
  const people = await peopleRows(
    db,
    resolved.flatMap((r) => [...r.holding.personIds, ...r.holding.deputies]),
  );
  const planned: Planned[] = [];
  for (const { req, holding } of resolved) {
    const seed: PageSeed = { incidentId: req.incidentId, step: stepOf(req, ctx.plan), reason: req.reason, role: req.role, obligationId: req.obligationId ?? null, at: req.at };
    if (holding.personIds.length === 0) {
      planned.push(unstaffed(seed, holding.deputies, ctx));
      if (holding.deputies.length)
        planPerson(seed, holding.deputies[0], 1, holding.deputies.slice(1), { id: planned.at(-1)!.page.id, name: `(${req.role})`, vacantRole: req.role }, people, ctx, planned);
      continue;
    }
    for (const id of holding.personIds) planPerson(seed, id, 0, holding.deputies, null, people, ctx, planned);
  }
  return savePlanned(db, planned);
}

function unstaffed(seed: PageSeed, deputies: string[], ctx: WriteContext): Planned {
  const page: NotifyPagesTable = {
    id: newId('pg_'),
    key: `${incKey(seed.incidentId)}|${seed.step}|-${seed.role}`, // one per vacant role: a step may page several roles nobody holds
    incident_id: seed.incidentId,
    step: seed.step,
    reason: seed.reason,
    role: seed.role,
    person_id: null,
    obligation_id: seed.obligationId,
    deputy_rank: 0,
    parent_id: null,
    deputies: JSON.stringify(deputies),
    channels: '[]',
    state: 'unstaffed',
    round: 0,
    repeat_every: 0,
    repeat_limit: 0,
    next_repeat_at: null,
    message: null,
    at: seed.at,
    created_at: ctx.now,
    acked_at: null,
    expires_at: ctx.now,
  };
  return {
    page,
    deliveries: [],
    note: {
      id: newId('tl_'),
      incident_id: seed.incidentId,
      at: ctx.now,
      actor: PAGING_ACTOR,
      kind: 'page.unstaffed' satisfies TimelineKind,
      message: `nobody holds ${seed.role} at this time${deputies.length ? '; paging its deputies' : ' and it has no deputy'}: ${seed.reason}`,
      data: JSON.stringify({ role: seed.role, step: seed.step, reason: seed.reason, deputies: deputies.length }),
    },
  };
}

export type { Planned };
