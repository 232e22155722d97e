import type { ZodType, ZodTypeDef } from 'zod';
import { ValidationError, type Issue } from './errors.js';

/** Validates a request part once, at the boundary; every problem is named by its field path. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, where = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: Issue[] = result.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : where, message: i.message }));
  throw new ValidationError(`invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/** How deep a request body may nest (objects and arrays); real payloads stay under 10. */
export const MAX_JSON_DEPTH = 64;
/** Keys that reach an object's prototype when a body is merged or copied, however they were spelled in the text. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed JSON body before any work reads it: at most MAX_JSON_DEPTH levels, and no own key that names
 * the prototype (JSON.parse has already turned an escaped `"\u005f_proto__"` into `__proto__`). Throws a 400
 * naming the place; iterative, so a body nested thousands deep cannot overflow the stack here.
 */
export function checkJsonShape(value: unknown, code = 'VALIDATION_FAILED', where = 'body'): void {
  if (typeof value === 'string') {
    checkText(value, where, code);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const stack: { v: object; path: string; depth: number }[] = [{ v: value, path: '', depth: 1 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    const at = path.length > 120 ? `${path.slice(0, 120)}…` : path || where;
    if (depth > MAX_JSON_DEPTH)
      throw new ValidationError(`invalid ${where}: nested deeper than ${MAX_JSON_DEPTH} levels at ${at}`, [{ path: at, message: `nested deeper than ${MAX_JSON_DEPTH} levels` }], code);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'string') checkText(item, `${path}[${i}]`, code);
        else if (typeof item === 'object' && item !== null) stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) throw new ValidationError(`invalid ${where}: the key ${key} is not allowed (${keyPath})`, [{ path: keyPath, message: `the key ${key} is not allowed` }], code);
      checkText(key, keyPath, code);
      const item: unknown = (v as Record<string, unknown>)[key];
      if (typeof item === 'string') checkText(item, keyPath, code);
      else if (typeof item === 'object' && item !== null) stack.push({ v: item, path: keyPath, depth: depth + 1 });
    }
  }
}

/** JSON text → value, refused (400 naming `where`) when it is not JSON or fails checkJsonShape. */
export function parseJsonBody(text: string, code = 'VALIDATION_FAILED', where = 'body', notJsonCode = code): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`invalid ${where}: not valid JSON (${(error as Error).message})`, [{ path: where, message: `not valid JSON: ${(error as Error).message}` }], notJsonCode);
  }
  checkJsonShape(value, code, where);
  return value;
}

/** A NUL character cannot be stored in a PostgreSQL text column (nor shown anywhere): refused, 400 naming the place. */
export function checkText(text: string, path: string, code = 'VALIDATION_FAILED'): void {
  if (text.includes('\u0000')) throw new ValidationError(`invalid ${path}: contains a NUL character (\\u0000)`, [{ path, message: 'contains a NUL character (\\u0000)' }], code);
}

/** Path parameters and query values: no NUL character (see checkText). */
export function checkRequestText(params: unknown, query: unknown): void {
  for (const [part, values] of [
    ['params', params],
    ['query', query],
  ] as const) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [k, v] of Object.entries(values)) {
      checkText(k, part);
      for (const item of Array.isArray(v) ? v : [v]) if (typeof item === 'string') checkText(item, `${part}.${k}`);
    }
  }
}
