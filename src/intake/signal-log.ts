import type { Db, OpenedDb } from '../storage/index.js';
import type { SignalsTable } from '../storage/tables.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { UnavailableError } from '../shared/errors.js';
import type { NormalisedSignal } from './types.js';
import { identityOf } from './normalise.js';

const ROWS_PER_STATEMENT = 500;

interface Waiting {
  rows: SignalsTable[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Appends signals durably with group commit: every request that arrives while a write is in flight joins
 * the next transaction, so one fsync covers many alerts. `append` resolves only after the commit.
 */
export class SignalLog {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly afterCommit: () => void,
    private readonly withSqlite?: OpenedDb['withSqlite'],
  ) {}

  append(signals: NormalisedSignal[]): Promise<string[]> {
    const receivedAt = this.clock.now();
    const rows = signals.map((s) => toRow(s, receivedAt));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.writing) setImmediate(() => void this.flush());
    }).then(() => rows.map((r) => r.id));
  }

  /** One transaction, one fsync, for the whole batch. SQLite reuses one prepared statement. */
  private async write(rows: SignalsTable[]): Promise<void> {
    if (this.withSqlite) {
      await this.withSqlite((sqlite) => {
        const insert = (this.insert ??= sqlite.prepare(INSERT_SQL));
        sqlite.transaction((batch: SignalsTable[]) => {
          for (const row of batch) insert.run(row);
        })(rows);
      });
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await trx.insertInto('signals').values(rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
      }
    });
  }
  private insert: { run(row: SignalsTable): unknown } | undefined;

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        const rows = batch.flatMap((w) => w.rows);
        try {
          await this.write(rows);
          for (const w of batch) w.resolve();
          this.afterCommit();
        } catch (err) {
          const transient = new UnavailableError(`signal store unavailable: ${(err as Error).message}`);
          for (const w of batch) w.reject(transient);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const COLUMNS = ['id', 'source', 'system', 'component', 'severity', 'status', 'dedup_key', 'summary', 'labels', 'host', 'metric_name', 'metric_value', 'at', 'received_at', 'processed', 'incident_id', 'outcome'] as const;
const INSERT_SQL = `insert into signals (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => '@' + c).join(', ')})`;

function toRow(s: NormalisedSignal, receivedAt: number): SignalsTable {
  const at = s.at ? Date.parse(s.at) : receivedAt;
  return {
    id: newId('sig_'),
    source: s.source,
    system: s.system ?? null,
    component: s.component ?? '',
    severity: s.severity,
    status: s.status,
    dedup_key: identityOf(s),
    summary: s.summary ?? '',
    labels: JSON.stringify(s.labels ?? {}),
    host: s.host ?? null,
    metric_name: s.metric?.name ?? null,
    metric_value: s.metric?.value ?? null,
    at: Number.isFinite(at) ? at : receivedAt,
    received_at: receivedAt,
    processed: 0,
    incident_id: null,
    outcome: null,
  };
}
