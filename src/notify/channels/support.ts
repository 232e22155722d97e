/**
 * Small helpers every channel adapter shares: delivery results, secret scrubbing, one HTTP call with
 * error classification, phone-number forms, and message composition (test mark, links, byte limits).
 * No I/O besides `httpRequest`, no timers: time-outs come from `ctx.signal`.
 */
import { z } from 'zod';
import type { Delivery, Recipient, RenderedMessage, SendContext } from '../types.js';

export const TEST_MARK = '【测试】';
/** Template variables (SMS/voice) cannot carry 【】, which carriers reserve for the sender signature. */
export const TEMPLATE_TEST_MARK = '（测试）';

export const DRY_RUN: Delivery = Object.freeze({ status: 'sent', providerRef: 'dry-run' }) as Delivery;

export function sent(providerRef?: string | number | null): Delivery {
  return providerRef === undefined || providerRef === null || providerRef === '' ? { status: 'sent' } : { status: 'sent', providerRef: String(providerRef) };
}

export function nowMs(ctx: SendContext): number {
  return ctx.now ? ctx.now() : Date.now();
}

/** An http(s) base URL, used for every `endpoint` override (tests point it at local fakes). */
export const endpointSchema = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

// ---------------------------------------------------------------------------------------------
// Failures that never leak secrets

export interface Outcomes {
  /** Will not succeed by retrying: bad config, missing address, rejected credentials, 4xx. */
  permanent(reason: string): Delivery;
  /** May succeed later: network, time-out, 5xx, 429, vendor rate limits. */
  transient(reason: string): Delivery;
  scrub(text: string): string;
}

/**
 * Values derived from a secret that no config holds verbatim: a DingTalk `sign` (an HMAC of the secret, new each
 * millisecond) and its `timestamp`, tokens and keys in URL queries (also URL-encoded, as a URL inside a URL),
 * the same names as JSON fields, `Authorization` and signature headers, bearer tokens, `user:password@` in URLs.
 */
