import { randomBytes } from 'node:crypto';

const PROCESS_TAG = randomBytes(4).toString('hex'); // tells apart ids made in the same ms by two processes or threads
let lastTime = 0;
let lastTimeText = '';
let counter = 0;

/** Sortable unique ids: creation time (ms, base36), a per-ms counter, then a per-process random tag. */
export function newId(prefix = ''): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    lastTimeText = now.toString(36).padStart(9, '0');
    counter = 0;
  } else counter++;
  return prefix + lastTimeText + counter.toString(36).padStart(4, '0') + PROCESS_TAG;
}
