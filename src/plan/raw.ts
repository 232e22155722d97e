/**
 * Defensive readers of a plan document that may not have passed the schema (lint runs on rejected documents
 * too): every list may be missing, every id may not be a string.
 */
export type Obj = Record<string, unknown>;
export type RawPath = readonly (string | number)[];

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A list's entries, each an object (a non-object entry reads as `{}`); anything else is an empty list. */
export const items = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
/** A list, a single value as a list of one, or nothing. */
export const strings = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
export const q = (v: unknown): string => JSON.stringify(v);

/** The values a finding names (ids, keys, numbers), for the web to word its code in the screen's language. */
export type FindingParams = Record<string, string | number>;
/** Where plan checks report: a stable code with its params, and the English message `lifeline plan check` prints. */
export interface FindingReport {
  error(path: RawPath, code: string, params: FindingParams, message: string): void;
  warn(path: RawPath, code: string, params: FindingParams, message: string): void;
}
/** A value as a finding parameter: strings and numbers as they are, anything else as JSON. */
export const param = (v: unknown): string | number => (typeof v === 'string' || typeof v === 'number' ? v : String(JSON.stringify(v)));
