import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { email, type EmailConfig } from './email.js';
import { startSmtpFake, type SmtpFake, type SmtpFakeOptions } from './fakes/smtp-fake.js';

// --- a throw-away CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI ----------

interface Pki {
  caPem: string;
  otherCaPem: string;
  key: string;
  cert: string;
}

const dirs: string[] = [];
let pki: Pki | undefined;

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=Lifeline Test ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}

function testPki(): Pki {
  if (pki) return pki;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-smtp-pki-'));
  dirs.push(dir);
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  pki = { caPem: read('ca.crt'), otherCaPem: read('other-ca.crt'), key: read('server.key'), cert: read('server.crt') };
  return pki;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// --- helpers -------------------------------------------------------------------------------------------

const auth = { user: 'oncall@hospital.cn', pass: 'smtp-app-password-9x7' };

function startFake(security: SmtpFakeOptions['security'], withAuth = true): Promise<SmtpFake> {
  const { key, cert } = security === 'none' ? { key: undefined, cert: undefined } : testPki();
  return startSmtpFake({ security, key, cert, auth: withAuth ? auth : undefined });
}

function configFor(endpoint: string, extra: Partial<EmailConfig> = {}): EmailConfig {
  const url = new URL(endpoint);
  return {
    host: url.hostname,
    port: Number(url.port),
    security: 'starttls',
    user: auth.user,
    pass: auth.pass,
    from: '"Lifeline 应急平台" <lifeline@hospital.cn>',
    caPem: testPki().caPem,
    ...extra,
  };
}

async function withFake<T>(fake: SmtpFake, fn: (f: SmtpFake) => Promise<T>): Promise<T> {
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

const recipient = { name: '张三', email: 'zhangsan@hospital.cn' };

// --- the contract: STARTTLS + AUTH + internal CA --------------------------------------------------------

runNotifierContract({
  notifier: email,
  makeConfig: (endpoint) => configFor(endpoint),
  recipient,
  startFake: () => startFake('starttls'),
  needsAddress: true,
});

describe('email', () => {
  it('delivers over plain SMTP to an intranet relay, with subject and body intact', async () => {
    await withFake(await startFake('none', false), async (fake) => {
      const d = await email.send(sampleMessage(), recipient, configFor(fake.url, { security: 'none', user: undefined, pass: undefined, caPem: undefined }), ctxWith());
      expect(d).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/^<.+@.+>$/) });
      expect(fake.problems()).toEqual([]);
      const [m] = fake.messages;
      expect(m.secure).toBe(false);
      expect(m.from).toBe('lifeline@hospital.cn');
      expect(m.to).toEqual(['zhangsan@hospital.cn']);
      expect(m.subject).toBe('【二级·暂定】HIS 医院信息系统 中断');
      expect(m.text).toContain('门诊挂号/收费中断 12 分钟，影响门诊、急诊。');
      expect(m.text).toContain('确认收到：https://lifeline.example.cn/a/7f3k');
    });
  });

  it('upgrades with STARTTLS, verifies the server against the configured internal CA, authenticates', async () => {
    await withFake(await startFake('starttls'), async (fake) => {
      const d = await email.send(sampleMessage({ test: true }), recipient, configFor(fake.url), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      expect(fake.messages[0]).toMatchObject({ secure: true, user: auth.user, subject: '【测试】【二级·暂定】HIS 医院信息系统 中断' });
      expect(fake.messages[0].text.startsWith('【测试】')).toBe(true);
    });
  });

  it('without the internal CA the certificate is not trusted: permanent failure, nothing delivered', async () => {
    await withFake(await startFake('starttls'), async (fake) => {
      const d = await email.send(sampleMessage(), recipient, configFor(fake.url, { caPem: undefined }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringMatching(/certificate/i) });
      expect(fake.messages).toHaveLength(0);
    });
  });

  it('a CA that did not issue the server certificate does not verify it either', async () => {
    await withFake(await startFake('starttls'), async (fake) => {
      const d = await email.send(sampleMessage(), recipient, configFor(fake.url, { caPem: testPki().otherCaPem }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(fake.messages).toHaveLength(0);
    });
  });

  it('speaks TLS from connect (port 465 style) with the internal CA', async () => {
    await withFake(await startFake('tls'), async (fake) => {
      const d = await email.send(sampleMessage(), recipient, configFor(fake.url, { security: 'tls' }), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.messages[0].secure).toBe(true);
      expect(fake.problems()).toEqual([]);
    });
  });

  it('a wrong password is a permanent failure that does not reveal the password', async () => {
    await withFake(await startFake('starttls'), async (fake) => {
      const d = await email.send(sampleMessage(), recipient, configFor(fake.url, { pass: 'wrong-password-123' }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('authentication failed') });
      expect(d.status === 'failed' && d.reason).not.toContain('wrong-password-123');
    });
  });

  it('config: user and pass go together; caPem must be a PEM certificate', () => {
    const base = { host: 'smtp.exmail.qq.com', from: 'it@hospital.cn' };
    expect(email.configSchema.safeParse(base).success).toBe(true);
    expect(email.configSchema.safeParse({ ...base, user: 'it@hospital.cn' }).success).toBe(false);
    expect(email.configSchema.safeParse({ ...base, caPem: 'not a pem' }).success).toBe(false);
  });
});
