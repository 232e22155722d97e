import { parseShortDuration } from '../shared/time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Session lifetimes and lock-out thresholds. Sessions: LIFELINE_SESSION_IDLE (default 8h: a shift without a
 * single request) and LIFELINE_SESSION_MAX (default 24h, however active), as durations like `30m`, `12h`, `7d`.
 */
export interface AuthPolicy {
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** A session's last-seen time is written at most this often (not on every request). */
  touchEveryMs: number;
  /** This many failed sign-ins for one user name within `failureWindowMs` lock it for `lockMs`. */
  maxFailures: number;
  failureWindowMs: number;
  lockMs: number;
  /** This many failed sign-ins from one address within `failureWindowMs` → 429 for that address (any user name). */
  maxFailuresPerIp: number;
  /** Minimum password length (NIST SP 800-63B: at least 8; we ask 10). */
  minPasswordLength: number;
}

export const DEFAULT_POLICY: AuthPolicy = {
  sessionIdleMs: 8 * HOUR,
  sessionMaxMs: 24 * HOUR,
  touchEveryMs: MINUTE,
  maxFailures: 5,
  failureWindowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  maxFailuresPerIp: 30,
  minPasswordLength: 10,
};

/** The policy with the session lifetimes of the environment, if set (invalid values are refused at start). */
export function policyFromEnv(env: Record<string, string | undefined> = process.env): AuthPolicy {
  const duration = (name: string, fallback: number) => {
    const text = env[name];
    if (!text) return fallback;
    const ms = parseShortDuration(text);
    if (!ms || ms < MINUTE) throw new Error(`${name}: a duration of at least 1m like 30m, 8h or 7d (got '${text}')`);
    return ms;
  };
  return { ...DEFAULT_POLICY, sessionIdleMs: duration('LIFELINE_SESSION_IDLE', DEFAULT_POLICY.sessionIdleMs), sessionMaxMs: duration('LIFELINE_SESSION_MAX', DEFAULT_POLICY.sessionMaxMs) };
}
