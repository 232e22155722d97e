import { randomBytes } from 'node:crypto';

let lastTime = 0;
let counter = 0;

/** Sortable unique ids: creation time (ms, base36), a per-ms counter, then randomness. */
export function newId(prefix = ''): string {
  const now = Date.now();
  if (now === lastTime) counter++;
  else {
    lastTime = now;
    counter = 0;
  }
  return prefix + now.toString(36).padStart(9, '0') + counter.toString(36).padStart(3, '0') + randomBytes(4).toString('hex');
}
