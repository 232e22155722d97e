import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Issue, type ProblemBody } from '../shared/errors.js';
import { parseJsonBody } from '../shared/parse-input.js';

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

/**
 * Fastify's own refusals under the names docs/errors.md lists, each with the part of the request it is about
 * (so a client sees `BODY_TOO_LARGE` on `body`, not an internal FST_ERR_… name).
 */
const FRAMEWORK_CODES: Readonly<Record<string, { code: string; path?: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', path: 'body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', path: 'content-type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_CONTENT_LENGTH', path: 'content-length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BODY_NOT_JSON', path: 'body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BODY_NOT_JSON', path: 'body' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', path: 'url' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', path: 'url' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'BAD_REQUEST' },
};

/** Sends one problem+json answer. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: Issue[], params?: ProblemBody['params']): FastifyReply {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://lifeline.local/problems/${slug(code)}`,
      title: titleFor(status),
      status,
      detail,
      code,
      instance: request.url,
      requestId: request.id,
      ...(errors?.length ? { errors } : {}),
      ...(params ? { params } : {}),
    } satisfies ProblemBody);
}

/** Errors Fastify meets before routing (a bad %-encoding, a path parameter over maxParamLength): problem+json like the rest. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const known = FRAMEWORK_CODES[error.code];
  const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : error.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid percent-encoding' : error.message;
  void sendProblem(request, reply, status, known?.code ?? error.code ?? 'BAD_REQUEST', detail, known?.path ? [{ path: known.path, message: detail }] : undefined);
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over the limit: 431; a malformed
 * request line: 400). They are answered problem+json on the socket, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail, path] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request headers are too large', 'headers']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time', 'request']
        : [400, 'BAD_REQUEST', 'the request could not be parsed as HTTP', 'request'];
  const body = JSON.stringify({
    type: `https://lifeline.local/problems/${slug(code)}`,
    title: titleFor(status),
    status,
    detail,
    code,
    instance: '',
    errors: [{ path, message: detail }],
  } satisfies ProblemBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The JSON body parser of every route (intake endpoints keep their text: src/intake/routes.ts): refuses, 400
 * naming the body, text that is not JSON, nesting deeper than MAX_JSON_DEPTH and prototype keys however spelled.
 */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      const text = body as string;
      if (text.trim() === '') return done(Object.assign(new Error('the body is empty but content-type is application/json'), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }), undefined);
      done(null, parseJsonBody(text, 'VALIDATION_FAILED', 'body', 'BODY_NOT_JSON'));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** The one error handler: every error leaves as RFC 9457 application/problem+json. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    let status = 500;
    let code = 'INTERNAL_ERROR';
    let detail = 'an unexpected error occurred; it has been logged';
    let errors: Issue[] | undefined;
    let params: ProblemBody['params'];
    if (error instanceof AppError) {
      params = error.params;
      status = error.status;
      code = error.code;
      detail = error.message;
      errors = error.issues.length ? error.issues : undefined;
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      status = error.statusCode;
      const known = FRAMEWORK_CODES[(error as FastifyError).code];
      code = known?.code ?? (error as FastifyError).code ?? 'BAD_REQUEST';
      detail = error.message;
      if (known?.path) errors = [{ path: known.path, message: error.message }];
      else if (error instanceof SyntaxError) errors = [{ path: 'body', message: error.message }];
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void sendProblem(request, reply, status, code, detail, errors, params);
  });
  app.setNotFoundHandler((request, reply) => {
    const page = pageNotFound.get(app);
    if (page && wantsPage(request)) return page(request, reply);
    void sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`);
  });
}

type PageSender = (request: FastifyRequest, reply: FastifyReply) => unknown;
const pageNotFound = new WeakMap<FastifyInstance, PageSender>();

/**
 * A browser navigating to an unknown path under the app gets the app's own page (404) from `send` (the web app
 * renders its "not found" screen); the API and any request not asking for HTML keep problem+json ROUTE_NOT_FOUND.
 */
export function servePageOnNotFound(app: FastifyInstance, send: PageSender): void {
  pageNotFound.set(app, send);
}

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (path === '/api' || path.startsWith('/api/')) return false;
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

function titleFor(status: number): string {
  return (
    (
      {
        400: 'Bad Request',
        401: 'Unauthorized',
        403: 'Forbidden',
        404: 'Not Found',
        408: 'Request Timeout',
        409: 'Conflict',
        413: 'Payload Too Large',
        414: 'URI Too Long',
        415: 'Unsupported Media Type',
        431: 'Request Header Fields Too Large',
        503: 'Service Unavailable',
      } as Record<number, string>
    )[status] ??
    http.STATUS_CODES[status] ??
    (status >= 500 ? 'Internal Server Error' : 'Bad Request')
  );
}
