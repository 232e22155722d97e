/** Tables of the post-incident review (src/reports/post-incident). */
export type IncidentReviewTables = Record<never, never>;
