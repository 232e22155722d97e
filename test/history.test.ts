// History and figures (src/history): incidents made through the engine on the virtual clock (opened, acknowledged
// after N minutes, restored after M, closed, in two months, on several systems), then read back over HTTP: the list,
// each filter, search over a timeline note, keyset pages, the CSV (parsed back) and the figures, whose expected
// values are computed here from the steps the test took.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { LEVEL_IDS, levelRank, type LevelId } from '../src/plan/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

interface Case {
  title: string;
  system: 'HIS' | 'LIS' | 'PACS';
  ack: number | null; // minutes after opening
  restore: number | null;
  close: number | null;
  note?: { at: number; text: string };
  raise?: { at: number; to: LevelId; back?: { at: number; to: LevelId } };
}

const MARCH: Case[] = [
  { title: '门诊 HIS 数据库中断', system: 'HIS', ack: 3, restore: 20, close: 30 },
  { title: '检验报告, "无法出具"', system: 'LIS', ack: 2, restore: 15, close: 25, note: { at: 5, text: '机房空调漏水导致交换机宕机' } },
  { title: '住院 HIS 全院瘫痪', system: 'HIS', ack: 8, restore: 50, close: 60, raise: { at: 1, to: 'L1', back: { at: 55, to: 'L3' } } },
  { title: '=HYPERLINK("http://example.com","PACS")', system: 'PACS', ack: null, restore: 40, close: 45 },
];
const APRIL: Case[] = [
  { title: 'HIS slow login', system: 'HIS', ack: 1, restore: 10, close: 12 },
  { title: 'HIS CPU 100% 告警', system: 'HIS', ack: 6, restore: 25, close: 30 },
  { title: 'LIS 接口中断', system: 'LIS', ack: 4, restore: null, close: null }, // still responding
];
const GAP = minutes(10 * 60);
const APRIL_START = Date.parse('2026-04-10T10:00:00+08:00');
/** YYYY-MM in Asia/Shanghai (UTC+8, no daylight saving). */
const monthOf = (ms: number) => new Date(ms + minutes(8 * 60)).toISOString().slice(0, 7);

interface Made extends Case {
  id: string;
  openedAt: number;
  highest: LevelId;
}

/** Plays one case on the virtual clock; returns with the clock at its last step. */
async function play(p: TestPlatform, c: Case): Promise<Made> {
  const openedAt = p.clock.now();
  const id = await p.engine.openIncident({ title: c.title, systems: [{ system: c.system, state: 'down' }] }, 'tech_oncall');
  const steps: { at: number; run: () => Promise<unknown> }[] = [];
  if (c.ack !== null) steps.push({ at: c.ack, run: () => p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall') });
  if (c.note) steps.push({ at: c.note.at, run: () => p.engine.act(id, { type: 'check_in', note: c.note!.text } as never, 'tech_oncall', 'tech_oncall') });
  if (c.raise) {
    const { to, back } = c.raise;
    steps.push({ at: c.raise.at, run: () => p.engine.act(id, { type: 'set_level', level: to, reason: '全院影响' } as never, 'commander', 'commander') });
    if (back) steps.push({ at: back.at, run: () => p.engine.act(id, { type: 'set_level', level: back.to, reason: '影响已缩小' } as never, 'commander', 'commander') });
  }
  if (c.restore !== null) steps.push({ at: c.restore, run: () => p.engine.act(id, { type: 'restore' }, 'tech_oncall', 'tech_oncall') });
  if (c.close !== null) steps.push({ at: c.close, run: () => p.engine.act(id, { type: 'close' }, 'commander', 'commander') });
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    await p.advance(openedAt + minutes(step.at) - p.clock.now());
    await step.run();
  }
  return { ...c, id, openedAt, highest: 'L3' };
}

/** The most severe level the engine recorded, read from its own level history (not from the history module). */
async function highestOf(p: TestPlatform, id: string): Promise<LevelId> {
  const view = await p.incidents.get(id);
  return [view.level, ...view.levelHistory.map((h) => h.level)].reduce((a, b) => (levelRank(b) < levelRank(a) ? b : a));
}

const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);
function expectedMedian(values: number[]): number | null {
  const s = sortedOf(values);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
}
/** Nearest rank: the smallest value with at least 90 % of the values at or below it. */
function expectedP90(values: number[]): number | null {
  const s = sortedOf(values);
  for (const v of s) if (s.filter((x) => x <= v).length >= 0.9 * s.length) return v;
  return null;
}

