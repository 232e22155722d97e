/**
 * E-mail over SMTP with nodemailer (wire-formats §4.6). `security`: `tls` = TLS from connect (465),
 * `starttls` = mandatory STARTTLS upgrade (587/25, default), `none` = plain (an intranet relay on 25).
 * Certificates are always verified; hospitals with an internal CA give its PEM in `caPem`.
 * One connection per message, closed afterwards; `ctx.signal` aborts it.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { defineNotifier, DRY_RUN, excerpt, markedSubject, outcomes, sent, TEST_MARK } from './support.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export const emailConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    security: z.enum(['tls', 'starttls', 'none']).optional(),
    user: z.string().min(1).optional(),
    /** Password or 授权码 (QQ/163/Exmail authorisation code). */
    pass: z.string().min(1).optional(),
    /** Sender, e.g. `"Lifeline 应急平台" <it-oncall@hospital.cn>`. */
    from: z.string().min(3),
    /** PEM of the CA(s) that issued the server certificate (internal CA); the system CAs are used otherwise. */
    caPem: z.string().regex(PEM_CERT, 'a PEM certificate (-----BEGIN CERTIFICATE-----)').optional(),
  })
  .strict()
  .refine((c) => (c.user === undefined) === (c.pass === undefined), 'user and pass go together');
export type EmailConfig = z.infer<typeof emailConfigSchema>;

const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

export function emailTransportOptions(config: EmailConfig): SMTPTransport.Options {
  const security = config.security ?? 'starttls';
  return {
    host: config.host,
    port: config.port ?? DEFAULT_PORT[security],
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    auth: config.user && config.pass ? { user: config.user, pass: config.pass } : undefined,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(config.caPem ? { ca: config.caPem } : {}) },
  };
}

export function emailBody(msg: RenderedMessage): string {
  const lines = [msg.test ? `${TEST_MARK}这是一条测试消息，无需处理。\n` : '', msg.text];
  if (msg.links.ack && !msg.text.includes(msg.links.ack)) lines.push(`\n确认收到：${msg.links.ack}`);
  if (msg.links.incident && !msg.text.includes(msg.links.incident)) lines.push(`查看事件：${msg.links.incident}`);
  return lines.filter(Boolean).join('\n');
}

interface SmtpError {
  name?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function smtpFailure(err: unknown, ctx: SendContext, out: ReturnType<typeof outcomes>): Delivery {
  const e = (err ?? {}) as SmtpError;
  const what = 'SMTP';
  if (ctx.signal.aborted || e.name === 'AbortError' || e.code === 'EABORT') {
    return out.transient(`${what}: aborted or timed out`);
  }
  const said = excerpt(e.response ?? e.message ?? String(err));
  if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(`${e.message ?? ''}`)) {
    return out.permanent(`${what}: TLS certificate verification failed (${excerpt(e.message ?? '', 100)})`);
  }
  if (e.code === 'EAUTH') return out.permanent(`${what}: authentication failed (${said})`);
  if (typeof e.responseCode === 'number') {
    const reason = `${what}: server answered ${e.responseCode} (${said})`;
    return e.responseCode >= 400 && e.responseCode < 500 ? out.transient(reason) : out.permanent(reason);
  }
  if (e.code === 'ETLS') return out.permanent(`${what}: TLS negotiation failed (${said})`);
  return out.transient(`${what}: connection problem (${e.code ?? 'error'}: ${said})`);
}

async function send(msg: RenderedMessage, to: Recipient, config: EmailConfig, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([config.pass]);
  if (!to.email || !/^[^\s@]+@[^\s@]+$/.test(to.email)) return out.permanent('SMTP: recipient has no valid e-mail address');
  const mail = {
    from: config.from,
    to: to.name ? { name: to.name, address: to.email } : to.email,
    subject: markedSubject(msg),
    text: emailBody(msg),
    signal: ctx.signal,
  };
  if (ctx.dryRun) return DRY_RUN;
  const transport = nodemailer.createTransport(emailTransportOptions(config));
  try {
    const info = await transport.sendMail(mail);
    return sent(info.messageId);
  } catch (err) {
    return smtpFailure(err, ctx, out);
  } finally {
    transport.close();
  }
}

export const email = defineNotifier({
  kind: 'email',
  configSchema: emailConfigSchema,
  secrets: (c) => [c.pass],
  send,
}) satisfies Notifier<EmailConfig>;
