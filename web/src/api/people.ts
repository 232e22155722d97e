// The people API (/api/v1/people, /roles, /oncall): the directory, roster import with its preview, role holders and
// deputies, rotations, overrides, swaps and gaps. Every change is quiet: the screens word a refusal from its code.
import { get, post, request } from './client';
import type { Person, Rotation } from '../../../src/people/types.js';
import type { RosterIssue, RowPreview } from '../../../src/people/roster.js';

export type { RosterIssue, RowPreview, Rotation };

/** A person as the API answers it (times as ISO strings). */
export type PersonView = Omit<Person, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
export type PersonBody = Partial<Omit<Person, 'id' | 'createdAt' | 'updatedAt'>>;

export interface ImportPreview {
  applied: boolean;
  sheets: { name: string; kind: string; rows: number }[];
  people: { created: number; updated: number };
  roles: number;
  shifts: number;
  errors: RosterIssue[];
  rows: RowPreview[];
}

export interface PersonRef {
  id: string;
  name: string;
}
export interface RoleView {
  role: string;
  roleName: { zh: string; en: string };
  holders: PersonRef[];
  deputies: PersonRef[];
}
export interface GapView {
  role: string;
  roleName?: { zh: string; en: string };
  from: string;
  to: string;
  reason: 'nobody' | 'inactive';
}
export interface OverrideView {
  id: string;
  role: string;
  personId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}
export type RotationBody = Omit<Rotation, 'id'>;

const id = (s: string) => encodeURIComponent(s);
const quiet = { quiet: true };

/** The file's bytes as base64, for the JSON form of the import request. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const peopleApi = {
  list: (q: { q?: string; inactive?: boolean } = {}) => {
    const params = new URLSearchParams();
    if (q.q) params.set('q', q.q);
    if (q.inactive) params.set('inactive', 'true');
    return get<{ items: PersonView[] }>(`/people${params.size ? `?${params}` : ''}`, quiet);
  },
  create: (body: PersonBody & { name: string }) => post<PersonView>('/people', body, quiet),
  update: (personId: string, body: PersonBody) => request<PersonView>('PATCH', `/people/${id(personId)}`, body, quiet),
  deactivate: (personId: string) => request<PersonView>('DELETE', `/people/${id(personId)}`, undefined, quiet),
  /** Checks the file and writes nothing: every row with its problems. */
  preview: (filename: string, content: string) => post<ImportPreview>('/people/import?dryRun=true', { filename, content }, quiet),
  /** Writes the file; `partial`: only the good rows (the bad ones are reported again). */
  import: (filename: string, content: string, partial: boolean) => post<ImportPreview>(`/people/import${partial ? '?partial=true' : ''}`, { filename, content }, quiet),

  roles: () => get<{ items: RoleView[] }>('/roles', quiet),
  assign: (role: string, holders: string[], deputies: string[]) => request<unknown>('PUT', `/roles/${id(role)}/assignees`, { holders, deputies }, quiet),

  gaps: (days = 14) => get<{ items: GapView[] }>(`/oncall/gaps?days=${days}`, quiet),
  rotations: () => get<{ items: Rotation[] }>('/oncall/rotations', quiet),
  createRotation: (body: RotationBody) => post<Rotation>('/oncall/rotations', body, quiet),
  updateRotation: (rotationId: string, body: Partial<RotationBody>) => request<Rotation>('PATCH', `/oncall/rotations/${id(rotationId)}`, body, quiet),
  deleteRotation: (rotationId: string) => request<void>('DELETE', `/oncall/rotations/${id(rotationId)}`, undefined, quiet),
  overrides: () => get<{ items: OverrideView[] }>('/oncall/overrides?days=60', quiet),
  addOverride: (body: { role: string; personId: string; startsAt: string; endsAt: string; reason: string }) => post<OverrideView>('/oncall/overrides', body, quiet),
  cancelOverride: (overrideId: string) => request<void>('DELETE', `/oncall/overrides/${id(overrideId)}`, undefined, quiet),
  swap: (body: { role: string; a: string; b: string; reason: string; handover: string }) => post<{ items: OverrideView[] }>('/oncall/swaps', body, quiet),
};
