import type { z } from 'zod';
import { ValidationError, type Issue } from '../shared/errors.js';
import { checkJsonShape } from '../shared/parse-input.js';
import type { NormalisedSignal } from '../signals/types.js';
import type { Colour } from '../shared/colour.js';

export type IntakeKind = 'alertmanager' | 'alertmanager-v2' | 'zabbix' | 'nagios' | 'grafana' | 'pagerduty' | 'generic';

/**
 * One inbound wire format: a zod schema for the body the sender posts, and a pure function
 * turning a validated body into normalised signals. One file per format under `formats/`.
 */
export interface IntakeFormat<Body = unknown> {
  readonly kind: IntakeKind;
  /** Validates the raw JSON body; issue paths name the field, e.g. "alerts[0].status". */
  readonly bodySchema: z.ZodType<Body, z.ZodTypeDef, unknown>;
  /**
   * Optional fast check for the busiest formats: true only for a body the schema accepts as it is, so the
   * schema can be skipped (it still names the problems of any body this refuses). Contract-tested against it.
   */
  readonly accepts?: (body: unknown) => body is Body;
  /** Pure and deterministic: the same body and context give the same signals (time comes from ctx.now). */
  toSignals(body: Body, ctx: IntakeContext): NormalisedSignal[];
}

export interface IntakeContext {
  /** Name of the configured intake source; becomes NormalisedSignal.source. */
  sourceName: string;
  /** Epoch milliseconds at reception; the only clock an adapter may read. */
  now: number;
  /** Per-source override of the sender's severity names (case-insensitive keys), e.g. {"High": "orange"}. */
  severityMap?: Record<string, Colour>;
}

/**
 * Label set on signals that only acknowledge an alert that is already open (PagerDuty `acknowledge`,
 * Nagios ACKNOWLEDGEMENT, Zabbix problem update with ack). Such a signal has status "firing" but
 * must not open a new incident on its own.
 */
export const ACK_LABEL = 'lifeline_ack';

/** Error code of the ValidationError thrown by parseIntake. */
export const INTAKE_BODY_INVALID = 'INTAKE_BODY_INVALID';

/** Formats a zod issue path the way our issues name fields: ["alerts", 0, "status"] → "alerts[0].status". */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Converts a ZodError into our Issue list, one entry per problem (union branches flattened). */
export function zodIssues(error: z.ZodError): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'invalid_union' && issue.unionErrors.length > 0) {
      issues.push(...zodIssues(issue.unionErrors[0]!));
      continue;
    }
    issues.push({ path: formatIssuePath(issue.path), message: issue.message });
  }
  return issues;
}

/**
 * Validates a raw body (already-parsed JSON, or a JSON string/Buffer) against the format's schema and
 * returns its signals. Throws a ValidationError listing every problem, each with the field path.
 */
export function parseIntake<Body>(format: IntakeFormat<Body>, rawBody: unknown, ctx: IntakeContext): NormalisedSignal[] {
  let body = rawBody;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      body = JSON.parse(text);
    } catch (error) {
      const message = `body is not valid JSON: ${(error as Error).message}`;
      throw new ValidationError(`invalid ${format.kind} body`, [{ path: '', message }], INTAKE_BODY_INVALID);
    }
  }
  checkJsonShape(body, INTAKE_BODY_INVALID); // depth and prototype keys, before any schema or adapter walks it
  if (format.accepts?.(body)) return format.toSignals(body, ctx);
  const result = format.bodySchema.safeParse(body);
  if (!result.success) {
    const issues = zodIssues(result.error);
    const first = issues[0];
    const where = first ? `${first.path || '(body)'}: ${first.message}` : 'invalid';
    throw new ValidationError(`invalid ${format.kind} body (${where})`, issues, INTAKE_BODY_INVALID);
  }
  return format.toSignals(result.data, ctx);
}
