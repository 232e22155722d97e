import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type Issue, type ProblemBody } from '../shared/errors.js';

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

/** The one error handler: every error leaves as RFC 9457 application/problem+json. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    let status = 500;
    let code = 'INTERNAL_ERROR';
    let detail = 'an unexpected error occurred; it has been logged';
    let errors: Issue[] | undefined;
    if (error instanceof AppError) {
      status = error.status;
      code = error.code;
      detail = error.message;
      errors = error.issues.length ? error.issues : undefined;
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      status = error.statusCode;
      code = (error as FastifyError).code ?? 'BAD_REQUEST';
      detail = error.message;
      if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
        errors = [{ path: 'body', message: error.message }];
      }
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply
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
        ...(errors ? { errors } : {}),
      } satisfies ProblemBody);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'https://lifeline.local/problems/route-not-found',
        title: 'Not Found',
        status: 404,
        detail: `no route ${request.method} ${request.url}`,
        code: 'ROUTE_NOT_FOUND',
        instance: request.url,
        requestId: request.id,
      } satisfies ProblemBody);
  });
}

function titleFor(status: number): string {
  return (
    (
      { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 503: 'Service Unavailable' } as Record<
        number,
        string
      >
    )[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request')
  );
}
