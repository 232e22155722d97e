/**
 * The processing lane: in a storm, what can open or change an incident goes ahead of what only adds to an
 * open one. The engine admits the intake journal in order, by a durable cursor (admission.ts); a red alarm
 * of a quiet system that arrives behind 30,000 alerts of a storming one would wait for all of them. Every
 * other round (never two lane rounds in a row, so ordinary admission is never starved), the lane takes a
 * few signals from beyond the cursor and processes them first.
 *
 * What it takes. A row is urgent for system S when it holds a resolve of S, or an orange or red firing of S
 * while S has no open incident. The lane takes, for such a row, *every* pending signal of S up to and
 * including that row: a prefix of S's pending signals, whole rows of S at a time. So S's signals are
 * processed in journal order whichever way they go, and the signals of an alert (which carry its system)
 * keep their order. It only takes a prefix of at most LANE_MAX_PER_SYSTEM signals, at most
 * LANE_MAX_PER_ROUND a round, and only for rows beyond what the next ordinary round takes anyway: a storm of
 * another system cannot turn the lane into a second queue (once its incident is open, its alerts are not
 * urgent; its resolves come behind long prefixes).
 *
 * What it knows. Summaries of the rows this process wrote (src/signals/pending-rows.ts: per row, per system,
 * how many signals and whether any opens or resolves), made off the main thread by the journal's reader
 * thread. Rows it has no summary of (written before a start, or whose append answer was lost) may hold any
 * system: the lane takes nothing until the cursor has passed them.
 *
 * Exactly once, across crashes. The lane's signals are processed in one transaction with a ledger row each
 * (`signal_lane`: the signal, its row and place in the row, its alert); the lane never moves the cursor.
 * Ordinary admission skips the signals in the ledger and deletes the ledger rows the cursor has passed, in
 * the transaction that moves the cursor. What committed is what happened: after a crash, the ledger and the
 * cursor say together what was processed, and the engine reads the ledger again. This copy of the ledger
 * changes only once a round has committed; after a failed round it is read again.
 *
 * Per-alert order, whatever the senders do. An alert whose signals name different systems (a sender that
 * resolves without saying the system, mapping rules changed meanwhile) has them in different prefixes. A
 * signal whose alert already has a later signal in the ledger would undo that later state: it is recorded as
 * `superseded`, without effect, by the lane and by ordinary admission alike.
 */
import type { JournalSignal } from '../signals/journal-signal.js';
import { alertKey, signalRow } from '../signals/journal-signal.js';
import { OPENS, RESOLVES, type LaneCandidate, type PendingRows } from '../signals/pending-rows.js';
import type { Plan } from '../plan/types.js';
import type { Trx } from '../storage/index.js';
import { INCIDENT_STATES } from './types.js';
import type { Admitted, JournalReader, LaneLedger } from './admission.js';

/** A system's pending signals up to its urgent row go in the lane only if they are this few. */
export const LANE_MAX_PER_SYSTEM = 100;
/** Signals a lane round takes at most. */
export const LANE_MAX_PER_ROUND = 250;
const ROWS_PER_STATEMENT = 100;
const OPEN_STATES = INCIDENT_STATES.filter((s) => s !== 'closed');

/** A signal processed ahead of the cursor, as its ledger row says. */
interface Mark {
  id: string;
  seq: number;
  pos: number;
  key: string;
}

const later = (a: Mark, seq: number, pos: number): boolean => a.seq > seq || (a.seq === seq && a.pos > pos);

export class Lane implements LaneLedger {
  /** The committed ledger, by signal id; null: to be read (after a start, or a failed round). */
  private marks: Map<string, Mark> | null = null;
  /** Per alert, its latest signal in the ledger. */
  private readonly latest = new Map<string, Mark>();
  /** What the round in flight changes, applied here once it commits. */
  private staged: { added: Mark[]; passed: number | null; taken: [system: string, seq: number][] } = { added: [], passed: null, taken: [] };
  private readonly systems: Set<string>;

  /** `reach`: signals after the cursor that the next ordinary round takes anyway (rows up to there are not urgent). */
  constructor(
    plan: Plan,
    private readonly reach: number,
  ) {
    this.systems = new Set(plan.systems.map((s) => s.id));
  }

  /** Reads the ledger, if this copy is not current. */
  async ready(trx: Trx): Promise<void> {
    if (this.marks) return;
    const rows = await trx.selectFrom('signal_lane').selectAll().execute();
    this.marks = new Map();
    this.latest.clear();
    for (const r of rows) this.remember({ id: r.signal_id, seq: Number(r.seq), pos: Number(r.pos), key: alertKey(r.source, r.dedup_key) });
  }

  private remember(m: Mark): void {
    this.marks!.set(m.id, m);
    const last = this.latest.get(m.key);
    if (!last || later(m, last.seq, last.pos)) this.latest.set(m.key, m);
  }

  /** Nothing in the ledger (after `ready`). */
  get empty(): boolean {
    return this.marks!.size === 0;
  }

  /** Was this signal processed by the lane already? (after `ready`) */
  processed(id: string): boolean {
    return this.marks!.size > 0 && this.marks!.has(id);
  }

