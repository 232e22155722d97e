/** A field-level problem, used by validation errors everywhere (HTTP, plan files, config). */
export interface Issue {
  path: string;
  message: string;
  line?: number;
  column?: number;
  file?: string;
  severity?: 'error' | 'warning';
  /** A stable code of the kind of problem (plan check findings: PLAN_…), so that a screen can word it in its language. */
  code?: string;
  /** The values the message names (ids, keys, numbers), as they are, for wording the code. */
  params?: Record<string, string | number>;
}

/** An error as the HTTP API answers it: RFC 9457 application/problem+json (src/http/problem.ts and the routes that answer one themselves). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** machine-readable: VALIDATION_FAILED, INCIDENT_NOT_FOUND, ACK_LINK_EXPIRED … */
  code: string;
  instance: string;
  requestId?: string;
  /** what was wrong with each field of a rejected request */
  errors?: Issue[];
  /** the variable parts of the message (ids, counts, names), so that a client renders it in its own language from `code` */
  params?: Record<string, string | number | boolean | string[]>;
  /** sign-in refused (423 locked, 429 too many attempts): when to try again */
  retryAfterSeconds?: number;
  retryAt?: string;
}

export class AppError extends Error {
  /** The variable parts of the message, answered as `params` (clients render `code` + params in their language). */
  params?: ProblemBody['params'];
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Adds the message's variable parts: `throw new ConflictError('…', 'CODE').with({ checks })`. */
  with(params: NonNullable<ProblemBody['params']>): this {
    this.params = { ...this.params, ...params };
    return this;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, issues: Issue[] = [], code = 'VALIDATION_FAILED') {
    super(code, 400, message, issues);
  }
}
export class NotFoundError extends AppError {
  constructor(what: string, code = 'NOT_FOUND') {
    super(code, 404, `${what} not found`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT', issues: Issue[] = []) {
    super(code, 409, message, issues);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid credentials', code = 'UNAUTHORIZED') {
    super(code, 401, message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'not allowed', code = 'FORBIDDEN') {
    super(code, 403, message);
  }
}
/** A transient fault (database busy, upstream down): senders should retry. */
export class UnavailableError extends AppError {
  constructor(message: string, code = 'TEMPORARILY_UNAVAILABLE') {
    super(code, 503, message);
  }
}
