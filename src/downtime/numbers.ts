import { sql } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { inTransaction, openIncident, pad, record, retainUntil, type DowntimeContext } from './context.js';
import { sessionRow } from './sessions.js';
import type { DowntimeNumberBlocksTable, DowntimeNumbersTable, Trx } from '../storage/index.js';
import type { NumberKind } from './types.js';

const DEFAULT_PREFIX: Record<NumberKind, string> = { mrn: 'TM', visit: 'TV', receipt: 'TR' };
export const MAX_ISSUE = 500;

export const formatNumber = (prefix: string, width: number, seq: number) => `${prefix}${pad(seq, width)}`;

export interface CreateBlockInput {
  kind: NumberKind;
  start: number;
  end: number;
  department?: string;
  window?: string;
  prefix?: string;
  note?: string;
}

/** Pre-allocates a range of downtime numbers to a department or window. Ranges of one prefix never overlap. */
export async function createBlock(ctx: DowntimeContext, input: CreateBlockInput, actor: string): Promise<DowntimeNumberBlocksTable> {
  if (input.end < input.start) throw new ValidationError('the range ends before it starts', [{ path: 'end', message: 'must be ≥ start' }]);
  if (input.department && !ctx.plan.departments?.some((d) => d.id === input.department)) {
    throw new ValidationError(`unknown department ${input.department}`, [{ path: 'department', message: 'not a department of the plan' }]);
  }
  const setting = ctx.plan.downtime?.numbers?.[input.kind];
  const prefix = input.prefix ?? setting?.prefix ?? DEFAULT_PREFIX[input.kind];
  const width = Math.max(setting?.width ?? 6, String(input.end).length);
  return inTransaction(ctx, async (trx) => {
    // Two people allocating at once must not both pass the overlap check.
    if (ctx.dbKind === 'postgres') await sql`lock table downtime_number_blocks in share row exclusive mode`.execute(trx);
    const clash = await trx
      .selectFrom('downtime_number_blocks')
      .select(['id', 'range_start', 'range_end'])
      .where('prefix', '=', prefix)
      .where('range_start', '<=', input.end)
      .where('range_end', '>=', input.start)
      .executeTakeFirst();
    if (clash)
      throw new ConflictError(`${prefix} ${clash.range_start}–${clash.range_end} is already allocated (block ${clash.id})`, 'RANGE_OVERLAPS', [
        { path: 'start', message: 'overlaps another block' },
      ]).with({
        start: Number(clash.range_start),
        end: Number(clash.range_end),
      });
    const now = ctx.clock.now();
    const row: DowntimeNumberBlocksTable = {
      id: newId('dtb_'),
      kind: input.kind,
      prefix,
      width,
      range_start: input.start,
      range_end: input.end,
      next_seq: input.start,
      department: input.department ?? null,
      window_label: input.window ?? null,
      note: input.note ?? null,
      created_at: now,
      created_by: actor,
      retired_at: null,
    };
    await trx.insertInto('downtime_number_blocks').values(row).execute();
    await record(trx, now, {
      kind: 'downtime.block',
      actor,
      subject: row.id,
      data: { kind: row.kind, prefix, start: row.range_start, end: row.range_end, department: row.department, window: row.window_label },
    });
    return row;
  });
}

export interface IssueInput {
  count: number;
  /** The manual-mode session the numbers are used in; absent when printing sheets ahead of time. */
  sessionId?: string;
  channel?: 'screen' | 'sheet';
}

/**
 * Issues the next `count` numbers of a block. The block's counter moves in one conditional UPDATE … RETURNING
 * (a row lock on PostgreSQL), and every number is a unique row: a number is never issued twice.
 */
