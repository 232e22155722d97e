/**
 * The one place a message leaves Lifeline: one call of a channel's `send` with a time-out from the config,
 * returning the attempt as data (when, how long, the outcome). The outbox worker records it. Channels never
 * throw (src/notify/channels/support.ts), but a defect must not stop the worker either.
 */
import type { ChannelSetup } from './config.js';
import type { Delivery, Recipient, RenderedMessage } from './types.js';

export interface Attempt {
  channel: string;
  at: number;
  ms: number;
  delivery: Delivery;
}

/**
 * `now` is the platform clock (recorded); vendor signatures use the real time (their clocks are real, even
 * while a drill runs Lifeline's clock ahead).
 */
export async function dispatch(channel: ChannelSetup, msg: RenderedMessage, to: Recipient, opts: { now: () => number; timeoutMs: number; dryRun?: boolean }): Promise<Attempt> {
  const at = opts.now();
  const started = performance.now();
  let delivery: Delivery;
  try {
    delivery = await channel.notifier.send(msg, to, channel.config, { signal: AbortSignal.timeout(opts.timeoutMs), dryRun: opts.dryRun ?? false });
  } catch (err) {
    delivery = { status: 'failed', retryable: false, reason: `${channel.kind}: ${(err as Error).message ?? String(err)}` };
  }
  return { channel: channel.id, at, ms: Math.round(performance.now() - started), delivery };
}
