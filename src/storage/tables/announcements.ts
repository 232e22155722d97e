/** Tables of announcements (src/publicity/announcements). */
export type AnnouncementsTables = Record<never, never>;
