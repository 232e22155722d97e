/** Tables: drill runs, observers' marks, scores, corrective actions (migrations 020, 021). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the first table
export type DrillsTables = {};