  /** Does the alert of this signal (at row `seq`, place `pos`) have a later signal processed by the lane? (after `ready`) */
  supersedes(key: string, seq: number, pos: number): boolean {
    const last = this.latest.size ? this.latest.get(key) : undefined;
    return last !== undefined && later(last, seq, pos);
  }

  /** Ordinary admission moves the cursor to `seq` in this transaction: the ledger rows it passes go with it. */
  async passed(trx: Trx, seq: number): Promise<void> {
    let any = false;
    for (const m of this.marks!.values()) if ((any = m.seq <= seq)) break;
    if (!any) return;
    await trx.deleteFrom('signal_lane').where('seq', '<=', seq).execute();
    this.staged.passed = seq;
  }

  /** The round committed: this copy of the ledger follows, and the rows the lane took are no longer pending. */
  commit(pending: PendingRows | undefined): void {
    const { added, passed, taken } = this.staged;
    this.staged = { added: [], passed: null, taken: [] };
    if (!this.marks) return;
    for (const m of added) this.remember(m);
    if (passed !== null) {
      for (const m of this.marks.values()) if (m.seq <= passed) this.marks.delete(m.id);
      for (const [key, m] of this.latest) if (m.seq <= passed) this.latest.delete(key); // every other of its marks is older
    }
    for (const [system, seq] of taken) pending?.taken(system, seq);
  }

  /** The round failed: nothing it did stands; the ledger is read again. */
  abort(): void {
    this.staged = { added: [], passed: null, taken: [] };
    this.marks = null;
  }

  /**
   * A lane round: the urgent prefixes beyond the cursor, as signals to process (and ledger rows written for
   * them in this transaction), or null when nothing is urgent.
   */
  async admit(trx: Trx, journal: JournalReader, cursor: number): Promise<Admitted | null> {
    const pending = journal.pending;
    if (!pending || !journal.rows) return null;
    const candidates = pending.candidates(cursor, LANE_MAX_PER_SYSTEM).filter((c) => c.ahead >= this.reach && this.systems.has(c.system));
    if (candidates.length === 0) return null;
    const opening = [...new Set(candidates.filter((c) => c.flag === OPENS).map((c) => c.system))];
    const open = opening.length ? await systemsWithOpenIncident(trx, opening) : new Set<string>();
    const first = new Map<string, LaneCandidate>(); // per system, its first urgent row
    for (const c of candidates) {
      if (c.flag !== RESOLVES && open.has(c.system)) continue;
      const seen = first.get(c.system);
      if (!seen || c.seq < seen.seq) first.set(c.system, c);
    }
    const take: LaneCandidate[] = [];
    let total = 0;
    for (const c of [...first.values()].sort((a, b) => a.seq - b.seq)) {
      if (total + c.signals > LANE_MAX_PER_ROUND) continue;
      take.push(c);
      total += c.signals;
    }
    if (take.length === 0) return null;

    await this.ready(trx);
    const upTo = new Map(take.map((c) => [c.system, c.seq]));
    const batches = await journal.rows(
      [...new Set(take.flatMap((c) => c.rows))].sort((a, b) => a - b),
      trx,
    );
    const entries: JournalSignal[] = [];
    const superseded = new Set<string>();
    const added: Mark[] = [];
    for (const b of batches) {
      for (const [pos, e] of b.entries.entries()) {
        const until = e.system === null ? undefined : upTo.get(e.system);
        if (until === undefined || b.seq > until || this.marks!.has(e.id)) continue;
        const mark = { id: e.id, seq: b.seq, pos, key: alertKey(e.source, e.dedup_key) };
        if (this.supersedes(mark.key, b.seq, pos)) superseded.add(e.id);
        entries.push(e);
        added.push(mark);
      }
    }
    for (let i = 0; i < added.length; i += ROWS_PER_STATEMENT) {
      const rows = added.slice(i, i + ROWS_PER_STATEMENT).map((m, j) => {
        const e = entries[i + j]!;
        return { signal_id: m.id, seq: m.seq, pos: m.pos, source: e.source, dedup_key: e.dedup_key };
      });
      await trx.insertInto('signal_lane').values(rows).execute();
    }
    this.staged.added = added;
    this.staged.taken = take.map((c) => [c.system, c.seq]);
    return { entries: new Map(entries.map((e) => [e.id, e])), changes: entries.map(signalRow), absorbed: new Set(), superseded, more: true };
  }
}

/** Which of these systems are in an open incident: open incidents are few; each system is one lookup by key. */
async function systemsWithOpenIncident(trx: Trx, systems: string[]): Promise<Set<string>> {
  const incidents = (await trx.selectFrom('incidents').select('id').where('state', 'in', OPEN_STATES).execute()).map((i) => i.id);
  const out = new Set<string>();
  if (incidents.length === 0) return out;
  for (const system of systems) {
    const hit = await trx.selectFrom('incident_systems').select('system').where('incident_id', 'in', incidents).where('system', '=', system).limit(1).executeTakeFirst();
    if (hit) out.add(system);
  }
  return out;
}