const DERIVED_SECRETS: ReadonlyArray<[RegExp, string]> = [
  [/([?&](?:sign|signature|access_token|token|key|corpsecret|secret|timestamp)=)[^&\s"'#<>]*/gi, '$1***'],
  [/((?:%3F|%26)(?:sign|signature|access_token|token|key|corpsecret|secret|timestamp)%3D)(?:(?!%26)[^&\s"'#<>])*/gi, '$1***'],
  [/("(?:sign|signature|access_token|token|key|secret|password|pass|authorization|x-lifeline-signature|x-tc-token|x-acs-security-token)"\s*:\s*")(?:[^"\\]|\\.)*"/gi, '$1***"'],
  [/(\\"(?:sign|signature|access_token|token|key|secret|password|pass|authorization)\\"\s*:\s*\\")(?:(?!\\")[\s\S])*\\"/gi, '$1***\\"'],
  [/\b((?:authorization|x-lifeline-signature|x-tc-token|x-acs-security-token)\s*[:=]\s*)[^\s,;"'}]+(?:[ \t]+[^\s,;"'}]+)*/gi, '$1***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***'],
  [/\b(Signature=)[A-Za-z0-9+/=%_-]+/g, '$1***'],
  [/(\/\/[^/\s:@]*:)[^/\s@]+@/g, '$1***@'],
];

/** Removes every secret-derived value (above) from a text; `outcomes().scrub` also removes the config's own secrets. */
export function scrubDerived(text: string): string {
  return DERIVED_SECRETS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/** Binds the secrets of one config so that every `reason` built from it is scrubbed. */
export function outcomes(secrets: ReadonlyArray<string | undefined>): Outcomes {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(encodeURIComponent(s).replace(/%20/g, '+'));
    forms.add(encodeURIComponent(encodeURIComponent(s)));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => {
    let out = text;
    for (const f of ordered) out = out.split(f).join('***');
    return scrubDerived(out);
  };
  return {
    scrub,
    permanent: (reason) => ({ status: 'failed', retryable: false, reason: scrub(reason) }),
    transient: (reason) => ({ status: 'failed', retryable: true, reason: scrub(reason) }),
  };
}

/** A short, single-line excerpt of a peer's answer for a `reason` (scrubbed by the caller's Outcomes). */
export function excerpt(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpReply {
  status: number;
  text: string;
  /** The parsed body when it is JSON, otherwise undefined. */
  json: unknown;
}

export type HttpResult = { ok: true; reply: HttpReply } | { ok: false; delivery: Delivery };

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

const TLS_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return signal.aborted || name === 'AbortError' || name === 'TimeoutError';
}

/** Classifies a thrown network/abort error. `what` names the call ("DingTalk robot"), never the URL. */
export function networkFailure(err: unknown, ctx: SendContext, out: Outcomes, what: string): Delivery {
  if (isAbort(err, ctx.signal)) return out.transient(`${what}: request aborted or timed out`);
  const code = errorCode(err);
  if (code && TLS_ERRORS.test(code)) {
    return out.permanent(`${what}: TLS certificate verification failed (${code})`);
  }
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return out.transient(`${what}: network error (${excerpt(detail, 80)})`);
}

/** One request; resolves with the reply (any status) or a classified failure. Never throws. */
export async function httpRequest(call: HttpCall, ctx: SendContext, out: Outcomes, what: string): Promise<HttpResult> {
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: ctx.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { ok: true, reply: { status: res.status, text, json } };
  } catch (err) {
    return { ok: false, delivery: networkFailure(err, ctx, out, what) };
  }
}

/** The failure for a non-2xx status, or undefined for 2xx. */
export function statusFailure(reply: HttpReply, out: Outcomes, what: string): Delivery | undefined {
  const { status } = reply;
  if (status >= 200 && status < 300) return undefined;
  // scrubbed before it is cut, so that no prefix of a secret survives the cut
  const tail = reply.text ? `: ${excerpt(out.scrub(reply.text))}` : '';
  if (status === 429) return out.transient(`${what}: HTTP 429 rate limited${tail}`);
  if (status === 408) return out.transient(`${what}: HTTP 408 request timeout${tail}`);
  if (status >= 500) return out.transient(`${what}: HTTP ${status}${tail}`);
  if (status >= 300 && status < 400) return out.permanent(`${what}: unexpected redirect (HTTP ${status})`);
  if (status === 401 || status === 403) return out.permanent(`${what}: credentials rejected (HTTP ${status})${tail}`);
  return out.permanent(`${what}: HTTP ${status}${tail}`);
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

const MAINLAND = /^(?:\+?86|0086)?(1[3-9]\d{9})$/;
const INTERNATIONAL = /^(?:\+|00)([1-9]\d{6,14})$/;

function cleanPhone(raw: string): string {
  return raw.replace(/[\s\-()]/g, '');
}

/** 11-digit mainland number, or undefined when `raw` is not a mainland mobile. */
export function mainlandMobile(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return MAINLAND.exec(cleanPhone(raw))?.[1];
}

/** E.164 (`+8613800000000`), or undefined when `raw` is not a valid number. */
export function e164(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const mainland = mainlandMobile(raw);
  if (mainland) return `+86${mainland}`;
  const intl = INTERNATIONAL.exec(cleanPhone(raw));
  return intl ? `+${intl[1]}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Composition

export function markedSubject(msg: RenderedMessage): string {
  return msg.test && !msg.subject.startsWith(TEST_MARK) ? TEST_MARK + msg.subject : msg.subject;
}

/**
 * Subject + body + links as one text for channels without a title field. The subject and links are
 * only added when the rendered body does not already carry them.
 */
export function composeText(msg: RenderedMessage, flavour: 'text' | 'markdown'): string {
  const subject = markedSubject(msg);
  const body = flavour === 'markdown' ? msg.markdown : msg.text;
  const parts: string[] = [];
  if (!body.includes(msg.subject)) parts.push(flavour === 'markdown' ? `### ${subject}` : subject);
  else if (msg.test) parts.push(TEST_MARK);
  parts.push(body);
  const links = linkLines(msg, flavour).filter((l) => !body.includes(l.url));
  if (links.length) parts.push(links.map((l) => l.line).join('\n'));
  return parts.join(flavour === 'markdown' ? '\n\n' : '\n');
}

function linkLines(msg: RenderedMessage, flavour: 'text' | 'markdown'): { url: string; line: string }[] {
  const out: { url: string; line: string }[] = [];
  const add = (label: string, url: string | undefined) => {
    if (!url) return;
    out.push({ url, line: flavour === 'markdown' ? `[${label}](${url})` : `${label}：${url}` });
  };
  add('确认收到', msg.links.ack);
  add('查看事件', msg.links.incident);
  return out;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary, ending with "…" when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (n > budget) break;
    budget -= n;
    out += ch;
  }
  return out + ellipsis;
}

const URLISH = /\b(?:https?:\/\/|www\.)\S+|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\S*|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|io|local|lan)\b\S*/gi;

/**
 * Template variables for SMS/voice: values as strings, URLs/IPs/domains removed (vendors reject them,
 * e.g. Aliyun isv.PARAM_NOT_SUPPORT_URL), test messages marked on the first variable (in `order`).
 */
export function templateValues(msg: RenderedMessage, order?: readonly string[]): Record<string, string> {
  const params = msg.templateParams ?? {};
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(params)) {
    out[key] = String(raw)
      .replace(URLISH, '')
      .replace(/\s{2,}/g, ' ')
      .trim();
  }
  const first = orderedKeys(out, order)[0];
  if (msg.test && first !== undefined && !out[first].startsWith(TEMPLATE_TEST_MARK)) {
    out[first] = TEMPLATE_TEST_MARK + out[first];
  }
  return out;
}

/**
 * The vendor template a message goes with: a drill page uses the channel's drill template when one is configured
 * (approved by the vendor, its text starting 【演练】), otherwise the normal template, whose variables carry the
 * drill mark (render.ts).
 */
export function templateFor(msg: RenderedMessage, normal: string, drill: string | undefined): string {
  return msg.drill && drill ? drill : normal;
}

/** Template keys in positional order: `order` when given, numeric keys sorted, else insertion order. */
export function orderedKeys(values: Record<string, string>, order?: readonly string[]): string[] {
  if (order?.length) return order.filter((k) => k in values);
  const keys = Object.keys(values);
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) keys.sort((a, b) => Number(a) - Number(b));
  return keys;
}

/** Positional template parameters (Tencent): the values in `orderedKeys` order; missing names give "". */
export function positionalValues(values: Record<string, string>, order?: readonly string[]): string[] {
  if (order?.length) return order.map((k) => values[k] ?? '');
  return orderedKeys(values).map((k) => values[k]);
}

// ---------------------------------------------------------------------------------------------
// Vendor answers: fail over at once, or retry

/**
 * `fail-over`: it will not succeed by retrying today (daily limit, malformed request, bad template, rejected
 * signature or credentials, unknown recipient): the delivery fails at once and the worker pages the next
 * deputy. `retry`: it may succeed in seconds or minutes (per-second/minute/hour limits, vendor busy, 5xx).
 */
export type AnswerVerdict = 'fail-over' | 'retry';

/** One row of a vendor's answer table, kept next to its adapter with the vendor's documentation reference. */
export interface AnswerRule {
  /** The vendor's result code: exactly, or a pattern for a family of codes. */
  code: string | number | RegExp;
  /** Only when the vendor's message or the HTTP status says so (Aliyun's 天级流控 versus 分钟级流控). */
  when?: (message: string, status: number) => boolean;
  verdict: AnswerVerdict;
  /** What it means, in the stored reason, before the vendor's own code and message. */
  why: string;
}

export type AnswerTable = readonly AnswerRule[];

/** The first rule of `table` that matches, or undefined for a code the table does not know. */
export function classifyAnswer(table: AnswerTable, code: string | number, message: string, status: number): AnswerRule | undefined {
  return table.find((r) => {
    const matches = r.code instanceof RegExp ? r.code.test(String(code)) : String(r.code) === String(code);
    return matches && (!r.when || r.when(message, status));
  });
}

export interface VendorVerdict {
  /** The vendor's own result code (`errcode`, `code`, `Code`…), undefined when absent. */
  code: string | number | undefined;
  message?: unknown;
  /** True when the vendor reports success. */
  ok: boolean;
  /** The vendor's answer table (fail over at once / retry). */
  table: AnswerTable;
  providerRef?: string | number | null;
}

/**
 * The usual decision for JSON vendor APIs: a vendor code in the vendor's table decides, whatever the HTTP
 * status; an unknown code is retried only on HTTP 5xx/429 and otherwise fails over; then non-2xx statuses;
 * then the vendor's success flag. Every failure's reason names the vendor's code and message.
 */
export function vendorOutcome(reply: HttpReply, out: Outcomes, what: string, v: VendorVerdict): Delivery {
  const status = reply.status;
  if (v.code !== undefined && !v.ok) {
    const message = v.message === undefined ? '' : String(v.message);
    const detail = `${v.code}${message ? `: ${excerpt(out.scrub(message))}` : ''}`;
    const http = status < 200 || status >= 300 ? `HTTP ${status}, ` : '';
    const rule = classifyAnswer(v.table, v.code, message, status);
    if (rule) {
      const reason = `${what}: ${rule.why} (${http}${detail})`;
      return rule.verdict === 'retry' ? out.transient(reason) : out.permanent(reason);
    }
    const reason = `${what}: rejected (${http}${detail})`;
    return status >= 500 || status === 429 ? out.transient(reason) : out.permanent(reason);
  }
  const bad = statusFailure(reply, out, what);
  if (bad) return bad;
  if (v.ok) return sent(v.providerRef);
  return out.permanent(`${what}: unexpected answer, check the endpoint (HTTP ${reply.status})`);
}

// ---------------------------------------------------------------------------------------------
// Defining a notifier

type SendFn<C> = (msg: RenderedMessage, to: Recipient, config: C, ctx: SendContext) => Promise<Delivery>;

export interface NotifierDefinition<K extends string, C> {
  kind: K;
  configSchema: z.ZodType<C>;
  /** The config values that must never appear in a `reason`. */
  secrets(config: C): ReadonlyArray<string | undefined>;
  send: SendFn<C>;
}

/**
 * Wraps a channel so that `send` never throws: the config is re-checked against the schema (a malformed
 * config is a permanent failure, before any network call), and any unexpected exception becomes a
 * permanent failure with the secrets scrubbed.
 */
export function defineNotifier<const K extends string, C>(def: NotifierDefinition<K, C>) {
  const send: SendFn<C> = async (msg, to, config, ctx) => {
    const parsed = def.configSchema.safeParse(config);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
      return { status: 'failed', retryable: false, reason: `${def.kind}: invalid config (${excerpt(issues, 200)})` };
    }
    try {
      return await def.send(msg, to, config, ctx);
    } catch (err) {
      const out = outcomes(def.secrets(config));
      return out.permanent(`${def.kind}: cannot send (${excerpt(err instanceof Error ? err.message : String(err))})`);
    }
  };
  return Object.freeze({ kind: def.kind, configSchema: def.configSchema, send });
}

/**
 * POSTs a JSON message to a group robot that answers `{errcode, errmsg}` (DingTalk, WeCom): errcode 0 is sent,
 * other codes are judged by the robot's answer table.
 */
export async function postToErrcodeRobot(url: string, body: string, contentType: string, table: AnswerTable, ctx: SendContext, out: Outcomes, what: string): Promise<Delivery> {
  if (ctx.dryRun) return DRY_RUN;
  const result = await httpRequest({ method: 'POST', url, headers: { 'Content-Type': contentType }, body }, ctx, out, what);
  if (!result.ok) return result.delivery;
  const json = result.reply.json as { errcode?: unknown; errmsg?: unknown } | undefined;
  const errcode = typeof json?.errcode === 'number' ? json.errcode : undefined;
  return vendorOutcome(result.reply, out, what, {
    code: errcode,
    message: json?.errmsg,
    ok: errcode === 0,
    table,
  });
}
