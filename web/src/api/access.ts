// The administration API of accounts, API tokens, intake sources and maintenance windows. Types: the server's own
// (src/auth/routes.ts, src/intake/routes.ts, src/intake/snippets.ts). Every change is quiet: the page words a
// refusal from its code, next to its field where it names one.
import { get, post, request } from './client';
import type {
  AccountAdminView,
  AccountCreateBody,
  AccountListResponse,
  PasswordResetResponse,
  TokenAdminView,
  TokenCreateBody,
  TokenCreatedResponse,
  TokenListResponse,
} from '../../../src/auth/routes.js';
import type { MaintenanceListResponse, SourceCreatedResponse, SourceListResponse } from '../../../src/intake/routes.js';
import type { MaintenanceView } from '../../../src/intake/maintenance.js';
import type { SourceSetup } from '../../../src/intake/snippets.js';
import type { SourceType } from '../../../src/intake/sources.js';
import type { Person } from '../../../src/people/types.js';

export type { AccountAdminView, TokenAdminView, TokenCreatedResponse, PasswordResetResponse, SourceCreatedResponse, SourceSetup, SourceType, MaintenanceView };
export type SourceView = SourceListResponse['items'][number];
/** What the person picker shows of a person of the directory. */
export type PersonChoice = Pick<Person, 'id' | 'name' | 'department' | 'employeeNo' | 'active'>;
/** A role of the accounts table (GET /api/v1/auth/roles). */
export type AccountRole = { id: AccountAdminView['role']; name: { zh: string; en: string }; planRole: string | null };

const enc = encodeURIComponent;
const quiet = { quiet: true } as const;

export const accessApi = {
  accounts: () => get<AccountListResponse>('/accounts'),
  roles: () => get<{ items: AccountRole[] }>('/auth/roles'),
  people: (q: string) => get<{ items: PersonChoice[] }>(`/people${q ? `?q=${enc(q)}` : ''}`, quiet),
  addAccount: (body: AccountCreateBody) => post<AccountAdminView>('/accounts', body, quiet),
  setPerson: (id: string, personId: string | null) => request<AccountAdminView>('PATCH', `/accounts/${enc(id)}`, { personId }, quiet),
  resetPassword: (id: string, password?: string) => post<PasswordResetResponse>(`/accounts/${enc(id)}/password`, password === undefined ? {} : { password }, quiet),
  setDisabled: (id: string, disabled: boolean) => post<AccountAdminView>(`/accounts/${enc(id)}/${disabled ? 'disable' : 'enable'}`, {}, quiet),
  unlock: (id: string) => post<AccountAdminView>(`/accounts/${enc(id)}/unlock`, {}, quiet),

  tokens: () => get<TokenListResponse>('/tokens'),
  addToken: (body: TokenCreateBody) => post<TokenCreatedResponse>('/tokens', body, quiet),
  revokeToken: (name: string) => request<TokenAdminView>('DELETE', `/tokens/${enc(name)}`, undefined, quiet),

  sources: () => get<SourceListResponse>('/sources'),
  addSource: (body: { name: string; type: SourceType; options?: { period?: string; system?: string } }) => post<SourceCreatedResponse>('/sources', body, quiet),
  sourceSetup: (name: string) => get<SourceSetup>(`/sources/${enc(name)}/setup`, quiet),
  newSourceKey: (name: string) => post<SourceCreatedResponse>(`/sources/${enc(name)}/key`, {}, quiet),
  revokeSource: (name: string) => request<SourceView>('DELETE', `/sources/${enc(name)}`, undefined, quiet),

  maintenance: () => get<MaintenanceListResponse>('/maintenance?state=all'),
  addMaintenance: (body: { system: string; component?: string; startsAt?: string; endsAt: string; reason: string }) => post<MaintenanceView>('/maintenance', body, quiet),
  cancelMaintenance: (id: string) => request<MaintenanceView>('DELETE', `/maintenance/${enc(id)}`, undefined, quiet),
};
