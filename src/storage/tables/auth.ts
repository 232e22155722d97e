/** Row shapes of the sign-in tables (migration 004_auth). Times are epoch milliseconds. */
export interface AuthUsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  plan_role: string | null;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
  disabled_at: number | null;
}

export interface AuthSessionsTable {
  id: string; // sha256 hex of the cookie value
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

export interface AuthTokensTable {
  id: string;
  name: string;
  role: string;
  plan_role: string | null;
  token_hash: string; // sha256 hex
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export type SigninOutcome = 'success' | 'failure' | 'locked' | 'throttled' | 'disabled' | 'logout' | 'unlock';

export interface AuthSigninsTable {
  id: string;
  at: number;
  username: string;
  user_id: string | null;
  outcome: SigninOutcome;
  reason: string | null;
  ip: string;
  user_agent: string;
}

/** The auth tables, as the one typed database (index.ts) lists them. */
export interface AuthTables {
  auth_users: AuthUsersTable;
  auth_sessions: AuthSessionsTable;
  auth_tokens: AuthTokensTable;
  auth_signins: AuthSigninsTable;
}
