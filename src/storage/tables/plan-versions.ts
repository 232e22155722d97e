/** Row shape of `plan_versions` (migration 023): one uploaded plan document, checked as `lifeline plan check` does. Times are epoch ms. */
export interface PlanVersionsTable {
  id: string;
  seq: number; // 1, 2, 3… in upload order: the number people call a version by
  sha256: string; // of the text as uploaded
  text: string;
  plan_id: string | null; // the document's plan.id / plan.version, when it could be read
  plan_version: string | null;
  uploaded_at: number;
  uploaded_by: string; // display name of the account
  errors: number;
  warnings: number;
  findings: string; // JSON Issue[] (severity, line, column, path, message)
  activated_at: number | null; // last activation of this version
  activated_by: string | null;
}

/**
 * Row shape of `plan_activations` (migration 023): the append-only, hash-chained record of which version was made
 * active, by whom and why (src/plan/versions.ts verifies the chain). The newest entry names the active version.
 */
export interface PlanActivationsTable {
  seq: number; // 1, 2, 3…: the chain order
  id: string;
  version_id: string;
  sha256: string; // the activated text's
  at: number;
  actor: string;
  reason: string;
  prev_hash: string;
  hash: string; // SHA-256 over [seq, id, version_id, sha256, at, actor, reason] and prev_hash
}

/** Tables: uploaded plan versions and their activations (migration 023). */
export interface PlanVersionsTables {
  plan_versions: PlanVersionsTable;
  plan_activations: PlanActivationsTable;
}
