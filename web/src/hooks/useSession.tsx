// The signed-in user, their permissions and the CSRF token. Loaded once; refreshed after login and on reconnect.
// A session that ends while the app is open is `expired`: the user and the page stay (with what forms hold) until
// the person signs in again in place (routes/login/SessionExpiredDialog).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, setCsrfToken } from '../api/client';
import { api } from '../api/endpoints';
import { hasPermission } from '../api/permissions';
import type { Session } from '../api/types';
import { useLiveRefresh } from './live';

interface SessionValue {
  session: Session | null;
  /** true until the first GET /session answered */
  loading: boolean;
  can: (permission: string) => boolean;
  reload: () => Promise<Session | null>;
  clear: () => void;
  /** the session ended while the app was open: ask to sign in again, in place */
  expired: boolean;
  expire: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const had = useRef(false);

  const reload = useCallback(async () => {
    try {
      const s = await api.session({ no401Redirect: true, quiet: true });
      setCsrfToken(s.csrfToken);
      setSession(s);
      setExpired(false);
      had.current = true;
      return s;
    } catch (e) {
      // Dev only: against a server without auth yet, VITE_LIFELINE_DEV_USER=1 stands in a user with every permission.
      if (import.meta.env.DEV && import.meta.env.VITE_LIFELINE_DEV_USER === '1' && e instanceof ApiError && e.status === 404) {
        const dev: Session = {
          user: { name: 'dev', username: 'dev', role: 'admin', roleName: { zh: '系统管理员', en: 'Administrator' }, planRole: 'deputy_commander', person: null, kind: 'session', permissions: ['*'] },
        };
        setSession(dev);
        return dev;
      }
      if (e instanceof ApiError && e.status === 401 && had.current)
        setExpired(true); // keep the page: sign in again in place
      else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setSession(null);
        setCsrfToken(undefined);
      }
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  const clear = useCallback(() => {
    had.current = false;
    setExpired(false);
    setSession(null);
    setCsrfToken(undefined);
  }, []);
  const expire = useCallback(() => {
    if (had.current) setExpired(true);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  useLiveRefresh((full) => {
    if (full && session && !expired) void reload();
  });

  const value = useMemo<SessionValue>(
    () => ({ session, loading, reload, clear, expired, expire, can: (p) => hasPermission(session?.user.permissions, p) }),
    [session, loading, reload, clear, expired, expire],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
