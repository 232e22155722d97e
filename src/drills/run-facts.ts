/**
 * What the evaluation reads of a drill run: the row of `drill_runs` (migration 020) and the incidents the run
 * opened (incidents.drill_run_id, migration 019). Read directly, so the evaluation depends on the stored facts only.
 */
import type { Kysely } from 'kysely';
import { NotFoundError } from '../shared/errors.js';
import type { Db } from '../storage/index.js';

export type RunState = 'running' | 'paused' | 'ended';

export interface RunFacts {
  id: string;
  catalogueId: string | null;
  name: string;
  timeFactor: number;
  state: RunState;
  organiser: string;
  startedAt: number;
  endedAt: number | null;
  incidentIds: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: the run tables are typed by the runs module (migration 020); read by column name here
const any = (db: Db) => db as unknown as Kysely<any>;

function runOf(row: Record<string, unknown>, incidentIds: string[]): RunFacts {
  return {
    id: String(row.id),
    catalogueId: (row.catalogue_id as string | null) ?? null,
    name: String(row.scenario_name ?? ''),
    timeFactor: Number(row.time_factor ?? 1),
    state: String(row.state) as RunState,
    organiser: String(row.organiser ?? ''),
    startedAt: Number(row.started_at),
    endedAt: row.ended_at === null || row.ended_at === undefined ? null : Number(row.ended_at),
    incidentIds,
  };
}

export async function runFacts(db: Db, runId: string): Promise<RunFacts> {
  const row = await any(db).selectFrom('drill_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!row) throw new NotFoundError(`drill run ${runId}`, 'DRILL_RUN_NOT_FOUND');
  const incidents = await any(db).selectFrom('incidents').select(['id']).where('drill_run_id', '=', runId).orderBy('opened_at').execute();
  return runOf(
    row,
    incidents.map((i: { id: string }) => i.id),
  );
}

/** Every run, newest first (without incidents). */
export async function allRuns(db: Db): Promise<RunFacts[]> {
  const rows = await any(db).selectFrom('drill_runs').selectAll().orderBy('started_at', 'desc').limit(1000).execute();
  return rows.map((r: Record<string, unknown>) => runOf(r, []));
}
