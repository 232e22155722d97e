/** Tables: uploaded plan versions (migration 023). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the first table
export type PlanVersionsTables = {};
