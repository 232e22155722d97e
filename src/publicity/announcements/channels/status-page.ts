/** The public status page: publishing makes the announcement visible there (publishedNotices reads the sent deliveries). */
import type { PublicChannel } from '../types.js';

export const statusPageChannel = (): PublicChannel => ({
  kind: 'status_page',
  unavailable: () => null,
  publish: async (_a, ctx) => ({ ok: true, reference: ctx.statusUrl }),
});
