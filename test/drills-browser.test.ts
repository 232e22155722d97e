// A drill end to end in Chromium (issue 18, "Done when"): an HQ member starts the catalogue's HIS-database drill on
// /drills with a time factor of 20; the server injects it as a drill incident (演练 on the run page and the incident
// room) whose pages reach a webhook starting with 【演练】. The on-duty technician, signed in with an account linked to
// his person, presses 收到; an observer marks a step on the phone sheet (360 px, no overflow). Meanwhile the patient
// status page is unchanged and the incident owes no regulator report (RR.*). The HQ member ends the drill after the
// scaled deadlines nobody met have passed; the score page and the DOCX report say O3.1 met by the technician, the
// others missed, and the technical group's score counts exactly that. No English on the zh-CN drill screens.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_ASCII_WORDS,
  asciiWordsOnScreen,
  browserUnavailable,
  buildWebApp,
  collectPageErrors,
  desktopContext,
  horizontalOverflow,
  launchChromium,
  phoneContext,
  signIn,
} from './support/browser.js';
import { startRecordingServer, writeWebhookNotify, type RecordingServer } from './support/recording-server.js';
import { lifeline, type RunningServer, startServer, tempDir, tokenApi } from './support/server.js';

const HQ = { username: 'hq01', password: 'hq member passphrase 18', name: '刘总值班' };
const TECH = { username: 'zhangwei', password: 'technician passphrase 18', name: '张伟（信息中心）' };
/** Deadlines run 20× faster: O3.1 (5 min) is due 15 s after the opening, O3.2 / O2.1 (10 min) 30 s. */
const FACTOR = 20;
/** The header's language switch (radio inputs whose value is 'on'); rule ids such as O3.1 on the score page; UPS in the plan's steps; Word (the report's format) on the score page. */
const ALLOWED = [...ALLOWED_ASCII_WORDS, 'EN', 'on', 'O3', 'O2', 'UPS', 'Word'];
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const DOCX_TABLES = `
import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({"headers": [p.text for s in d.sections for p in s.header.paragraphs], "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]}))
`;

const skip = browserUnavailable();
if (skip) console.warn(`[skip] browser tests skipped: ${skip}`);
const soon = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Obligation {
  ruleId: string;
  state: string;
  dueAt: string | null;
}
interface Score {
  groups: { id: string; score: number | null; parts: { part: string; items: number; points: number }[] }[];
  obligations: { ruleId: string; groupId: string; outcome: 'met' | 'late' | 'missed'; metBy: string | null }[];
}

