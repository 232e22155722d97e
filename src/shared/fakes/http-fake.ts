/**
 * Test-only: a tiny `node:http` server that vendor fakes build on (the paging channel fakes in
 * src/notify/channels/fakes, the WeChat Official Account fake in src/publicity). It records every request, lets the
 * vendor module verify it exactly as the vendor documents, and can be told to misbehave. It sits in the lowest
 * layer so that fakes in any layer may use it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fake answers the next requests:
 * - `ok`: a healthy vendor (still rejects requests that fail verification, like the vendor would);
 * - `unavailable`: a transient server fault (HTTP 500 for HTTP vendors, SMTP 451 for mail), echoing
 *   the request (URL, headers, body) in the error text, as verbose error pages do;
 * - `rate-limit`: the vendor's own rate-limit answer (DingTalk 130101, WeCom 45009, HTTP 429…);
 * - `reject-auth`: the vendor's credential/signature rejection;
 * - `hang`: accept the request and never answer.
 */
export type FakeBehaviour = 'ok' | 'unavailable' | 'rate-limit' | 'reject-auth' | 'hang';

/** What every channel fake (HTTP or SMTP) offers to the contract suite. */
export interface ChannelFake {
  /** Base URL (`http://127.0.0.1:port`) or, for SMTP, `smtp://127.0.0.1:port`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Verification problems found in any request so far (empty = every request was as documented). */
  problems(): string[];
  /** Answer the next `times` requests (default: all) with `behaviour`. */
  behave(behaviour: FakeBehaviour, times?: number): void;
  close(): Promise<void>;
}

/** An HTTP fake can also be told exactly what to answer (a vendor code the behaviours do not cover). */
export interface HttpChannelFake extends ChannelFake {
  /** Answer the next `times` requests (default: all) with `reply(request)`, after recording them. */
  answer(reply: (req: RecordedRequest) => FakeReply, times?: number): void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** The raw query string as received (no leading `?`). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  json?: unknown;
  /** The human-visible text the vendor would show (message content, template params, subject+body). */
  content: string;
  problems: string[];
}

export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HttpFakeOptions {
  /**
   * Verifies and answers one request; `behaviour` is what the test asked for (never `hang`, handled here).
   * Push verification problems onto `req.problems` and set `req.content`.
   */
  handle(req: RecordedRequest, behaviour: Exclude<FakeBehaviour, 'hang'>): FakeReply;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The echo a verbose server error page would give: everything the client sent, secrets included. */
export function echoOf(req: RecordedRequest): string {
  const q = req.rawQuery ? `?${req.rawQuery}` : '';
  return `internal error handling ${req.method} ${req.path}${q} headers=${JSON.stringify(req.headers)} body=${req.body}`;
}

export class BehaviourQueue {
  private current: FakeBehaviour = 'ok';
  private remaining = Infinity;
  set(behaviour: FakeBehaviour, times = Infinity): void {
    this.current = behaviour;
    this.remaining = times;
  }
  next(): FakeBehaviour {
    if (this.remaining <= 0) this.current = 'ok';
    this.remaining--;
    return this.current;
  }
}

export async function startHttpFake(options: HttpFakeOptions): Promise<HttpChannelFake> {
  const requests: RecordedRequest[] = [];
  const queue = new BehaviourQueue();
  let scripted: { reply: (req: RecordedRequest) => FakeReply; remaining: number } | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        rawQuery: (req.url ?? '').split('?')[1] ?? '',
        headers: req.headers,
        body,
        json,
        content: '',
        problems: [],
      };
      requests.push(rec);
      const script = scripted && scripted.remaining-- > 0 ? scripted.reply : undefined;
      const behaviour = script ? 'ok' : queue.next();
      if (behaviour === 'hang') return; // never answer; close() destroys the socket
      const reply = script ? script(rec) : options.handle(rec, behaviour);
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'Content-Type': typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems: () => requests.flatMap((r) => r.problems),
    behave: (b, times) => queue.set(b, times),
    answer: (reply, times = Infinity) => {
      scripted = { reply, remaining: times };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Small assertion helper for vendor fakes: records a problem when `actual !== expected`. */
export function expectEqual(req: RecordedRequest, what: string, actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  req.problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  return false;
}

export function header(req: RecordedRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}
