// The announcement API (/api/v1/incidents/:id/announcements, /api/v1/announcements/:id): drafts, edits, approval and
// publication, retries, the printable notice. Types: the server's own (src/publicity/announcements/types.ts).
import { get, post, request } from './client';
import type { AnnouncementView } from '../../../src/publicity/announcements/types.js';

export type { AnnouncementView, DeliveryView } from '../../../src/publicity/announcements/types.js';

export interface AnnouncementPatchBody {
  title?: { zh?: string; en?: string | null };
  body?: { zh?: string; en?: string | null };
  expectedRecoveryAt?: string | null;
  channels?: string[];
  revision?: number;
}

const id = (s: string) => encodeURIComponent(s);

/** Every change is quiet: the card shows a refusal in the reader's language from its code. */
export const announcementsApi = {
  list: (incidentId: string) => get<{ items: AnnouncementView[]; statusUrl: string }>(`/incidents/${id(incidentId)}/announcements`),
  createUpdate: (incidentId: string, template?: string) => post<AnnouncementView>(`/incidents/${id(incidentId)}/announcements`, template ? { template } : {}, { quiet: true }),
  edit: (announcementId: string, body: AnnouncementPatchBody) => request<AnnouncementView>('PATCH', `/announcements/${id(announcementId)}`, body, { quiet: true }),
  approve: (announcementId: string, revision: number) => post<AnnouncementView>(`/announcements/${id(announcementId)}/approve`, { revision }, { quiet: true }),
  retry: (announcementId: string, channel?: string) => post<AnnouncementView>(`/announcements/${id(announcementId)}/retry`, channel ? { channel } : {}, { quiet: true }),
  withdraw: (announcementId: string, reason: string) => post<AnnouncementView>(`/announcements/${id(announcementId)}/withdraw`, { reason }, { quiet: true }),
  noticeUrl: (announcementId: string, size: 'A4' | 'A3') => `/api/v1/announcements/${id(announcementId)}/notice.pdf?size=${size}`,
};
