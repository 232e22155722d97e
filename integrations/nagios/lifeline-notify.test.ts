import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRecordingServer, type RecordingServer } from '../../test/support/recording-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_LABEL, parseIntake } from '../../src/intake/format.js';
import { nagios } from '../../src/intake/formats/nagios.js';
import { adminHeaders } from '../../src/intake/testing.js';
import { startServer, tempDir, type RunningServer } from '../../test/support/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const NOTIFY = path.join(here, 'lifeline-notify');
const KEY = 'nagios-intake-key-42';
const ctx = { sourceName: 'nagios-main', now: Date.parse('2026-11-26T09:30:00Z') };

/** A real HTTP server standing in for Lifeline's intake; answers with `fake.status`. */
let fake: RecordingServer;
let url = '';

beforeAll(async () => {
  fake = await startRecordingServer(() => '{"error":"rejected for the test"}');
  url = `${fake.url}/api/v1/intake/nagios`;
});
afterAll(() => fake.close());

const keyFile = (() => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lifeline-notify-')), 'key');
  writeFileSync(file, `${KEY}\r\n`); // edited on Windows: the CR must not end up in the header
  return file;
})();

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the notification command as Nagios does: a shell, macros in NAGIOS_* variables, nothing else. */
function notify(shell: string, env: Record<string, string>, args: string[] = ['--url', url, '--key-file', keyFile]): Promise<RunResult> {
  fake.received.length = 0;
  return new Promise((resolve) => {
    execFile(shell, [NOTIFY, ...args], { env: { PATH: process.env.PATH!, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const OUTPUT = 'CRITICAL - 挂号库连接失败: "ORA-12541: TNS:无监听程序" at C:\\oracle\\network\ttab';
const LONG_OUTPUT = '第一行 line 1\n第二行 "quoted"\n\nlast line\n';
const problemEnv: Record<string, string> = {
  NAGIOS_NOTIFICATIONTYPE: 'PROBLEM',
  NAGIOS_HOSTNAME: 'his-db-01',
  NAGIOS_HOSTALIAS: 'HIS 数据库主机',
  NAGIOS_HOSTADDRESS: '10.1.1.31',
  NAGIOS_HOSTSTATE: 'UP',
  NAGIOS_SERVICEDESC: '挂号库 Oracle',
  NAGIOS_SERVICESTATE: 'CRITICAL',
  NAGIOS_LASTSERVICESTATE: 'OK',
  NAGIOS_SERVICEOUTPUT: OUTPUT,
  NAGIOS_LONGSERVICEOUTPUT: LONG_OUTPUT,
  NAGIOS_SERVICEPROBLEMID: '4711',
  NAGIOS_LONGDATETIME: 'Thu Nov 26 09:02:03 CST 2026',
  NAGIOS_TIMET: '1795654923',
  NAGIOS__SERVICESYSTEM: 'HIS',
};

const shells = ['dash', 'bash'].filter((shell) => {
  try {
    execFileSync(shell, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});

describe.each(shells)('lifeline-notify under %s', (shell) => {
  it('posts a Nagios service problem that the nagios intake reads, text intact', async () => {
    const result = await notify(shell, problemEnv);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fake.received).toHaveLength(1);
    const [request] = fake.received;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/intake/nagios' });
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');

    const body = JSON.parse(request!.body);
    expect(body.service_output).toBe(OUTPUT);
    expect(body.long_output).toBe(LONG_OUTPUT);
    const [signal] = parseIntake(nagios, body, ctx);
    expect(signal).toEqual({
      source: 'nagios-main',
      severity: 'red',
      status: 'firing',
      dedupKey: 'his-db-01!挂号库 Oracle',
      summary: `挂号库 Oracle on HIS 数据库主机: ${OUTPUT}`,
      host: 'his-db-01',
      system: 'HIS',
      at: '2026-11-26T01:02:03.000Z',
      labels: {
        notification_type: 'PROBLEM',
        host_state: 'UP',
        service_state: 'CRITICAL',
        last_state: 'OK',
        host_address: '10.1.1.31',
        host_display_name: 'HIS 数据库主机',
        problem_id: '4711',
        output: OUTPUT,
        long_output: LONG_OUTPUT,
        long_date_time: 'Thu Nov 26 09:02:03 CST 2026',
        monitor: 'nagios',
      },
    });
  });

  it('resolves the same alert on RECOVERY, using the last problem id', async () => {
    const env = {
      ...problemEnv,
      NAGIOS_NOTIFICATIONTYPE: 'RECOVERY',
      NAGIOS_SERVICESTATE: 'OK',
      NAGIOS_LASTSERVICESTATE: 'CRITICAL',
      NAGIOS_SERVICEOUTPUT: 'OK - 连接正常',
      NAGIOS_SERVICEPROBLEMID: '0',
      NAGIOS_LASTSERVICEPROBLEMID: '4711',
    };
    expect((await notify(shell, env)).code).toBe(0);
    const [signal] = parseIntake(nagios, JSON.parse(fake.received[0]!.body), ctx);
    expect(signal).toMatchObject({ status: 'resolved', severity: 'red', dedupKey: 'his-db-01!挂号库 Oracle', labels: { problem_id: '4711' } });
  });
});

describe('lifeline-notify', () => {
  it('takes everything from arguments, as the Icinga 2 NotificationCommand passes it', async () => {
    const args = [
      '--url',
      url,
      '--key',
      KEY,
      '--monitor',
      'icinga2',
      '--type',
      'ACKNOWLEDGEMENT',
      '--host',
      'pacs-gw-02',
      '--host-display-name',
      'PACS 影像网关',
      '--host-state',
      'DOWN',
      '--host-output',
      'CRITICAL - Host unreachable (10.1.2.4)',
      '--author',
      '张伟',
      '--comment',
      '已通知厂商 "联影"',
      '--timet',
      '1795658400',
      '--system=PACS',
    ];
    expect((await notify('sh', {}, args)).code).toBe(0);
    expect(fake.received[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    const [signal] = parseIntake(nagios, JSON.parse(fake.received[0]!.body), ctx);
    expect(signal).toMatchObject({
      status: 'firing',
      severity: 'red',
      dedupKey: 'pacs-gw-02',
      system: 'PACS',
      at: '2026-11-26T02:00:00.000Z',
      labels: { [ACK_LABEL]: 'true', author: '张伟', comment: '已通知厂商 "联影"', monitor: 'icinga2' },
    });
  });

  it.skipIf(!hasIconv())('converts GBK plugin output (Chinese Windows agents) to UTF-8', async () => {
    // Node passes environment strings as UTF-8, so a shell puts the raw GBK bytes into the variable.
    const gbkFile = path.join(path.dirname(keyFile), 'gbk-output');
    writeFileSync(gbkFile, Buffer.from([0xc1, 0xac, 0xbd, 0xd3, 0xb3, 0xac, 0xca, 0xb1])); // 连接超时 in GBK
    fake.received.length = 0;
    const code = await new Promise<number>((resolve) => {
      execFile(
        'sh',
        ['-c', 'NAGIOS_SERVICEOUTPUT=$(cat "$1") exec sh "$2" --url "$3" --key-file "$4"', 'sh', gbkFile, NOTIFY, url, keyFile],
        {
          env: { PATH: process.env.PATH!, ...problemEnv },
        },
        (error) => resolve(error ? 1 : 0),
      );
    });
    expect(code).toBe(0);
    expect(JSON.parse(fake.received[0]!.body).service_output).toBe('连接超时');
  });

  it('exits 1 with the answer when Lifeline rejects the notification', async () => {
    fake.status = 400;
    try {
      const result = await notify('sh', problemEnv);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Lifeline answered HTTP 400: {"error":"rejected for the test"}');
      expect(fake.received).toHaveLength(1); // a 4xx is final
    } finally {
      fake.status = 202;
    }
  });

  it('retries transient failures (HTTP 503) before giving up', async () => {
    fake.status = 503;
    try {
      const result = await notify('sh', problemEnv);
      expect(result.code).toBe(1);
      expect(fake.received).toHaveLength(3); // curl --retry 2
    } finally {
      fake.status = 202;
    }
  });

  it('refuses to run without the Nagios macros or without a key, sending nothing', async () => {
    const noType = await notify('sh', { NAGIOS_HOSTNAME: 'h' });
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain('no notification type');
    const noKey = await notify('sh', problemEnv, ['--url', url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no intake key');
    expect(fake.received).toHaveLength(0);
  });

  it('prints the body without sending it on --dry-run', async () => {
    const result = await notify('sh', problemEnv, ['--dry-run']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ notification_type: 'PROBLEM', service_output: OUTPUT, timestamp: 1795654923 });
    expect(fake.received).toHaveLength(0);
  });
});

function hasIconv(): boolean {
  try {
    execFileSync('iconv', ['-f', 'GB18030', '-t', 'UTF-8'], { input: '' });
    return true;
  } catch {
    return false;
  }
}

describe('lifeline-notify against a running Lifeline (`lifeline start`, key from `lifeline source add`)', () => {
  let lifeline: RunningServer;
  let realKeyFile = '';
  let admin: Record<string, string> = {};
  const dataDir = tempDir('lifeline-nagios-');
  beforeAll(async () => {
    lifeline = await startServer({ LIFELINE_DATA_DIR: dataDir });
    const out = execFileSync(process.execPath, ['bin/lifeline.js', 'source', 'add', 'nagios-main', '--type', 'nagios'], {
      env: { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    realKeyFile = path.join(mkdtempSync(path.join(tmpdir(), 'lifeline-notify-real-')), 'key');
    writeFileSync(realKeyFile, `${out.trim().split('\n').at(-1)}\n`);
    admin = adminHeaders(dataDir);
  }, 60_000);
  afterAll(async () => lifeline?.stop());

  const intakeUrl = () => `${lifeline.url}/api/v1/intake/nagios`;
  const api = async (u: string) => (await fetch(`${lifeline.url}${u}`, { headers: admin })).json();

  it('Nagios macros in the environment: PROBLEM opens a HIS incident, ACKNOWLEDGEMENT is recorded, RECOVERY makes it recovering', async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const run = (env: Record<string, string>) => notify('sh', { ...problemEnv, NAGIOS_TIMET: now, ...env }, ['--url', intakeUrl(), '--key-file', realKeyFile]);
    expect(await run({})).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await run({ NAGIOS_NOTIFICATIONTYPE: 'ACKNOWLEDGEMENT', NAGIOS_NOTIFICATIONAUTHOR: '张伟' })).code).toBe(0);
    expect((await run({ NAGIOS_NOTIFICATIONTYPE: 'RECOVERY', NAGIOS_SERVICESTATE: 'OK', NAGIOS_LASTSERVICESTATE: 'CRITICAL', NAGIOS_SERVICEOUTPUT: 'OK - 连接正常' })).code).toBe(0);
    const until = Date.now() + 30_000;
    let signals: { source: string; status: string; outcome: string | null; summary: string; incidentId: string | null }[] = [];
    while (Date.now() < until) {
      signals = (await api('/api/v1/signals?system=HIS')).items;
      if (signals.length === 3 && signals.every((s) => s.outcome)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(signals.reverse().map((s) => [s.source, s.status, s.outcome])).toEqual([
      ['nagios-main', 'firing', 'opened'],
      ['nagios-main', 'firing', 'acknowledged'],
      ['nagios-main', 'resolved', 'attached'],
    ]);
    expect(signals[0]!.summary).toBe(`挂号库 Oracle on HIS 数据库主机: ${OUTPUT}`); // text intact end to end
    const incident = await api(`/api/v1/incidents/${signals[0]!.incidentId}`);
    expect(incident).toMatchObject({ state: 'recovering', systems: [expect.objectContaining({ system: 'HIS' })] });
    expect(incident.timeline.map((t: { kind: string }) => t.kind)).toContain('signal.acknowledged');
  }, 60_000);

  it('exits 1 on a wrong key (401) or a malformed notification (400); nothing is stored', async () => {
    const before = (await api('/api/v1/signals')).items.length;
    const wrong = await notify('sh', problemEnv, ['--url', intakeUrl(), '--key', 'not-a-key']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('HTTP 401');
    const malformed = await notify('sh', { ...problemEnv, NAGIOS_SERVICESTATE: 'PURPLE' }, ['--url', intakeUrl(), '--key-file', realKeyFile]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('HTTP 400');
    expect(malformed.stderr).toContain('service_state');
    expect((await api('/api/v1/signals')).items.length).toBe(before);
  });
});