/** What the figures should say about one instant (ack or restore), per month and system (null: all systems). */
function expectedDurations(made: Made[], pick: (m: Made) => number | null, onlySystem?: string) {
  const cells = new Map<string, { values: number[]; excluded: number }>();
  for (const m of made) {
    if (onlySystem && m.system !== onlySystem) continue;
    for (const system of [null, m.system]) {
      const key = `${monthOf(m.openedAt)}|${system ?? '*'}`;
      const cell = cells.get(key) ?? { values: [], excluded: 0 };
      const v = pick(m);
      if (v === null) cell.excluded++;
      else cell.values.push(v);
      cells.set(key, cell);
    }
  }
  return Object.fromEntries([...cells].map(([key, c]) => [key, { count: c.values.length, medianMs: expectedMedian(c.values), p90Ms: expectedP90(c.values), excluded: c.excluded }]));
}

const byKey = (figures: { month: string; system: string | null; count: number; medianMs: number | null; p90Ms: number | null; excluded: number }[]) =>
  Object.fromEntries(figures.map((f) => [`${f.month}|${f.system ?? '*'}`, { count: f.count, medianMs: f.medianMs, p90Ms: f.p90Ms, excluded: f.excluded }]));

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`history and figures on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    const made: Made[] = [];
    const get = (url: string) => app.inject({ method: 'GET', url });
    const list = async (query: string) => {
      const res = await get(`/api/v1/history/incidents?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { id: string; [k: string]: unknown }[]; nextCursor: string | null; total: number };
    };
    const ids = (cases: Made[]) => [...cases].sort((a, b) => b.openedAt - a.openedAt).map((m) => m.id);

    beforeAll(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: [routeSets.history] });
      for (const c of MARCH) {
        made.push(await play(p, c));
        await p.advance(GAP);
      }
      await p.advance(APRIL_START - p.clock.now());
      for (const c of APRIL) {
        made.push(await play(p, c));
        await p.advance(GAP);
      }
      for (const m of made) m.highest = await highestOf(p, m.id); // an open incident may have been raised since
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await p?.dispose();
    });

    it('lists every incident, open and closed, newest first, with its response times and obligations', async () => {
      const page = await list('');
      expect(page.total).toBe(made.length);
      expect(page.items.map((i) => i.id)).toEqual(ids(made));
      expect(page.nextCursor).toBeNull();
      for (const m of made) {
        const item = page.items.find((i) => i.id === m.id)!;
        expect(item).toMatchObject({
          title: m.title,
          systems: [m.system],
          openedAt: new Date(m.openedAt).toISOString(),
          state: m.close !== null ? 'closed' : m.restore !== null ? 'recovering' : 'responding',
          timeToAcknowledgeMs: m.ack === null ? null : minutes(m.ack),
          timeToRestoreMs: m.restore === null ? null : minutes(m.restore),
          durationMs: m.close === null ? null : minutes(m.close),
        });
        expect((item.level as { highest: string }).highest).toBe(m.highest);
      }
      // raised to L1 and lowered again: the highest level reached and the current one
      const lowered = made.find((m) => m.raise?.back)!;
      expect(page.items.find((i) => i.id === lowered.id)!.level).toEqual({ highest: 'L1', current: lowered.raise!.back!.to });
      // O3.1 (acknowledge within 5 minutes): met, late or missed as the test acknowledged
      for (const m of made) {
        const counts = page.items.find((i) => i.id === m.id)!.obligations as Record<string, number>;
        const o31 = m.ack === null ? 'missed' : m.ack <= 5 ? 'met' : 'late';
        expect(counts[o31]).toBeGreaterThanOrEqual(1);
      }
    });

    it('filters by system, level, state and date range (dates in the configured time zone)', async () => {
      const of = async (q: string) => (await list(q)).items.map((i) => i.id);
      expect(await of('system=LIS')).toEqual(ids(made.filter((m) => m.system === 'LIS')));
      expect(await of('system=LIS,PACS')).toEqual(ids(made.filter((m) => m.system !== 'HIS')));
      for (const level of LEVEL_IDS) expect(await of(`level=${level}`)).toEqual(ids(made.filter((m) => m.highest === level)));
      expect(await of('state=open')).toEqual(ids(made.filter((m) => m.close === null)));
      expect(await of('state=closed')).toEqual(ids(made.filter((m) => m.close !== null)));
      expect(await of('state=responding')).toEqual(ids(made.filter((m) => m.restore === null)));
      expect(await of('from=2026-04-01')).toEqual(ids(made.filter((m) => m.openedAt >= Date.parse('2026-04-01T00:00:00+08:00'))));
      expect(await of('from=2026-03-01&to=2026-03-31')).toEqual(ids(made.filter((m) => monthOf(m.openedAt) === '2026-03')));
      // a date is a whole local day: 2026-03-02 ends at 2026-03-03 00:00 in Shanghai (16:00 UTC), not at midnight UTC
      const endOfDay = Date.parse('2026-03-03T00:00:00+08:00');
      const onTheDay = made.filter((m) => m.openedAt < endOfDay);
      expect(made.some((m) => m.openedAt >= endOfDay && m.openedAt < Date.parse('2026-03-03T00:00:00Z'))).toBe(true); // the case that tells them apart
      expect(await of('to=2026-03-02')).toEqual(ids(onTheDay));
      // a date-time with an offset is that instant; one without is local time
      expect(await of(`from=${encodeURIComponent(new Date(made[1].openedAt).toISOString())}&to=2026-03-02`)).toEqual(ids(onTheDay.filter((m) => m.openedAt >= made[1].openedAt)));
      expect(made[0].openedAt).toBe(T0); // 2026-03-02 09:00 in Shanghai
      expect(await of('from=2026-03-02T09:00&to=2026-03-02T09:00')).toEqual([made[0].id]);
      expect(await of('system=HIS&state=closed&from=2026-04-01')).toEqual(ids(made.filter((m) => m.system === 'HIS' && m.close !== null && monthOf(m.openedAt) === '2026-04')));
    });

    it('searches titles and timeline notes, case-insensitively, with % and _ taken literally', async () => {
      const noted = made.find((m) => m.note)!;
      expect((await list(`q=${encodeURIComponent('空调漏水')}`)).items.map((i) => i.id)).toEqual([noted.id]);
      expect((await list(`q=${encodeURIComponent('his SLOW')}`)).items.map((i) => i.id)).toEqual(made.filter((m) => /his slow/i.test(m.title)).map((m) => m.id));
      const percent = made.filter((m) => m.title.includes('%')).map((m) => m.id);
      expect(percent).toHaveLength(1);
      expect((await list(`q=${encodeURIComponent('%')}`)).items.map((i) => i.id)).toEqual(percent);
      expect((await list(`q=${encodeURIComponent('100%')}`)).items.map((i) => i.id)).toEqual(percent);
      expect((await list(`q=${encodeURIComponent('住院_HIS')}`)).total).toBe(0); // _ is no wildcard
      expect((await list(`q=${encodeURIComponent('空调漏水')}&system=HIS`)).total).toBe(0);
    });

    it('pages newest first by cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(made.length);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(Math.ceil(made.length / 3));
      expect(seen).toEqual(ids(made));
    });

    it('refuses bad filters with 400 problem+json naming the field', async () => {
      const bad: [string, string][] = [
        ['system=NOPE', 'system'],
        ['level=L9', 'level'],
        ['state=lost', 'state'],
        ['from=2026-13-01', 'from'],
        ['to=yesterday', 'to'],
        ['from=2026-04-02&to=2026-04-01', 'from'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=ten', 'limit'],
        [`q=${'x'.repeat(201)}`, 'q'],
        ['cursor=not-a-cursor', 'cursor'],
      ];
      for (const [query, field] of bad) {
        // the CSV takes the same filters (limit and cursor do not apply: it holds every matching row)
        const paths = ['limit', 'cursor'].includes(field) ? ['/api/v1/history/incidents'] : ['/api/v1/history/incidents', '/api/v1/history/incidents.csv'];
        for (const path of paths) {
          const res = await get(`${path}?${query}`);
          expect(res.statusCode, `${path}?${query}`).toBe(400);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
        }
      }
      expect((await get('/api/v1/history/incidents.csv?lang=fr')).json().errors[0].path).toBe('lang');
      expect((await list('limit=500')).items).toHaveLength(made.length);
    });

    it('exports every matching row as CSV for Excel: BOM, Chinese or English headers, quoting, formulas guarded', async () => {
      const res = await get('/api/v1/history/incidents.csv');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="lifeline-incidents-\d{8}\.csv"$/);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
      const [header, ...data] = rows;
      expect(header[0]).toBe('编号');
      expect(header).toContain('标题');
      expect(data.map((r) => r[0])).toEqual(ids(made));
      const title = header.indexOf('标题');
      const ackMin = header.indexOf('确认用时（分钟）');
      for (const m of made) {
        const row = data.find((r) => r[0] === m.id)!;
        expect(row).toHaveLength(header.length);
        expect(row[title]).toBe(m.title.startsWith('=') ? `'${m.title}` : m.title);
        expect(row[ackMin]).toBe(m.ack === null ? '' : String(m.ack));
      }
      expect(res.body).toContain('"检验报告, ""无法出具"""');
      expect(res.body).toContain(`"'=HYPERLINK(""http://example.com"",""PACS"")"`);

      const en = await get('/api/v1/history/incidents.csv?lang=en&system=LIS');
      const [enHeader, ...enData] = parseCsv(en.body.replace(/^\uFEFF/, ''));
      expect(enHeader.slice(0, 3)).toEqual(['ID', 'Title', 'State']);
      expect(enData.map((r) => r[0])).toEqual(ids(made.filter((m) => m.system === 'LIS')));
      expect(enData.find((r) => r[0] === made.find((m) => m.system === 'LIS' && m.close === null)!.id)![2]).toBe('Responding');
    });

    it('computes time to acknowledge and to restore per system and month (median, p90), as the test played them', async () => {
      const res = await get('/api/v1/figures?from=2026-03-01&to=2026-04-30');
      expect(res.statusCode, res.body).toBe(200);
      const f = res.json();
      expect(f.months).toEqual(['2026-03', '2026-04']);
      expect(f.incidents).toBe(made.length);
      expect(byKey(f.timeToAcknowledge)).toEqual(expectedDurations(made, (m) => (m.ack === null ? null : minutes(m.ack))));
      expect(byKey(f.timeToRestore)).toEqual(expectedDurations(made, (m) => (m.restore === null ? null : minutes(m.restore))));
      // one system only: its cells and the all-systems cell over its incidents
      const his = (await get('/api/v1/figures?from=2026-03-01&to=2026-04-30&system=HIS')).json();
      expect(byKey(his.timeToRestore)).toEqual(expectedDurations(made, (m) => (m.restore === null ? null : minutes(m.restore)), 'HIS'));
      // the default range is the last 12 months up to now, which holds every incident
      expect((await get('/api/v1/figures')).json().incidents).toBe(made.length);
    });

    it('gives the share of each obligation met on time, and incidents per level per month', async () => {
      const f = (await get('/api/v1/figures?from=2026-03-01&to=2026-04-30')).json();
      const o31 = f.obligationsOnTime.find((o: { rule: string }) => o.rule === 'O3.1');
      const onTime = made.filter((m) => m.ack !== null && m.ack <= 5).length;
      const late = made.filter((m) => m.ack !== null && m.ack > 5).length;
      const missed = made.filter((m) => m.ack === null).length;
      expect(o31).toMatchObject({ onTime, late, missed, pending: 0, total: made.length, share: onTime / (onTime + late + missed) });
      expect(o31.action.zh).toBe(p.plan.obligations.find((o) => o.id === 'O3.1')!.action.zh);
      for (const o of f.obligationsOnTime) {
        expect(o.onTime + o.late + o.missed + o.pending).toBe(o.total);
        expect(p.plan.obligations.some((r) => r.id === o.rule)).toBe(true);
      }
      for (const month of ['2026-03', '2026-04']) {
        const row = f.incidentsPerLevel.find((r: { month: string }) => r.month === month);
        const inMonth = made.filter((m) => monthOf(m.openedAt) === month);
        expect(row.total).toBe(inMonth.length);
        for (const level of LEVEL_IDS) expect(row.counts[level]).toBe(inMonth.filter((m) => m.highest === level).length);
      }
    });

    it('refuses bad figure parameters with 400 naming the field', async () => {
      for (const [query, field] of [
        ['from=soon', 'from'],
        ['system=NOPE', 'system'],
        ['from=2026-05-01&to=2026-04-01', 'from'],
        ['from=2000-01-01&to=2026-01-01', 'from'],
        ['q=x', 'q'],
      ]) {
        const res = await get(`/api/v1/figures?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json().errors[0].path).toBe(field);
      }
    });
  });
}
