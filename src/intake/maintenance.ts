import { z } from 'zod';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { parseDuration } from '../shared/time.js';
import type { Db, MaintenanceWindowsTable } from '../storage/index.js';

const isoWithZone = z.string().datetime({ offset: true });

/** `POST /api/v1/maintenance`: a window on a system (or one component), from startsAt (default now) to endsAt or for a duration. */
export const createMaintenanceSchema = z
  .object({
    system: z.string().min(1).max(100),
    component: z.string().max(200).optional(),
    startsAt: isoWithZone.optional(),
    endsAt: isoWithZone.optional(),
    duration: z
      .string()
      .refine((t) => (parseDuration(t) ?? 0) > 0, { message: 'a duration like 2h or PT2H' })
      .optional(),
    reason: z.string().trim().min(1).max(2000),
    by: z.string().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.endsAt === !m.duration) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'give endsAt or duration (one of them)' });
  });

export const listMaintenanceSchema = z.object({ state: z.enum(['active', 'upcoming', 'current', 'all']).default('current') });

export function maintenanceView(w: MaintenanceWindowsTable) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: w.id,
    system: w.system,
    component: w.component || null,
    startsAt: iso(w.starts_at),
    endsAt: iso(w.ends_at),
    reason: w.reason,
    createdBy: w.created_by,
    createdAt: iso(w.created_at),
    cancelledAt: iso(w.cancelled_at),
  };
}

/** Maintenance windows: signals inside are recorded with outcome `maintenance` and open no incident (see noise.ts). */
export class MaintenanceStore {
  private readonly db: Db;
  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly plan: Plan,
  ) {
    this.db = db;
  }

  /**
   * `signedIn`: who is signed in (the account's or API token's name); it is the window's author, and a `by` in
   * the body is ignored. Without sign-in (tests, a server without accounts) `by` names the author, else `api`.
   */
  async create(input: z.output<typeof createMaintenanceSchema>, signedIn?: string): Promise<MaintenanceWindowsTable> {
    if (!this.plan.systems.some((s) => s.id === input.system)) {
      throw new ValidationError(`unknown system ${input.system}`, [{ path: 'system', message: `${input.system} is not a system of the plan` }]);
    }
    const now = this.clock.now();
    const starts = input.startsAt ? Date.parse(input.startsAt) : now;
    const ends = input.endsAt ? Date.parse(input.endsAt) : starts + parseDuration(input.duration!)!;
    if (ends <= starts) throw new ValidationError('a window ends after it starts', [{ path: 'endsAt', message: 'must be after startsAt' }]);
    if (ends <= now) throw new ValidationError('the window is already over', [{ path: 'endsAt', message: 'must be in the future' }]);
    const row: MaintenanceWindowsTable = {
      id: newId('mw_'),
      system: input.system,
      component: input.component ?? '',
      starts_at: starts,
      ends_at: ends,
      reason: input.reason,
      created_by: signedIn ?? input.by ?? 'api',
      created_at: now,
      cancelled_at: null,
    };
    await this.db.insertInto('maintenance_windows').values(row).execute();
    return row;
  }

  /** current = running or upcoming (not cancelled); active = running now; all = everything. */
  async list(state: z.output<typeof listMaintenanceSchema>['state']): Promise<MaintenanceWindowsTable[]> {
    const now = this.clock.now();
    let q = this.db.selectFrom('maintenance_windows').selectAll().orderBy('starts_at').limit(1000);
    if (state !== 'all') q = q.where('cancelled_at', 'is', null).where('ends_at', '>', now);
    if (state === 'active') q = q.where('starts_at', '<=', now);
    if (state === 'upcoming') q = q.where('starts_at', '>', now);
    return q.execute();
  }

  /** Ends a window now (kept for the record). */
  async cancel(id: string): Promise<MaintenanceWindowsTable> {
    const row = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`maintenance window ${id}`, 'MAINTENANCE_NOT_FOUND');
    if (row.cancelled_at === null) {
      row.cancelled_at = this.clock.now();
      await this.db.updateTable('maintenance_windows').set({ cancelled_at: row.cancelled_at }).where('id', '=', id).execute();
    }
    return row;
  }
}

/** A maintenance window as the API shows it. */
export type MaintenanceView = ReturnType<typeof maintenanceView>;
