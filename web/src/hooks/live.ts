// Live updates: one EventSource on /api/v1/events. Any event → a debounced (~100 ms) "refresh" for what is on screen;
// a reconnect → a full refresh (session, plan, everything). Local mutations also trigger a refresh at once.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { API_BASE } from '../api/client';
import type { LiveEventMessage } from '../api/types';

export type LiveStatus = 'idle' | 'connecting' | 'open' | 'error';
/** One message of the stream; empty for a line that is not JSON (it still means "something changed"). */
export type LiveEvent = Partial<LiveEventMessage>;
type RefreshListener = (full: boolean, events: LiveEvent[]) => void;

const DEBOUNCE_MS = 100;
const refreshListeners = new Set<RefreshListener>();
const statusListeners = new Set<() => void>();
let status: LiveStatus = 'idle';
let source: EventSource | undefined;
let pending: LiveEvent[] = [];
let pendingFull = false;
let debounce: ReturnType<typeof setTimeout> | undefined;
let everOpened = false;
let retry: ReturnType<typeof setTimeout> | undefined;
const RETRY_MS = 3000;
// If the server sends {"type":"ping"} heartbeats, a stream silent for this long is treated as dead (a proxy may keep
// a dead upstream looking open) and re-opened. Without pings we cannot tell quiet from dead, so no watchdog.
const SILENCE_MS = 45_000;
let lastMessageAt = 0;
let pingSeen = false;
let watchdog: ReturnType<typeof setInterval> | undefined;

function setStatus(next: LiveStatus): void {
  if (status === next) return;
  status = next;
  statusListeners.forEach((l) => l());
}

function schedule(full: boolean, event?: LiveEvent): void {
  pendingFull ||= full;
  if (event) pending.push(event);
  if (debounce) return;
  debounce = setTimeout(() => {
    const events = pending;
    const wasFull = pendingFull;
    pending = [];
    pendingFull = false;
    debounce = undefined;
    refreshListeners.forEach((l) => l(wasFull, events));
  }, DEBOUNCE_MS);
}

/** Open the event stream (idempotent). The browser resumes with Last-Event-ID on its own. */
export function startLive(): void {
  if (typeof EventSource === 'undefined') return;
  if (source && source.readyState !== EventSource.CLOSED) return;
  source?.close();
  if (import.meta.env.DEV && import.meta.env.VITE_LIFELINE_FIXTURE === '1') {
    setStatus('open');
    return;
  }
  setStatus('connecting');
  source = new EventSource(`${API_BASE}/events`, { withCredentials: true });
  source.onopen = () => {
    setStatus('open');
    if (everOpened) schedule(true); // reconnected: we may have missed anything
    everOpened = true;
  };
  source.onerror = () => {
    if (source?.readyState !== EventSource.CLOSED) return setStatus('connecting'); // the browser retries by itself
    // A non-200 answer (server restarting, proxy 502, session expired) makes EventSource give up: retry ourselves.
    setStatus('error');
    if (!retry)
      retry = setTimeout(() => {
        retry = undefined;
        startLive();
      }, RETRY_MS);
  };
  source.onmessage = (msg) => {
    let event: LiveEvent = {};
    try {
      event = JSON.parse(msg.data) as LiveEvent;
    } catch {
      /* a keep-alive or non-JSON line still means "something changed" */
    }
    lastMessageAt = Date.now();
    if (event.type === 'ping') {
      pingSeen = true;
      return;
    }
    schedule(event.type === 'resync' || event.type === 'plan.changed', event);
  };
  lastMessageAt = Date.now();
  watchdog ??= setInterval(() => {
    if (pingSeen && source && Date.now() - lastMessageAt > SILENCE_MS) {
      source.close();
      setStatus('error');
      startLive();
    }
  }, SILENCE_MS / 3);
}

export function stopLive(): void {
  if (retry) clearTimeout(retry);
  retry = undefined;
  if (watchdog) clearInterval(watchdog);
  watchdog = undefined;
  source?.close();
  source = undefined;
  everOpened = false;
  setStatus('idle');
}

/** Ask every mounted view to re-fetch now (after our own POST succeeded). */
export function refreshNow(full = false): void {
  schedule(full);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (cb) => {
      statusListeners.add(cb);
      return () => statusListeners.delete(cb);
    },
    () => status,
  );
}

/** Run `callback` on every debounced refresh. The latest callback is always used. */
export function useLiveRefresh(callback: RefreshListener): void {
  const ref = useRef(callback);
  ref.current = callback;
  useEffect(() => {
    const listener: RefreshListener = (full, events) => ref.current(full, events);
    refreshListeners.add(listener);
    return () => {
      refreshListeners.delete(listener);
    };
  }, []);
}
