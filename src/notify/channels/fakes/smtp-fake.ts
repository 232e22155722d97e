/**
 * Test-only SMTP peer built on the real `smtp-server` package: plain, STARTTLS or implicit TLS, optional
 * AUTH. It records each accepted message (envelope, headers, decoded subject and text), checks that TLS and
 * AUTH happened when required, and offers the same behaviours as the HTTP fakes (transient 451, 450 rate
 * limit, 535 auth failure, a peer that never greets).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { BehaviourQueue, type ChannelFake, type RecordedRequest } from './http-fake.js';

export interface SmtpFakeOptions {
  /** `none` = no TLS offered, `starttls` = STARTTLS offered and required, `tls` = TLS from connect. */
  security: 'none' | 'starttls' | 'tls';
  /** PEM key and certificate chain for `starttls`/`tls`. */
  key?: string;
  cert?: string;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
}

export interface SmtpMessage {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  secure: boolean;
  user?: string;
}

export interface SmtpFake extends ChannelFake {
  messages: SmtpMessage[];
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

// --- a minimal MIME reader (enough for what nodemailer writes) --------------------------------------

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const src = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words; adjacent words are joined as bytes before UTF-8 decoding. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const out: string[] = [];
  let last = 0;
  let pending: Buffer[] = [];
  const flush = () => {
    if (pending.length) out.push(Buffer.concat(pending).toString('utf8'));
    pending = [];
  };
  for (const m of value.matchAll(word)) {
    const between = value.slice(last, m.index);
    if (!(pending.length && /^\s*$/.test(between))) {
      flush();
      out.push(between);
    }
    const [, , enc, text] = m;
    pending.push(enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
    last = (m.index ?? 0) + m[0].length;
  }
  flush();
  out.push(value.slice(last));
  return out.join('');
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

/** The decoded text/plain content of a message (first text/plain part of a multipart). */
export function plainText(raw: string): { headers: Record<string, string>; text: string } {
  const { headers, body } = splitHeaders(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const inner = plainText(part.replace(/^\r?\n/, ''));
      if (inner.text) return { headers, text: inner.text };
    }
    return { headers, text: '' };
  }
  if (!/^text\/plain/i.test(type)) return { headers, text: '' };
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const buf = cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : cte === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'utf8');
  return { headers, text: buf.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

// --- the server --------------------------------------------------------------------------------------

export async function startSmtpFake(opts: SmtpFakeOptions): Promise<SmtpFake> {
  const requests: RecordedRequest[] = [];
  const messages: SmtpMessage[] = [];
  const queue = new BehaviourQueue();
  const passwords = new Map<string, string>(); // session id -> password seen (for the verbose 451 echo)
  const behaviourOf = new Map<string, ReturnType<BehaviourQueue['next']>>();
  const tls = opts.security !== 'none';

  const record = (session: SMTPServerSession, problems: string[] = []): RecordedRequest => {
    const rec: RecordedRequest = {
      method: 'SMTP',
      path: '',
      query: new URLSearchParams(),
      rawQuery: '',
      headers: {},
      body: '',
      content: '',
      problems,
    };
    void session;
    requests.push(rec);
    return rec;
  };

  const server = new SMTPServer({
    logger: false,
    secure: opts.security === 'tls',
    key: opts.key,
    cert: opts.cert,
    disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(opts.auth ? [] : ['AUTH'])],
    authOptional: !opts.auth,
    allowInsecureAuth: !tls,
    closeTimeout: 10,
    disableReverseLookup: true,
    onConnect(session, cb) {
      const behaviour = queue.next();
      behaviourOf.set(session.id, behaviour);
      if (behaviour === 'hang') {
        record(session);
        return; // never greet
      }
      cb();
    },
    onAuth(auth, session, cb) {
      passwords.set(session.id, auth.password ?? '');
      if (behaviourOf.get(session.id) === 'reject-auth' || auth.username !== opts.auth?.user || auth.password !== opts.auth?.pass) {
        record(session);
        return cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
      }
      cb(null, { user: auth.username });
    },
    onMailFrom(address, session, cb) {
      const behaviour = behaviourOf.get(session.id) ?? 'ok';
      const problems: string[] = [];
      if (tls && !session.secure) problems.push('MAIL FROM before TLS');
      if (opts.auth && !session.user) problems.push('MAIL FROM without AUTH');
      if (problems.length) {
        record(session, problems);
        return cb(smtpError(530, '5.7.0 Must issue a STARTTLS command first / authentication required'));
      }
      if (behaviour === 'unavailable') {
        record(session);
        const seen = passwords.get(session.id) ?? '';
        return cb(smtpError(451, `4.3.0 Temporary local problem for ${address.address} (session ${session.id}, auth ${session.user ?? '-'}:${seen})`));
      }
      if (behaviour === 'rate-limit') {
        record(session);
        return cb(smtpError(450, '4.7.1 Too many messages, slow down'));
      }
      if (behaviour === 'reject-auth') {
        record(session);
        return cb(smtpError(550, '5.7.1 Relaying denied'));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text } = plainText(raw);
        const subject = decodeEncodedWords(headers.subject ?? '');
        const rec = record(session);
        rec.body = raw;
        rec.headers = headers;
        rec.content = `${subject}\n${text}`;
        if (!headers.from) rec.problems.push('no From header');
        if (!subject) rec.problems.push('no Subject');
        if (!/charset=("?)utf-8\1/i.test(headers['content-type'] ?? '') && /[\u0080-\uffff]/.test(text)) rec.problems.push('non-ASCII text without charset=utf-8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          subject,
          text,
          secure: session.secure,
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    requests,
    messages,
    problems: () => requests.flatMap((r) => r.problems),
    behave: (b, times) => queue.set(b, times),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
