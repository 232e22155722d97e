import type { AlertsTable, SignalsTable } from '../storage/index.js';
import type { Colour } from '../shared/colour.js';
import type { SystemState } from '../plan/types.js';
import type { Trx } from '../storage/index.js';
import { alertKey } from '../signals/journal-signal.js';
import { nextTurn } from '../shared/turn.js';

const CHUNK = 400;
const STATE_ORDER: SystemState[] = ['down', 'degraded', 'up'];
const colourToState = (c: Colour): SystemState => (c === 'red' ? 'down' : c === 'blue' ? 'up' : 'degraded');

interface FiringAlert {
  system: string | null;
  component: string;
  severity: string;
}

/** How many alerts of one incident fire, per component and colour: a component's state without re-reading them all. */
export class FiringTally {
  private readonly counts = new Map<string, Map<string, number>>();
  total = 0;

  add(a: FiringAlert, n = 1): void {
    const key = `${a.system}\u0000${a.component}`;
    let byColour = this.counts.get(key);
    if (!byColour) this.counts.set(key, (byColour = new Map()));
    byColour.set(a.severity, (byColour.get(a.severity) ?? 0) + n);
    this.total += n;
  }

  /** A component's state is the worst colour among its firing alerts; none firing → up. */
  state(system: string, component: string): SystemState {
    let worst: SystemState = 'up';
    for (const [colour, n] of this.counts.get(`${system}\u0000${component}`) ?? []) {
      const st = colourToState(colour as Colour);
      if (n > 0 && STATE_ORDER.indexOf(st) < STATE_ORDER.indexOf(worst)) worst = st;
    }
    return worst;
  }
}

/**
 * What one processing round knows, so that a burst of signals costs a few bulk statements rather than a
 * round of queries each: the alerts they name (read once, kept current), firing tallies per incident, and
 * the outcomes to record, written together at the end.
 */
export class SignalRound {
  private readonly alerts = new Map<string, AlertsTable | null>();
  private readonly marks = new Map<string, string[]>();
  private readonly newAlerts = new Map<string, AlertsTable>();
  /** Signals whose state now stands on an open incident (opened, attached to or refreshing it). */
  readonly settled: string[] = [];
  /** Incidents found closed this round (their alerts' signals open or join another). */
  readonly closedIncidents = new Set<string>();

  private readonly unstored: Map<string, SignalsTable>;

  /**
   * `tallies` outlive the round (the engine keeps them while only rounds change alerts); a failed round must
   * drop them. `unstored` are signals just admitted: they are stored at the end, with their outcome.
   */
  constructor(
    private readonly trx: Trx,
    private readonly tallies: Map<string, FiringTally>,
    unstored: SignalsTable[] = [],
  ) {
    this.unstored = new Map(unstored.map((s) => [s.id, s]));
  }

  async prefetch(signals: SignalsTable[]): Promise<void> {
    const sources = [...new Set(signals.map((s) => s.source))];
    const keys = [...new Set(signals.map((s) => s.dedup_key))];
    for (const s of signals) this.alerts.set(alertKey(s.source, s.dedup_key), null);
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await this.trx
        .selectFrom('alerts')
        .selectAll()
        .where('source', 'in', sources)
        .where('dedup_key', 'in', keys.slice(i, i + CHUNK))
        .execute();
      for (const a of rows) this.alerts.set(alertKey(a.source, a.dedup_key), a);
    }
  }

  async alert(s: SignalsTable): Promise<AlertsTable | undefined> {
    const key = alertKey(s.source, s.dedup_key);
    if (!this.alerts.has(key)) {
      const row = await this.trx.selectFrom('alerts').selectAll().where('source', '=', s.source).where('dedup_key', '=', s.dedup_key).executeTakeFirst();
      this.alerts.set(key, row ?? null);
    }
    return this.alerts.get(key) ?? undefined;
  }

  /** Writes an alert's new state: new alerts are inserted together at the end of the round. */
  async save(alert: AlertsTable, isNew: boolean): Promise<void> {
    this.alerts.set(alertKey(alert.source, alert.dedup_key), alert);
    if (isNew || this.newAlerts.has(alert.id)) return void this.newAlerts.set(alert.id, alert);
    const { id, ...changes } = alert;
    await this.trx.updateTable('alerts').set(changes).where('id', '=', id).execute();
  }

  async tally(incidentId: string): Promise<FiringTally> {
    let tally = this.tallies.get(incidentId);
    if (!tally) {
      tally = new FiringTally();
      const rows = await this.trx
        .selectFrom('alerts')
        .select(['system', 'component', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
        .where('incident_id', '=', incidentId)
        .where('status', '=', 'firing')
        .groupBy(['system', 'component', 'severity'])
        .execute();
      for (const r of rows) tally.add(r, Number(r.n));
      this.tallies.set(incidentId, tally);
    }
    return tally;
  }

  mark(signalId: string, outcome: string, incidentId: string | null): void {
    if (incidentId && (outcome === 'opened' || outcome === 'attached' || outcome === 'refreshed')) this.settled.push(signalId);
    const key = `${outcome}\u0000${incidentId ?? ''}`;
    const ids = this.marks.get(key);
    if (ids) ids.push(signalId);
    else this.marks.set(key, [signalId]);
  }

  async flush(): Promise<void> {
    const inserts = [...this.newAlerts.values()];
    for (let i = 0; i < inserts.length; i += CHUNK / 4) {
      await this.trx
        .insertInto('alerts')
        .values(inserts.slice(i, i + CHUNK / 4))
        .execute();
      await nextTurn(); // each bulk statement takes a few ms: requests go in between
    }
    this.newAlerts.clear();
    for (const [key, marked] of this.marks) {
      const [outcome, incident] = key.split('\u0000') as [string, string];
      const ids: string[] = [];
      for (const id of marked) {
        const row = this.unstored.get(id);
        if (row) Object.assign(row, { processed: 1, outcome, incident_id: incident || null });
        else ids.push(id);
      }
      for (let i = 0; i < ids.length; i += CHUNK) {
        await this.trx
          .updateTable('signals')
          .set({ processed: 1, outcome, incident_id: incident || null })
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute();
      }
    }
    this.marks.clear();
    const rows = [...this.unstored.values()];
    for (let i = 0; i < rows.length; i += CHUNK / 4) {
      await this.trx
        .insertInto('signals')
        .values(rows.slice(i, i + CHUNK / 4))
        .execute();
      await nextTurn();
    }
    this.unstored.clear();
  }
}