describe.skipIf(!!skip).sequential('a drill in the browser: started, paged, acknowledged, ended and scored', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let receiver: RecordingServer;
  let browser: Browser;
  let hq: Page;
  let tech: Page;
  let token: string;
  let dataDir: string;
  let techId = '';
  const errors: string[] = [];

  const api = tokenApi(() => ({ url: server.url, token }));
  const noEnglish = async (page: Page) => expect(await asciiWordsOnScreen(page, ALLOWED)).toEqual([]);

  beforeAll(async () => {
    await buildWebApp();
    receiver = await startRecordingServer(() => '{"ok":true}');
    dataDir = tempDir('lifeline-drills-browser-');
    writeWebhookNotify(dataDir, receiver.url, '{ every: 10m, limit: 1 }');
    const roster = path.join(dataDir, 'roster.csv');
    fs.writeFileSync(roster, '工号,姓名,科室,手机\r\nT18101,张伟,信息中心,13800001801\r\nT18105,陈静,信息中心,13800001805\r\n');
    const env = { LIFELINE_DATA_DIR: dataDir };
    await lifeline(env, ['people', 'import', roster]);
    await lifeline(env, ['user', 'add', HQ.username, '--role', 'hq_member', '--name', HQ.name, '--password-stdin'], `${HQ.password}\n`);
    await lifeline(env, ['user', 'add', TECH.username, '--role', 'technical', '--name', TECH.name, '--password-stdin'], `${TECH.password}\n`);
    token = (await lifeline(env, ['token', 'add', 'drills-test', '--role', 'admin'])).trimEnd().split('\n').at(-1)!;
    server = await startServer(env);

    const people = (await api<{ items: { id: string; name: string }[] }>('GET', '/people')).items;
    techId = people.find((p) => p.name === '张伟')!.id;
    await api('PUT', '/roles/tech_oncall/assignees', { holders: [techId] });
    await api('PUT', '/roles/tech_lead/assignees', { holders: [people.find((p) => p.name === '陈静')!.id] });
    const account = (await api<{ items: { id: string; username: string }[] }>('GET', '/accounts')).items.find((a) => a.username === TECH.username)!;
    await api('PATCH', `/accounts/${account.id}`, { personId: techId });

    browser = await launchChromium();
    hq = await (await desktopContext(browser)).newPage();
    tech = await (await desktopContext(browser)).newPage();
    for (const p of [hq, tech]) {
      p.setDefaultTimeout(60_000);
      collectPageErrors(p, errors, [401]);
    }
    await signIn(hq, server.url, HQ, '/drills');
    await signIn(tech, server.url, TECH, '/');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  it('runs the HIS-database drill from the catalogue and scores what people did', async () => {
    const statusBefore = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { overall: string };

    // 1. the HQ member starts DR.his_db from the catalogue, 20× faster
    await hq.getByTestId('drills-home').waitFor();
    await noEnglish(hq);
    await hq.getByTestId('drill-entry-select').click();
    await hq.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'HIS 数据库宕机' }).first().click();
    await hq.locator('input[data-testid="drill-factor"], [data-testid="drill-factor"] input').first().fill(String(FACTOR));
    await hq.getByTestId('drill-start-button').click();
    await hq.waitForURL('**/drills/runs/*');
    const runId = hq.url().split('/').at(-1)!;
    expect(runId).toMatch(/^drr_/);

    // 2. the drill incident appears on the run page, marked 演练; its pages start with 【演练】
    const incidentLink = hq.getByTestId('drill-incident').locator('a');
    await incidentLink.first().waitFor();
    const incidentId = (await incidentLink.first().getAttribute('href'))!.split('/').at(-1)!;
    expect(await hq.getByTestId('drill-incident').getByTestId('drill-badge').count()).toBe(1);
    await noEnglish(hq);
    const pages = () => receiver.received.map((r) => JSON.parse(r.body) as { type: string; text: string; recipient: { personId?: string }; links: { incident?: string } });
    await soon(() => pages().filter((b) => b.recipient.personId === techId && b.links.incident?.endsWith(incidentId)).length).toBeGreaterThan(0);
    const drillPages = pages().filter((b) => b.links.incident?.endsWith(incidentId));
    expect(drillPages.length).toBeGreaterThan(0);
    for (const b of drillPages) expect(b.text.startsWith('【演练】'), b.text).toBe(true);

    // 3. the technician opens the incident room (演练 banner) and presses 收到, well within O3.1's scaled 15 s
    await tech.goto(`${server.url}/incidents/${incidentId}`);
    await tech.getByTestId('drill-banner').waitFor();
    const acked = tech.waitForResponse((r) => r.url().endsWith(`/incidents/${incidentId}/actions`) && r.request().method() === 'POST');
    await tech.getByTestId('action-acknowledge').click();
    expect((await acked).status()).toBe(200);

    // 5. meanwhile nothing leaves: the status page is as before and no regulator report is owed
    const incident = await api<{ drill: { runId: string } | null; obligations: Obligation[] }>('GET', `/incidents/${incidentId}`);
    expect(incident.drill).toMatchObject({ runId });
    expect(incident.obligations.filter((o) => o.ruleId.startsWith('RR.'))).toEqual([]);
    expect(incident.obligations.find((o) => o.ruleId === 'O3.1')).toMatchObject({ state: 'met' });
    const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { overall: string };
    expect(status.overall).toBe(statusBefore.overall);
    expect(JSON.stringify(status)).not.toContain(incidentId);

    // 4. an observer marks a step on the phone sheet: 360 px without sideways scrolling
    const phone = await (await phoneContext(browser)).newPage();
    phone.setDefaultTimeout(60_000);
    collectPageErrors(phone, errors, [401]);
    await signIn(phone, server.url, HQ, `/drills/runs/${runId}/sheet`);
    await phone.getByTestId('drill-sheet').waitFor();
    const step = phone.locator('[data-testid^="step-"][data-marked]').first();
    await step.getByTestId('mark-done').click();
    await soon(() => step.getAttribute('data-marked')).toBe('done');
    expect(await horizontalOverflow(phone)).toBe('');
    await noEnglish(phone);
    await phone.context().close();

    // 6. after the 10-minute deadlines (30 s here) nobody met have passed, the HQ member ends the drill
    const lastDue = Math.max(...['O3.2', 'O2.1'].map((r) => Date.parse(incident.obligations.find((o) => o.ruleId === r)!.dueAt!)));
    await sleep(Math.max(0, lastDue + 1500 - Date.now()));
    await hq.getByTestId('drill-end').click();
    await soon(() => hq.getByTestId('drill-run').getAttribute('data-state')).toBe('ended');
    await hq.getByTestId('drill-score-link').click();
    await hq.getByTestId('drill-score').waitFor();
    await soon(() => hq.getByTestId('obligation-O3.1').getAttribute('data-outcome')).toBe('met');
    expect(await hq.getByTestId('obligation-O3.2').getAttribute('data-outcome')).toBe('missed');
    expect(await hq.getByTestId('obligation-O2.1').getAttribute('data-outcome')).toBe('missed');
    await noEnglish(hq);

    const score = await api<Score>('GET', `/drills/runs/${runId}/score`);
    expect(score.obligations.find((o) => o.ruleId === 'O3.1')).toMatchObject({ outcome: 'met', metBy: TECH.name, groupId: 'tech' });
    // the technical group's deadline part counts exactly the deadlines its people met: O3.1 of them
    const techGroup = score.groups.find((g) => g.id === 'tech')!;
    const techDeadlines = score.obligations.filter((o) => o.groupId === 'tech');
    expect(techGroup.parts.find((p) => p.part === 'obligations')).toMatchObject({ items: techDeadlines.length, points: techDeadlines.filter((o) => o.outcome === 'met').length });
    expect(techDeadlines.filter((o) => o.outcome === 'met').map((o) => o.ruleId)).toEqual(['O3.1']);
    expect(techGroup.score).toBeGreaterThan(0);
    expect(techGroup.score).toBeLessThan(100);
    expect(await hq.getByTestId('group-score-tech').getAttribute('data-score')).toBe(String(techGroup.score));

    // the report as the score page links it, read by python3-docx: 演练, O3.1 met by 张伟, O3.2 missed
    const href = (await hq.getByTestId('drill-report-docx').getAttribute('href'))!;
    const res = await hq.context().request.get(new URL(href, server.url).toString());
    expect(res.status()).toBe(200);
    const file = path.join(dataDir, 'drill-report.docx');
    fs.writeFileSync(file, await res.body());
    const docx = JSON.parse(execFileSync(PYTHON, ['-c', DOCX_TABLES, file], { encoding: 'utf8' })) as { headers: string[]; tables: string[][][] };
    expect(docx.headers.join(' ')).toContain('演练');
    const rows = docx.tables.flat();
    const row = (first: string) => rows.find((r) => r[0] === first)?.join('|') ?? '';
    expect(row('O3.1')).toContain('按时完成');
    expect(row('O3.1')).toContain(TECH.name);
    expect(row('O3.2')).toContain('未完成');
    expect(row('O2.1')).toContain('未完成');
    expect(rows.some((r) => r.includes(String(techGroup.score)) && r.some((c) => c.includes('技术')))).toBe(true);
    expect(errors).toEqual([]);
  });
});
