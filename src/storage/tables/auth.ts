import type { Chained } from './chain.js';
/** Row shapes of the sign-in tables (migrations 004_auth, 010_account_person). Times are epoch milliseconds. */
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
  person_id: string | null; // the person of the directory this account belongs to (migration 010)
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

/** What an administrator did to an account or an API token (src/auth/admin.ts), kept in the same hash-chained audit. */
export type AdminAuditAction = 'account_add' | 'password_reset' | 'account_disable' | 'account_enable' | 'unlock' | 'person_link' | 'person_unlink' | 'token_add' | 'token_revoke';

export type SigninOutcome = 'success' | 'failure' | 'locked' | 'throttled' | 'disabled' | 'logout' | 'unlock' | AdminAuditAction;

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
  auth_signins: Chained<AuthSigninsTable>; // hash-chained, append-only (src/storage/chain.ts)
}
