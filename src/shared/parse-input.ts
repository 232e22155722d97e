import type { ZodType, ZodTypeDef } from 'zod';
import { ValidationError, type Issue } from './errors.js';

/** Validates a request part once, at the boundary; every problem is named by its field path. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, where = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: Issue[] = result.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : where, message: i.message }));
  throw new ValidationError(`invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
