/**
 * Issue 14 on a real `lifeline start` process: one LIS alert fires, resolves and is closed five times within
 * 30 minutes, and every firing reaches the on-duty engineer (tech_oncall) through a webhook channel pointing at
 * a receiver in this test. The first three firings open incidents as usual (incident.opened); from the third
 * re-opening within the window (src/intake/noise.ts: flapReopens 2, flapWindowMs 30 min) the alert is flapping
 * and re-opens the third incident (marked flapping, a new outage) — paging again (incident.relapsed) instead
 * of being damped into silence.
 *
 * Time: the server runs on real time. The flap window is counted from max(at, received_at) of each signal,
 * and a close is recorded at the server's now, so the signals carry `at` = the moment they are posted: the
 * five flaps then happen within a few seconds, which is "within 30 minutes" for the server. (Back-dated `at`
 * times would not move the flap window — received_at wins — and would put a firing before the close of the
 * incident it re-opens.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, writeWebhookNotify, type RecordingServer } from './support/recording-server.js';
import { createToken, type RunningServer, startServer, tempDir, tokenApi } from './support/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The server's log, shown when a wait times out. */
let serverLog = () => '';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server log:\n${serverLog().slice(-3000)}`);
    await sleep(25);
  }
}

/** What the webhook channel posts (src/notify/channels/webhook.ts webhookBody). */
interface WebhookBody {
  type: string;
  subject: string;
  text: string;
  links: { ack?: string; incident?: string };
  recipient: { personId?: string; name?: string };
}
interface SignalView {
  id: string;
  status: string;
  processed: boolean;
  outcome: string | null;
  incidentId: string | null;
}
interface IncidentView {
  id: string;
  state: string;
  outage: number;
  flapping: { since: string; reopens: number } | null;
}

/** The reason line of a page (src/notify/render.ts, zh). */
const OPENED = '原因：新事件，请响应';
const RELAPSED = '原因：已恢复的故障再次发生，请响应';
const ALERT = { source: 'zabbix', system: 'LIS', component: 'analyser-link', severity: 'orange', dedupKey: 'flap-server-lis-1' };

describe('a flapping alert on a real server: five flaps in 30 minutes, each firing reaches a person', () => {
  let server: RunningServer;
  let receiver: RecordingServer;
  let token: string;

  beforeAll(async () => {
    receiver = await startRecordingServer(() => '{"ok":true}');
    const dataDir = tempDir('lifeline-flapping-');
    writeWebhookNotify(dataDir, receiver.url, '{ every: PT30M, limit: 1 }'); // no repeats: every delivery the receiver gets is a first page
    token = createToken(dataDir, 'admin', 'flapping-test');
    server = await startServer({ LIFELINE_DATA_DIR: dataDir });
    serverLog = server.output;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  const api = tokenApi(() => ({ url: server.url, token }), '');
  const signals = async () => (await api<{ items: SignalView[] }>('GET', '/api/v1/signals?limit=100')).items;
  /** Posts one signal of the alert and waits until the server has processed it; returns it as listed. */
  let posted = 0;
  const post = async (status: 'firing' | 'resolved', summary: string): Promise<SignalView> => {
    await api('POST', '/api/v1/signals', { ...ALERT, status, summary, at: new Date().toISOString() });
    posted++;
    const items = await until('the signal to be processed', async () => {
      const list = await signals();
      return list.length >= posted && list.every((s) => s.processed) ? list : undefined;
    });
    expect(items).toHaveLength(posted);
    return items[0]!;
  };
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as WebhookBody);

  it('opens three incidents, re-opens the third twice (flapping, outage 3), and pages tech_oncall at every firing', async () => {
    // the roster: one engineer holds tech_oncall (nobody else holds any role)
    const engineer = await api<{ id: string; name: string }>('POST', '/api/v1/people', { name: '王值班', employeeNo: 'T14001', mobile: '13800000014' });
    await api('PUT', '/api/v1/roles/tech_oncall/assignees', { holders: [engineer.id] });
    const onDuty = (await api<{ items: { role: string; person: { id: string } | null }[] }>('GET', '/api/v1/oncall/now')).items;
    expect(onDuty.filter((d) => d.role === 'tech_oncall').map((d) => d.person?.id)).toEqual([engineer.id]);

    const started = Date.now();
    const incidentOf: string[] = [];
    const pageIndex: number[] = []; // per firing: where its page sits in the receiver's requests
    for (let k = 1; k <= 5; k++) {
      const before = receiver.received.length;
      const fired = await post('firing', 'LIS 仪器接口中断');
      // the firing is never damped: it opened an incident or re-opened one
      expect(fired.outcome, `firing ${k}`).not.toBe('flapping');
      expect(fired.incidentId, `firing ${k} is left without an incident`).toBeTruthy();
      const id = fired.incidentId!;
      if (k <= 3) expect(incidentOf, `firing ${k} opens a new incident`).not.toContain(id);
      else expect(id, `firing ${k} re-opens the third incident`).toBe(incidentOf[2]);
      incidentOf.push(id);
      const incident = await api<IncidentView>('GET', `/api/v1/incidents/${id}`);
      expect(incident.state, `firing ${k}`).toBe('responding');

      // …and reaches the engineer: a new webhook delivery for this person naming this incident, with its reason
      const reason = k <= 3 ? OPENED : RELAPSED;
      const at = await until(`the page of firing ${k} (${reason})`, () => {
        const i = bodies().findIndex((b, n) => n >= before && b.recipient.personId === engineer.id && b.links.incident?.endsWith(`/incidents/${id}`) === true && b.text.includes(reason));
        return i >= 0 ? i : undefined;
      });
      pageIndex.push(at);

      if (k === 5) break;
      const resolved = await post('resolved', 'LIS 仪器接口恢复');
      expect(resolved.incidentId).toBe(id);
      const closed = await api<IncidentView>('POST', `/api/v1/incidents/${id}/actions`, { type: 'close', reason: '接口已恢复' });
      expect(closed.state).toBe('closed');
    }

    // one page per firing, in the order of the firings
    expect(pageIndex).toHaveLength(5);
    expect([...pageIndex].sort((a, b) => a - b)).toEqual(pageIndex);
    expect(new Set(pageIndex).size).toBe(5);
    const mine = bodies().filter((b) => b.type === 'lifeline.notification' && b.recipient.personId === engineer.id);
    expect(mine.length).toBeGreaterThanOrEqual(5);
    const reasons = (id: string, reason: string) => mine.filter((b) => b.links.incident?.endsWith(`/incidents/${id}`) && b.text.includes(reason)).length;
    expect(incidentOf.slice(0, 3).map((id) => reasons(id, OPENED))).toEqual([1, 1, 1]);
    expect(reasons(incidentOf[2]!, RELAPSED)).toBe(2);

    // three incidents: the first two closed as they were, the third re-opened twice by the flapping alert
    const all = (await api<{ items: IncidentView[] }>('GET', '/api/v1/incidents?state=all')).items;
    expect(all.map((i) => i.id).sort()).toEqual([...new Set(incidentOf)].sort());
    expect(all).toHaveLength(3);
    for (const id of incidentOf.slice(0, 2)) expect(await api<IncidentView>('GET', `/api/v1/incidents/${id}`)).toMatchObject({ state: 'closed', outage: 1, flapping: null });
    const third = await api<IncidentView>('GET', `/api/v1/incidents/${incidentOf[2]}`);
    expect(third).toMatchObject({ state: 'responding', outage: 3, flapping: { reopens: 2 } });

    // every signal was processed into an incident; none was damped as flapping
    const list = await signals();
    expect(list).toHaveLength(9);
    expect(list.filter((s) => s.outcome === 'flapping' || !s.processed || !s.incidentId)).toEqual([]);
    expect(list.filter((s) => s.status === 'firing')).toHaveLength(5);

    // the five flaps took seconds of real time: well within the 30-minute flap window
    expect(Date.now() - started).toBeLessThan(30 * 60_000);
  }, 30_000);
});
