/**
 * The printable on-site notice: publishing makes it ready to print; the PDF (A4 or A3, large type, a QR code of the
 * status page) is rendered on demand at GET /api/v1/announcements/:id/notice.pdf (notice.ts).
 */
import type { PublicChannel } from '../types.js';

export const noticePath = (id: string, size: 'A4' | 'A3' = 'A4') => `/api/v1/announcements/${encodeURIComponent(id)}/notice.pdf?size=${size}`;

export const onsiteNoticeChannel = (): PublicChannel => ({
  kind: 'onsite_notice',
  unavailable: () => null,
  publish: async (a) => ({ ok: true, reference: noticePath(a.id) }),
});
