import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { minutes, type TestPlatform, testPlatform } from './support/platform.js';

const SCENARIO = readFileSync('scenarios/drills/his-database-down.yaml', 'utf8');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa1f1a00000000049454e44ae426082', 'hex');

describe('drill evaluation (SQLite, virtual clock)', () => {
  let p: TestPlatform;
  beforeEach(async () => {
    p = await testPlatform('sqlite');
    await p.start();
  }, 60_000);
  afterEach(async () => p.dispose());

  it('catalogue: never run is due now; a planned date is reminded once per window to the organiser', async () => {
    const items = await p.drillEvaluation.catalogue();
    expect(items.map((i) => i.id)).toContain('DR.his_db');
    expect(items.every((i) => i.state === 'due' && i.lastRun === null)).toBe(true);
    const sent: { role: string; text: string }[] = [];
    (p.drillEvaluation.d as { notice: unknown }).notice = async (role: string, text: { zh: string }) => {
      sent.push({ role, text: text.zh });
      return 1;
    };
    // planned 20 days ahead: nothing now, the P14D reminder after 7 days, never twice, then P1D
    const day = new Date(p.clock.now() + 20 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await p.drillEvaluation.setPlannedDate('DR.his_db', day, 'tester');
    expect(await p.drillEvaluation.checkReminders()).toEqual([]);
    await p.advance(7 * 86_400_000);
    expect((await p.drillEvaluation.checkReminders()).map((r) => r.before)).toEqual(['P14D']);
    expect(await p.drillEvaluation.checkReminders()).toEqual([]);
    await p.advance(86_400_000);
    expect(await p.drillEvaluation.checkReminders()).toEqual([]);
    await p.advance(11 * 86_400_000);
    expect((await p.drillEvaluation.checkReminders()).map((r) => r.before)).toEqual(['P1D']);
    expect(sent).toEqual([
      { role: 'tech_lead', text: expect.stringContaining(day) },
      { role: 'tech_lead', text: expect.stringContaining(day) },
    ]);
    const months = await p.drillEvaluation.calendar();
    expect(months).toHaveLength(12);
    expect(months.flatMap((m) => m.entries).find((e) => e.catalogueId === 'DR.his_db' && e.planned)?.date).toBe(day);
  }, 60_000);

  it('scores follow the facts: acknowledging in time raises the tech score; the report carries scores and marks', async () => {
    // the runs inject signals into the intake journal (passed by compose once the runs module is wired; idempotent then)
    (p.drills.deps as { signals?: unknown }).signals ??= p.signals;
    const run = await p.drills.startRun({ scenarioYaml: SCENARIO, timeFactor: 1, organiser: 'tester' });
    await p.engine.processPending();
    const detail = await p.drillEvaluation.run(run.id);
    expect(detail.incidentIds).toHaveLength(1);
    const incidentId = detail.incidentIds[0]!;
    const before = await p.drillEvaluation.score(run.id);
    const o31 = () => p.drillEvaluation.score(run.id).then((s) => s.obligations.find((o) => o.ruleId === 'O3.1'));
    await p.advance(minutes(2));
    await p.engine.act(incidentId, { type: 'acknowledge' }, 'tech_oncall');
    expect((await o31())?.outcome).toBe('met');
    const after = await p.drillEvaluation.score(run.id);
    const tech = (s: typeof after) => s.groups.find((g) => g.id === 'tech')!.score!;
    expect(tech(after)).toBeGreaterThan(tech(before));
    expect(after.obligations.some((o) => o.ruleId.startsWith('RR.'))).toBe(false);

    // an observer marks a step on the sheet, with a photo checked by its bytes
    const sheet = await p.drillEvaluation.sheet(run.id);
    const step = sheet.groups.find((g) => g.id === 'tech')!.steps.find((s) => s.kind === 'checklist') ?? sheet.groups.find((g) => g.id === 'tech')!.steps[0]!;
    expect(step).toBeTruthy();
    const app = await buildApp(p, { logger: false, extensions: appExtensions });
    const put = await app.inject({ method: 'PUT', url: `/api/v1/drills/runs/${run.id}/marks`, payload: { stepKey: step.key, outcome: 'missed', note: '未到场' } });
    expect(put.statusCode).toBe(200);
    const gif = await app.inject({
      method: 'PUT',
      url: `/api/v1/drills/runs/${run.id}/marks/photo?step=${step.key}`,
      headers: { 'content-type': 'image/png' },
      payload: Buffer.from('GIF89a-not-a-png'),
    });
    expect(gif.statusCode).toBe(415);
    expect(gif.headers['content-type']).toContain('application/problem+json');
    expect(gif.json().code).toBe('PHOTO_TYPE_UNSUPPORTED');
    const big = await app.inject({
      method: 'PUT',
      url: `/api/v1/drills/runs/${run.id}/marks/photo?step=${step.key}`,
      headers: { 'content-type': 'image/jpeg' },
      payload: Buffer.alloc(5 * 1024 * 1024 + 10, 0xff),
    });
    expect(big.statusCode).toBe(413);
    const ok = await app.inject({ method: 'PUT', url: `/api/v1/drills/runs/${run.id}/marks/photo?step=${step.key}`, headers: { 'content-type': 'image/png' }, payload: PNG });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ outcome: 'missed', photo: true, markedBy: 'api' });

    const marked = await p.drillEvaluation.score(run.id);
    expect(marked.observers).toEqual({ done: 0, late: 0, missed: 1 });
    expect(tech(marked)).toBeLessThan(tech(after));

    await p.drills.endRun(run.id, 'tester');
    await p.drillEvaluation.settled();
    const stored = await p.drillEvaluation.score(run.id);
    expect(stored.overall).not.toBeNull();
    const docx = await app.inject({ method: 'GET', url: `/api/v1/drills/runs/${run.id}/report.docx` });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    await app.close();
  }, 90_000);
});
