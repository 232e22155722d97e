/**
 * Applies a checked roster in one transaction: people are created or updated (matched by 工号, then mobile,
 * then a unique name), roles listed in the file get exactly the holders and deputies it names, and each
 * dated shift replaces the shifts already imported for that role and day. With any row-level error nothing
 * is written, unless `partial` is asked for (then the good rows are written and the bad ones reported).
 * Once applied, sign-in accounts whose user name is an imported person's 工号 or mobile are linked to them.
 */
import type { Plan } from '../plan/types.js';
import type { Db } from '../storage/index.js';
import { linkAccounts, type AccountLinking } from './account-links.js';
import { checkRoster, readRoster, type RosterIssue, type RowPreview } from './roster.js';
import { shiftBounds } from './oncall.js';
import type { PeopleStore } from './store.js';

export interface ImportOptions {
  filename?: string;
  partial?: boolean;
  dryRun?: boolean;
  actor?: string;
  defaultRole?: string;
  defaultHandover?: string;
}

export interface ImportReport {
  applied: boolean;
  sheets: { name: string; kind: string; rows: number }[];
  people: { created: number; updated: number };
  roles: number;
  shifts: number;
  errors: RosterIssue[];
  /** Every row of the file with what it would do and its problems (the preview a dry run shows). */
  rows: RowPreview[];
  /** Accounts linked to their person by this import, and those a match left unlinked (ambiguous). */
  accounts: AccountLinking;
}

export async function importRoster(db: Db, store: PeopleStore, plan: Plan, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportReport> {
  const sheets = await readRoster(bytes, options.filename);
  const existing = await store.list({ includeInactive: true });
  const changes = checkRoster(sheets, { plan, existing, defaultRole: options.defaultRole, defaultHandover: options.defaultHandover });
  const errors = [...changes.issues];
  if (sheets.length === 0) {
    errors.push({ sheet: options.filename ?? '', row: 1, field: '', column: '', code: 'NO_SHEET', params: {}, message: 'no sheet with known headers (姓名, 工号, 角色, 日期…) was found' });
  }
  const report: ImportReport = {
    applied: false,
    sheets: sheets.map((s) => ({ name: s.name, kind: s.kind, rows: s.rows.length })),
    people: { created: changes.people.filter((p) => !p.existingId).length, updated: changes.people.filter((p) => p.existingId).length },
    roles: changes.roles.length,
    shifts: changes.shifts.length,
    errors,
    rows: changes.rows,
    accounts: { linked: [], unlinked: [] },
  };
  if (options.dryRun || (errors.length && !options.partial) || sheets.length === 0) return report;

  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    for (const p of changes.people) {
      const person = p.existingId ? await store.update(p.existingId, p.input, trx) : await store.create(p.input, trx);
      ids.set(`new:${p.ref}`, person.id);
    }
    const id = (ref: string) => ids.get(ref) ?? ref;
    for (const r of changes.roles) await store.assign(r.role, r.holders.map(id), r.deputies.map(id), trx);
    const tz = store.timezone;
    for (const s of changes.shifts) {
      const { startsAt, endsAt } = shiftBounds(s.date, s.handover, tz);
      await trx
        .updateTable('oncall_entries')
        .set({ cancelled_at: store.clock.now() })
        .where('role', '=', s.role)
        .where('kind', '=', 'shift')
        .where('cancelled_at', 'is', null)
        .where('starts_at', '>=', startsAt)
        .where('starts_at', '<', endsAt)
        .execute();
      for (const person of s.people) {
        await store.addEntry({ role: s.role, personId: id(person), kind: 'shift', startsAt, endsAt, reason: `${s.sheet} row ${s.row}`, createdBy: options.actor ?? 'import' }, trx);
      }
    }
  });
  report.applied = true;
  report.accounts = await linkAccounts(db);
  return report;
}
