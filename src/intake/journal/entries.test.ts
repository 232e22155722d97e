import { describe, expect, it } from 'vitest';
import { loadDefaultPlan } from '../../plan/load.js';
import { JournalEntries } from './entries.js';
import { settledEntry } from './settled-states.js';
import type { JournalSignal } from '../../signals/journal-signal.js';
import type { NormalisedSignal } from '../../signals/types.js';

const T0 = Date.parse('2026-11-26T03:00:00Z');
const firing: NormalisedSignal = {
  source: 'prom',
  system: 'HIS',
  severity: 'red',
  status: 'firing',
  summary: 'HIS 数据库不可达',
  dedupKey: 'fp-1',
  labels: { alertname: 'HISDown' },
  at: new Date(T0).toISOString(),
};
const resolved: NormalisedSignal = { ...firing, status: 'resolved' };

describe('JournalEntries: which signals are written', () => {
  const prepare = (w: JournalEntries, s: NormalisedSignal, at = T0): JournalSignal[] => {
    return w.prepare({ signals: [s] }, at).entries;
  };

  it('leaves out an exact repeat of a settled state, and nothing else', () => {
    const w = new JournalEntries(loadDefaultPlan());
    const [first] = prepare(w, firing);
    expect(prepare(w, firing)).toHaveLength(1); // not settled yet: written again
    w.settled([settledEntry(first!)]); // an older write of the alert, but the later one says the same
    expect(prepare(w, firing)).toEqual([]);
    expect(prepare(w, { ...firing, summary: '仍不可达' })).toHaveLength(1); // a changed state
    expect(prepare(w, firing)).toHaveLength(1); // and back: a change again
  });

  it('a state written after the one the engine settles is not mistaken for a repeat of it', () => {
    const w = new JournalEntries(loadDefaultPlan());
    const [up] = prepare(w, firing);
    prepare(w, resolved); // resolved while the firing one is still being processed
    w.settled([settledEntry(up!)]);
    expect(prepare(w, firing)).toHaveLength(1); // firing again after the resolve: a change, written
  });

  it('a signal without its own time repeats for a minute, then is written again (it keeps the last-seen time)', () => {
    const w = new JournalEntries(loadDefaultPlan());
    const untimed = { ...firing, at: undefined };
    const [e] = prepare(w, untimed);
    w.settled([settledEntry(e!)]);
    expect(prepare(w, untimed, T0 + 59_000)).toEqual([]);
    expect(prepare(w, untimed, T0 + 60_000)).toHaveLength(1);
  });

  it('forgets settled states when told (an incident closed)', () => {
    const w = new JournalEntries(loadDefaultPlan());
    const [e] = prepare(w, firing);
    w.settled([settledEntry(e!)]);
    w.forget();
    expect(prepare(w, firing)).toHaveLength(1);
  });

  it('reads a body for its source; an acknowledgement in it is journalled under its own identity, naming its alert', () => {
    const w = new JournalEntries(loadDefaultPlan());
    const source = { id: 's', name: 'zbx', type: 'zabbix' as const, severityMap: {}, rules: [], options: {}, createdAt: T0, revokedAt: null };
    const problem = { event_id: '1', event_value: '1', event_severity: 'High', event_name: 'HIS CPU', host_host: 'his-app-01', trigger_id: '2', event_tags: [{ tag: 'system', value: 'his' }] };
    const out = w.prepare({ kind: 'zabbix', source, body: JSON.stringify(problem) }, T0);
    expect(out.entries.map((x) => [x.source, x.system, x.severity])).toEqual([['zbx', 'HIS', 'red']]);
    const ack = w.prepare({ kind: 'zabbix', source, body: JSON.stringify({ ...problem, event_update: '1', event_ack: 'Yes', event_update_action: 'acknowledged' }) }, T0);
    expect(ack.entries).toHaveLength(1);
    expect(ack.entries[0]!.dedup_key).toBe(`${out.entries[0]!.dedup_key}#ack`);
    expect(ack.entries[0]!.labels).toMatchObject({ lifeline_ack: 'true', lifeline_ack_of: out.entries[0]!.dedup_key });
  });
});
