/** The people and paging commands as a user runs them: `lifeline people import`, `oncall now`, `oncall gaps`, `notify test`. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAliyunFake, type AliyunFake } from '../src/notify/channels/fakes/aliyun-fake.js';
import { tempDir } from './support/server.js';

const run = promisify(execFile);
const ALIYUN = { accessKeyId: 'LTAI5tCliTest', accessKeySecret: 'cli-aliyun-secret-0123' };

describe('people and paging CLI', () => {
  let dataDir: string;
  let sms: AliyunFake;
  let env: NodeJS.ProcessEnv;
  const lifeline = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, ['bin/lifeline.js', ...args], { env, encoding: 'utf8' });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dataDir = tempDir('lifeline-people-cli-');
    sms = await startAliyunFake(ALIYUN);
    fs.writeFileSync(
      path.join(dataDir, 'notify.yaml'),
      JSON.stringify({
        channels: { sms: { kind: 'sms-aliyun', config: { ...ALIYUN, accessKeySecret: '${CLI_SMS_SECRET}', signName: '测试医院', templateCode: 'SMS_123456789', endpoint: sms.url } } },
        routing: { default: ['sms'] },
      }),
    );
    env = { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn', CLI_SMS_SECRET: ALIYUN.accessKeySecret };
  });
  afterAll(async () => sms.close());

  it('imports the sample roster, refusing a file with bad rows and naming them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['工号', '姓名', '手机']);
    ws.addRow(['9001', '', '13800009001']);
    ws.addRow(['9002', '错号', '555']);
    const bad = path.join(dataDir, 'bad.xlsx');
    await wb.xlsx.writeFile(bad);
    const refused = await lifeline('people', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('人员 row 2 姓名: required');
    expect(refused.stderr).toContain('人员 row 3 手机: 555 is not a mobile number');
    expect(refused.stdout).toContain('nothing imported (2 errors');

    const dry = await lifeline('people', 'import', 'docs/samples/roster.xlsx', '--dry-run');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('dry run: would import 10 people new');
    const ok = await lifeline('people', 'import', 'docs/samples/roster.xlsx');
    expect(ok.stdout).toContain('sheet 值班表: rota, 7 rows');
    expect(ok.stdout).toContain('imported: 10 people new, 0 updated, 7 roles, 7 duty days');
  });

  it('prints who holds each role, and warns about unstaffed slots', async () => {
    const now = await lifeline('oncall', 'now', '--at', '2026-03-04T07:30:00+08:00');
    expect(now.code).toBe(0);
    const line = (role: string) => now.stdout.split('\n').find((l) => l.startsWith(`${role} `))!;
    expect(line('tech_oncall')).toMatch(/技术保障组值班人员\s+李娜\s+shift\s+2026-03-04 08:00\s+陈静, 杨明/);
    expect(line('commander')).toMatch(/总指挥\s+赵刚\s+assignment/);
    expect(line('hq_member')).toContain('— nobody —');
    const json = JSON.parse((await lifeline('oncall', 'now', '--at', '2026-03-02T09:00:00+08:00', '--json')).stdout);
    expect(json.items.find((i: { role: string }) => i.role === 'tech_oncall').person.name).toBe('张伟');

    const gaps = await lifeline('oncall', 'gaps', '--days', '2', '--role', 'hq_member');
    expect(gaps.code).toBe(1);
    expect(gaps.stdout).toMatch(/hq_member\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+nobody on duty/);
  });

  it('sends a clearly marked test message on a configured channel', async () => {
    const r = await lifeline('notify', 'test', '--channel', 'sms', '--to', '李娜');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^sent a test message to 李娜 via sms in \d+ ms/);
    const params = sms.params().at(-1)!;
    expect(params.PhoneNumbers).toBe('13800000002');
    expect(Object.values(JSON.parse(params.TemplateParam))[0]).toMatch(/^（测试）/);
    expect(sms.problems()).toEqual([]);
    const unknown = await lifeline('notify', 'test', '--channel', 'voice', '--to', '李娜');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('channel voice (configured: sms) not found');
  });
});
