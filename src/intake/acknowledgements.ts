import type { NormalisedSignal } from '../signals/types.js';
import { ACK_LABEL } from './format.js';

/** On an acknowledgement's journal entry: the dedup key of the alert it acknowledges. */
export const ACK_OF_LABEL = 'lifeline_ack_of';

export const isAcknowledgement = (s: NormalisedSignal): boolean => s.labels?.[ACK_LABEL] === 'true';

/**
 * A monitoring tool's acknowledgement is journalled like any signal, under its own identity (`KEY#ack`, label
 * lifeline_ack_of = KEY), so that the engine never takes it for a re-send of the alert. When it is processed,
 * noise control (noise.ts) finds the acknowledged alert and records `acknowledged` on its incident.
 */
export function asAcknowledgement(s: NormalisedSignal): NormalisedSignal {
  if (!isAcknowledgement(s) || !s.dedupKey || s.labels?.[ACK_OF_LABEL]) return s; // not one, or already in this form
  return { ...s, dedupKey: `${s.dedupKey}#ack`, labels: { ...s.labels, [ACK_OF_LABEL]: s.dedupKey } };
}
