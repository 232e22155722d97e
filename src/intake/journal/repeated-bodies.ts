import type { IntakeKind } from '../format.js';
import type { Source } from '../sources.js';

/** How long a body's judgement stands: repeats of untimed signals are due to be written again once a minute. */
const JUDGEMENT_MS = 1_000;
const MAX_BODIES = 256;
const MAX_BODY_CHARS = 256 * 1024;

/**
 * Senders' bodies that were read and found to repeat only settled states, so that the same text re-sent
 * (Alertmanager every group_interval, a retry) is answered again without being read. The text alone is not
 * enough: the judgement is for one source as configured then (the same object), one format, and holds for a
 * second at most and only until anything is written, settled or forgotten (`clear`), any of which may change
 * it. The journal asks only when no request of its own is in flight, which could supersede a settled state.
 */
export class RepeatedBodies {
  private readonly bodies = new Map<string, { kind: IntakeKind; source: Source; accepted: number; until: number }>();

  /** How many signals the body holds, if it is known to repeat settled states only. */
  repeats(kind: IntakeKind, source: Source, body: string, now: number): number | undefined {
    const known = this.bodies.get(body);
    if (!known) return undefined;
    if (known.kind !== kind || known.source !== source || now >= known.until) {
      this.bodies.delete(body);
      return undefined;
    }
    return known.accepted;
  }

  /** The body was read at `now` and every one of its `accepted` signals repeated a settled state. */
  judged(kind: IntakeKind, source: Source, body: string, accepted: number, now: number): void {
    if (accepted === 0 || body.length > MAX_BODY_CHARS) return;
    if (this.bodies.size >= MAX_BODIES) this.bodies.clear();
    this.bodies.set(body, { kind, source, accepted, until: now + JUDGEMENT_MS });
  }

  clear(): void {
    if (this.bodies.size) this.bodies.clear();
  }
}
