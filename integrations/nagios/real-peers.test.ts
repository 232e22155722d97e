import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_LABEL, parseIntake } from '../../src/intake/format.js';
import { nagios } from '../../src/intake/formats/nagios.js';

/**
 * The README's configuration, run by the real peers when they are installed (Debian packages
 * nagios4-core and icinga2-bin): Nagios 4 runs lifeline-notify from the documented command
 * definitions against a local HTTP server; Icinga 2 validates the documented NotificationCommands.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const NOTIFY = path.join(here, 'lifeline-notify');

function installed(binary: string, args: string[]): boolean {
  try {
    execFileSync(binary, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** The fenced code blocks of README.md that contain `marker`. */
function readmeBlock(marker: string): string {
  const blocks = readFileSync(path.join(here, 'README.md'), 'utf8')
    .split(/^```[a-z]*\n/m)
    .filter((_, i) => i % 2 === 1);
  const block = blocks.find((b) => b.includes(marker));
  if (!block) throw new Error(`README.md has no block with ${marker}`);
  return block.replace(/```\s*$/s, '');
}

describe.skipIf(!installed('nagios4', ['--version']))('Nagios 4 with the README configuration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lifeline-nagios-'));
  const bodies: string[] = [];
  const auth: string[] = [];
  let server: http.Server;
  let nagiosProcess: ChildProcess | undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        auth.push(String(req.headers.authorization));
        res.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    for (const sub of ['var/spool/checkresults', 'var/rw']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, 'state'), 'critical');
    writeFileSync(path.join(dir, 'lifeline.key'), 'nagios-e2e-key\n');
    writeFileSync(path.join(dir, 'resource.cfg'), `$USER10$=http://127.0.0.1:${port}/api/v1/intake/nagios\n`);
    const check = path.join(dir, 'check-his.sh');
    writeFileSync(
      check,
      [
        '#!/bin/sh',
        `if [ "$(cat ${dir}/state)" = ok ]; then echo 'OK - 挂号库连接正常'; exit 0; fi`,
        `echo 'CRITICAL - 挂号库连接失败: "ORA-12541" at C:\\oracle'`,
        `echo '第二行 long output'`,
        'exit 2',
      ].join('\n'),
    );
    chmodSync(check, 0o755);
    writeFileSync(
      path.join(dir, 'lifeline.cfg'),
      readmeBlock('define command').replaceAll('/usr/local/bin/lifeline-notify', NOTIFY).replaceAll('/etc/nagios4/lifeline.key', path.join(dir, 'lifeline.key')),
    );
    writeFileSync(
      path.join(dir, 'objects.cfg'),
      `
define timeperiod {
    timeperiod_name 24x7
    alias always
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
    sunday 00:00-24:00
}
define command {
    command_name check-his
    command_line ${check}
}
define command {
    command_name check-ok
    command_line /bin/echo "OK - up"
}
define contactgroup {
    contactgroup_name lifeline-group
    members lifeline
}
define host {
    host_name his-db-01
    alias HIS 数据库主机
    address 10.1.1.31
    check_command check-ok
    max_check_attempts 1
    check_interval 3600
    check_period 24x7
    notification_period 24x7
    contact_groups lifeline-group
    _SYSTEM HIS
}
define service {
    host_name his-db-01
    service_description 挂号库 Oracle
    check_command check-his
    max_check_attempts 1
    check_interval 2
    retry_interval 2
    check_period 24x7
    notification_period 24x7
    notification_interval 0
    notification_options w,u,c,r
    contact_groups lifeline-group
}
`,
    );
    const user = userInfo();
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(dir, 'nagios.cfg'),
      [
        `log_file=${dir}/var/nagios.log`,
        `cfg_file=${dir}/objects.cfg`,
        `cfg_file=${dir}/lifeline.cfg`,
        `resource_file=${dir}/resource.cfg`,
        `status_file=${dir}/var/status.dat`,
        `temp_file=${dir}/var/nagios.tmp`,
        `temp_path=${dir}/var`,
        `lock_file=${dir}/var/nagios.lock`,
        `command_file=${dir}/var/rw/nagios.cmd`,
        `check_result_path=${dir}/var/spool/checkresults`,
        `state_retention_file=${dir}/var/retention.dat`,
        'retain_state_information=0',
        `nagios_user=${user.username}`,
        `nagios_group=${group}`,
        'enable_environment_macros=1', // as the README says
        'interval_length=1', // check_interval counts seconds here
        'max_service_check_spread=1',
        'max_host_check_spread=1',
        'check_result_reaper_frequency=1',
        'use_syslog=0',
      ].join('\n'),
    );
    execFileSync('nagios4', ['-v', path.join(dir, 'nagios.cfg')], { stdio: 'pipe' });
    nagiosProcess = spawn('nagios4', [path.join(dir, 'nagios.cfg')], { stdio: 'ignore' });
  });

  afterAll(async () => {
    if (nagiosProcess && nagiosProcess.exitCode === null) {
      const exited = new Promise((resolve) => nagiosProcess!.once('exit', resolve));
      nagiosProcess.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function nextBody(count: number, timeoutMs = 25_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (bodies.length < count) {
      if (Date.now() > deadline) throw new Error(`Nagios sent ${bodies.length} notifications, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return bodies[count - 1]!;
  }

  it('pages Lifeline on a problem and its recovery', { timeout: 60_000 }, async () => {
    const ctx = { sourceName: 'nagios', now: Date.now() };
    const problem = parseIntake(nagios, JSON.parse(await nextBody(1)), ctx)[0]!;
    expect(auth[0]).toBe('Bearer nagios-e2e-key');
    expect(problem).toMatchObject({
      status: 'firing',
      severity: 'red',
      dedupKey: 'his-db-01!挂号库 Oracle',
      host: 'his-db-01',
      system: 'HIS', // custom variable _SYSTEM of the host
      summary: '挂号库 Oracle on HIS 数据库主机: CRITICAL - 挂号库连接失败: "ORA-12541" at C:\\oracle',
      labels: { notification_type: 'PROBLEM', long_output: '第二行 long output', host_address: '10.1.1.31' },
    });
    expect(problem.labels).not.toHaveProperty(ACK_LABEL);

    writeFileSync(path.join(dir, 'state'), 'ok');
    const recovery = parseIntake(nagios, JSON.parse(await nextBody(2)), ctx)[0]!;
    expect(recovery).toMatchObject({ status: 'resolved', severity: 'red', dedupKey: problem.dedupKey, labels: { last_state: 'CRITICAL' } });
    expect(recovery.labels?.problem_id).toBe(problem.labels?.problem_id);
  });
});

describe.skipIf(!installed('icinga2', ['--version']))('Icinga 2 with the README configuration', () => {
  it('accepts the NotificationCommands, User and Notification rules', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lifeline-icinga-'));
    chmodSync(dir, 0o755); // icinga2 drops privileges to its own user before reading the config
    writeFileSync(path.join(dir, 'lifeline.conf'), readmeBlock('NotificationCommand'));
    writeFileSync(
      path.join(dir, 'icinga2.conf'),
      [
        'include <itl>',
        'object Host "his-db-01" { check_command = "dummy"; address = "10.1.1.31"; vars.system = "HIS" }',
        'object Service "oracle" { host_name = "his-db-01"; check_command = "dummy" }',
        'include "lifeline.conf"',
      ].join('\n'),
    );
    const out = execFileSync('icinga2', ['daemon', '-C', '-c', path.join(dir, 'icinga2.conf')], { encoding: 'utf8' });
    expect(out).toContain('Instantiated 2 NotificationCommands');
    expect(out).toContain('Instantiated 2 Notifications');
    expect(out).toContain('Finished validating the configuration');
  });
});
