import { iso, type DowntimeContext } from './context.js';
import { formView, itemView, numberView } from './views.js';

/**
 * Everything the downtime module holds (optionally for one incident or a time window), for archiving with the
 * medical record. Nothing is ever deleted: every row says until when it must be kept (`retainUntil`).
 */
export async function exportRecords(ctx: DowntimeContext, filter: { incident?: string; from?: number; to?: number } = {}) {
  const { db } = ctx;
  const inc = <T extends { incident_id: string | null }>(rows: T[]) => (filter.incident ? rows.filter((r) => r.incident_id === filter.incident) : rows);
  const between = <T>(rows: T[], at: (r: T) => number) => rows.filter((r) => (filter.from === undefined || at(r) >= filter.from) && (filter.to === undefined || at(r) <= filter.to));
  const [sessions, numbers, forms, items, tallies, reconciliations, events, blocks, kits] = await Promise.all([
    db.selectFrom('downtime_sessions').selectAll().orderBy('started_at').execute(),
    db.selectFrom('downtime_numbers').selectAll().orderBy('number').execute(),
    db.selectFrom('downtime_forms').selectAll().orderBy('serial').execute(),
    db.selectFrom('downtime_items').selectAll().orderBy('registered_at').execute(),
    db.selectFrom('downtime_tallies').selectAll().orderBy('at').execute(),
    db.selectFrom('downtime_reconciliations').selectAll().orderBy('at').execute(),
    db.selectFrom('downtime_events').selectAll().orderBy('id').execute(),
    db.selectFrom('downtime_number_blocks').selectAll().orderBy('created_at').execute(),
    db.selectFrom('downtime_kits').selectAll().orderBy('generated_at').execute(),
  ]);
  return {
    exportedAt: new Date(ctx.clock.now()).toISOString(),
    plan: `${ctx.plan.plan.id}@${ctx.plan.plan.version}`,
    retention: ctx.plan.retention ?? {},
    filter: { incident: filter.incident ?? null, from: iso(filter.from), to: iso(filter.to) },
    sessions: between(inc(sessions), (s) => s.started_at).map((s) => ({
      ...s,
      started_at: iso(s.started_at),
      state_at: iso(s.state_at),
      waived_at: iso(s.waived_at),
      retain_until: iso(s.retain_until),
      updated_at: iso(s.updated_at),
    })),
    numbers: between(inc(numbers), (n) => n.issued_at).map(numberView),
    forms: between(inc(forms), (f) => f.printed_at).map((f) => formView(f)),
    items: between(inc(items), (i) => i.registered_at).map(itemView),
    tallies: between(inc(tallies), (t) => t.at).map((t) => ({ ...t, at: iso(t.at) })),
    reconciliations: between(inc(reconciliations), (r) => r.at).map((r) => ({ ...r, at: iso(r.at), checks: JSON.parse(r.checks) })),
    events: between(inc(events), (e) => e.at).map((e) => ({ ...e, at: iso(e.at), data: e.data ? JSON.parse(e.data) : null })),
    blocks: filter.incident ? [] : blocks.map((b) => ({ ...b, created_at: iso(b.created_at), retired_at: iso(b.retired_at) })),
    kits: filter.incident ? [] : kits.map((k) => ({ ...k, generated_at: iso(k.generated_at) })),
  };
}
