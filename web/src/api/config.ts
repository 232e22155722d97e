// Administration of paging channels (/api/v1/notify/channel-settings) and plan versions (/api/v1/plan/versions).
// Types: the server's own (type-only imports). Every call is quiet: the pages word failures themselves.
import { post, request } from './client';
import type { ChannelSettingsResponse, ChannelTestResponse } from '../../../src/notify/routes.js';
import type { StoredChannelView } from '../../../src/notify/channel-store.js';
import type { PlanActivationResult, PlanVersionDetail, PlanVersionListView } from '../../../src/http/routes/plan.js';

export type { ChannelSettingsResponse, ChannelTestResponse, StoredChannelView, PlanActivationResult, PlanVersionDetail, PlanVersionListView };
export type ChannelItem = ChannelSettingsResponse['items'][number];
export type ChannelKind = ChannelSettingsResponse['kinds'][number];
export type ChannelFieldSpec = ChannelKind['fields'][number];
export type PlanVersionItem = PlanVersionListView['items'][number];
export type PlanDiffView = PlanVersionDetail['diff'];

export interface ChannelBody {
  id?: string;
  kind?: string;
  config: Record<string, string | number | string[] | null>;
  enabled: boolean;
  routeDefault: boolean;
  routeRoles: string[];
}

const quiet = { quiet: true };
const channel = (id: string) => `/notify/channel-settings/${encodeURIComponent(id)}`;

export const channelsApi = {
  list: () => request<ChannelSettingsResponse>('GET', '/notify/channel-settings', undefined, quiet),
  create: (body: ChannelBody) => post<StoredChannelView>('/notify/channel-settings', body, quiet),
  update: (id: string, body: ChannelBody) => request<StoredChannelView>('PUT', channel(id), body, quiet),
  remove: (id: string) => request<void>('DELETE', channel(id), undefined, quiet),
  test: (id: string, to: string) => post<ChannelTestResponse>(`${channel(id)}/test`, { to }, quiet),
};

/** Where the SMS vendors push patients' replies (TD unsubscribes): pasted into each vendor's console. */
export const smsRepliesApi = {
  urls: () => request<{ urls: { aliyun: string; tencent: string } }>('GET', '/status/sms-replies', undefined, quiet),
};

export const planVersionsApi = {
  list: () => request<PlanVersionListView>('GET', '/plan/versions', undefined, quiet),
  get: (id: string) => request<PlanVersionDetail>('GET', `/plan/versions/${encodeURIComponent(id)}`, undefined, quiet),
  upload: (text: string, fileName?: string) => post<PlanVersionDetail>('/plan/versions', { text, ...(fileName ? { fileName } : {}) }, quiet),
  activate: (id: string, reason: string) => post<PlanActivationResult>(`/plan/versions/${encodeURIComponent(id)}/activate`, { reason }, quiet),
};
