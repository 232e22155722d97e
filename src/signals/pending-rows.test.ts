import { describe, expect, it } from 'vitest';
import { OPENS, PendingRows, RESOLVES, summariseRow } from './pending-rows.js';

const s = (system: string | null, severity = 'orange', status = 'firing') => ({ system, severity, status });

describe('pending rows (what the processing lane knows of the journal ahead of the cursor)', () => {
  it('summarises a row per system: its signals, and whether any opens or resolves', () => {
    expect(summariseRow([s('EMR'), s('EMR', 'yellow'), s('HIS', 'red', 'resolved'), s(null, 'red'), s('HIS', 'blue')])).toEqual(['EMR', 2, OPENS, 'HIS', 2, RESOLVES]);
  });

  it("finds each system's first urgent row with the system's rows up to it, and forgets what the cursor or the lane has passed", () => {
    const p = new PendingRows();
    p.add(1, 10, summariseRow(Array.from({ length: 10 }, () => s('EMR'))));
    p.add(2, 3, summariseRow([s('HIS', 'yellow'), s('EMR'), s('EMR')]));
    p.add(3, 1, summariseRow([s('HIS', 'red')]));
    p.add(4, 1, summariseRow([s('HIS', 'red', 'resolved')]));
    const his = p.candidates(0, 100).filter((c) => c.system === 'HIS');
    expect(his).toEqual([
      { system: 'HIS', flag: OPENS, seq: 3, rows: [2, 3], signals: 2, ahead: 13 },
      { system: 'HIS', flag: RESOLVES, seq: 4, rows: [2, 3, 4], signals: 3, ahead: 14 },
    ]);
    expect(
      p
        .candidates(0, 2)
        .filter((c) => c.system === 'HIS')
        .map((c) => c.seq),
    ).toEqual([3]); // a longer prefix is left to ordinary rounds
    p.taken('HIS', 3);
    expect(p.candidates(1, 100).filter((c) => c.system === 'HIS')).toEqual([{ system: 'HIS', flag: RESOLVES, seq: 4, rows: [4], signals: 1, ahead: 4 }]);
    expect(p.candidates(4, 100)).toEqual([]);
  });

  it('knows nothing of rows written before it started, nor after a lost answer, until the cursor has passed them', () => {
    const p = new PendingRows();
    p.startAfter(10); // written before a restart
    p.add(11, 1, summariseRow([s('HIS', 'red')]));
    expect(p.candidates(9, 100)).toEqual([]);
    expect(p.candidates(10, 100).map((c) => c.seq)).toEqual([11]);
    p.lost(); // an append failed: its row may be in the journal all the same
    expect(p.candidates(10, 100)).toEqual([]);
    p.add(13, 1, summariseRow([s('LIS', 'red')])); // row 12 may be the lost one
    expect(p.candidates(11, 100)).toEqual([]);
    expect(p.candidates(12, 100).map((c) => c.system)).toEqual(['LIS']);
    p.add(12, 1, summariseRow([s('PACS', 'red')])); // out of order: blind until passed
    expect(p.candidates(12, 100)).toEqual([]);
    expect(p.candidates(13, 100)).toEqual([]);
  });
});