export async function issueNumbers(ctx: DowntimeContext, blockId: string, input: IssueInput, actor: string): Promise<DowntimeNumbersTable[]> {
  const n = input.count;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ISSUE) throw new ValidationError(`issue between 1 and ${MAX_ISSUE} numbers at a time`, [{ path: 'count', message: `1–${MAX_ISSUE}` }]);
  return inTransaction(ctx, async (trx, changed) => {
    const session = input.sessionId ? await sessionRow(trx, input.sessionId) : undefined;
    if (session) await openIncident(trx, session.incident_id);
    const moved = await trx
      .updateTable('downtime_number_blocks')
      .set((eb) => ({ next_seq: eb('next_seq', '+', n) }))
      .where('id', '=', blockId)
      .where('retired_at', 'is', null)
      .where((eb) => eb(eb('next_seq', '+', n - 1), '<=', eb.ref('range_end')))
      .returning(['next_seq', 'prefix', 'width', 'kind', 'department', 'range_end'])
      .executeTakeFirst();
    if (!moved) throw await whyNotIssued(trx, blockId, n);
    if (session && moved.department && moved.department !== session.department) {
      throw new ConflictError(`block ${blockId} belongs to ${moved.department}, not ${session.department}`, 'BLOCK_DEPARTMENT', [{ path: 'sessionId', message: 'another department' }]);
    }
    const now = ctx.clock.now();
    const first = Number(moved.next_seq) - n;
    const cls = session?.retention_class === 'inpatient' ? 'inpatient' : 'outpatient';
    const rows: DowntimeNumbersTable[] = Array.from({ length: n }, (_, k) => ({
      id: newId('dtn_'),
      block_id: blockId,
      kind: moved.kind,
      seq: first + k,
      number: formatNumber(moved.prefix, moved.width, first + k),
      state: 'issued',
      channel: input.channel ?? 'screen',
      issued_at: now,
      issued_by: actor,
      incident_id: session?.incident_id ?? null,
      session_id: session?.id ?? null,
      department: session?.department ?? moved.department ?? null,
      state_at: null,
      state_by: null,
      state_reason: null,
      retain_until: retainUntil(ctx.plan, cls, now),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('downtime_numbers')
        .values(rows.slice(i, i + 200))
        .execute();
    await record(trx, now, {
      kind: 'downtime.issued',
      actor,
      incidentId: session?.incident_id,
      sessionId: session?.id,
      subject: blockId,
      data: { kind: moved.kind, first: rows[0].number, last: rows[rows.length - 1].number, count: n, channel: input.channel ?? 'screen' },
    });
    if (session) changed.add(session.incident_id);
    return rows;
  });
}

async function whyNotIssued(trx: Trx, blockId: string, n: number): Promise<Error> {
  const block = await trx.selectFrom('downtime_number_blocks').selectAll().where('id', '=', blockId).executeTakeFirst();
  if (!block) return new NotFoundError(`number block ${blockId}`, 'BLOCK_NOT_FOUND');
  if (block.retired_at !== null) return new ConflictError(`number block ${blockId} is retired`, 'BLOCK_RETIRED');
  const left = Math.max(0, Number(block.range_end) - Number(block.next_seq) + 1);
  return new ConflictError(`number block ${blockId} has ${left} number(s) left, ${n} asked`, 'BLOCK_EXHAUSTED', [{ path: 'count', message: `at most ${left}` }]).with({ left, asked: n });
}

/** A spoiled number (void) or an unused one handed back (returned): recorded, never issued again. */
export async function settleNumber(ctx: DowntimeContext, numberId: string, state: 'void' | 'returned', reason: string | undefined, actor: string): Promise<void> {
  if (state === 'void' && !reason?.trim()) throw new ValidationError('voiding a number needs a reason', [{ path: 'reason', message: 'required' }]);
  await inTransaction(ctx, async (trx, changed) => {
    const row = await trx
      .selectFrom('downtime_numbers')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', numberId), eb('number', '=', numberId)]))
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`downtime number ${numberId}`, 'NUMBER_NOT_FOUND');
    if (row.state !== 'issued') throw new ConflictError(`${row.number} is already ${row.state}`, 'NUMBER_SETTLED').with({ number: row.number });
    const used = await trx.selectFrom('downtime_items').select('id').where('number_id', '=', row.id).where('state', '!=', 'void').executeTakeFirst();
    if (used) throw new ConflictError(`${row.number} is on a record being entered (${used.id}); void that record first`, 'NUMBER_IN_USE').with({ number: row.number });
    if (row.incident_id) await openIncident(trx, row.incident_id);
    const now = ctx.clock.now();
    await trx
      .updateTable('downtime_numbers')
      .set({ state, state_at: now, state_by: actor, state_reason: reason ?? null })
      .where('id', '=', row.id)
      .where('state', '=', 'issued')
      .execute();
    await trx
      .updateTable('downtime_forms')
      .set({ state: 'void', state_at: now, state_by: actor, state_reason: `number ${state}: ${reason ?? ''}`.trim() })
      .where('number_id', '=', row.id)
      .where('state', '=', 'printed')
      .execute();
    await record(trx, now, { kind: `downtime.number_${state}`, actor, incidentId: row.incident_id, sessionId: row.session_id, subject: row.number, data: { reason } });
    if (row.incident_id) changed.add(row.incident_id);
  });
}

export async function retireBlock(ctx: DowntimeContext, blockId: string, actor: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const done = await trx.updateTable('downtime_number_blocks').set({ retired_at: ctx.clock.now() }).where('id', '=', blockId).where('retired_at', 'is', null).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new NotFoundError(`open number block ${blockId}`, 'BLOCK_NOT_FOUND');
    await record(trx, ctx.clock.now(), { kind: 'downtime.block_retired', actor, subject: blockId });
  });
}

export async function listBlocks(ctx: DowntimeContext, filter: { department?: string; kind?: string } = {}) {
  let q = ctx.db.selectFrom('downtime_number_blocks').selectAll().orderBy('created_at');
  if (filter.department) q = q.where('department', '=', filter.department);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  const blocks = await q.execute();
  const counts = await ctx.db
    .selectFrom('downtime_numbers')
    .select(['block_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['block_id', 'state'])
    .execute();
  return blocks.map((b) => {
    const of = (state: string) => Number(counts.find((c) => c.block_id === b.id && c.state === state)?.n ?? 0);
    return {
      id: b.id,
      kind: b.kind,
      prefix: b.prefix,
      department: b.department,
      window: b.window_label,
      note: b.note,
      first: formatNumber(b.prefix, b.width, Number(b.range_start)),
      last: formatNumber(b.prefix, b.width, Number(b.range_end)),
      size: Number(b.range_end) - Number(b.range_start) + 1,
      left: Math.max(0, Number(b.range_end) - Number(b.next_seq) + 1),
      issued: of('issued'),
      void: of('void'),
      returned: of('returned'),
      retired: b.retired_at !== null,
      createdAt: new Date(b.created_at).toISOString(),
      createdBy: b.created_by,
    };
  });
}
