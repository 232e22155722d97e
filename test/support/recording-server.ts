import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every request so far; empty it with `received.length = 0`. */
  readonly received: RecordedRequest[];
  /** The status the next answers carry. */
  status: number;
  close(): Promise<void>;
}

/** A real HTTP server that stands in for a receiver: records each request and answers with `status`. */
export async function startRecordingServer(body: (status: number) => string): Promise<RecordingServer> {
  const received: RecordedRequest[] = [];
  const state = { status: 202 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.status, { 'content-type': 'application/json' }).end(body(state.status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Writes `<dataDir>/notify.yaml` with one webhook channel (`pager`) to the recording server, for every role; `repeat` is the default policy, e.g. `{ every: PT30M, limit: 1 }`. */
export function writeWebhookNotify(dataDir: string, receiverUrl: string, repeat: string): void {
  fs.writeFileSync(
    path.join(dataDir, 'notify.yaml'),
    ['channels:', '  pager:', '    kind: webhook', `    config: { url: "${receiverUrl}/pager" }`, 'routing:', '  default: [pager]', 'repeat:', `  default: ${repeat}`].join('\n'),
  );
}
