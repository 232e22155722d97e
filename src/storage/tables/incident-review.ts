/** Row shape of `incident_reviews` (migration 017): the written review of one incident. Times are epoch ms. */
export interface IncidentReviewsTable {
  incident_id: string;
  summary: string;
  root_cause: string;
  lessons: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

/** Row shape of `corrective_actions` (migration 017): one tracked corrective action of an incident's review. */
export interface CorrectiveActionsTable {
  id: string;
  incident_id: string;
  title: string;
  owner_person_id: string; // a person of the directory (people.id)
  due: string; // YYYY-MM-DD, the hospital's calendar day
  state: string; // open | done
  note: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  done_at: number | null;
  done_by: string | null;
}

/** Tables of the post-incident review (src/reports/post-incident). */
export interface IncidentReviewTables {
  incident_reviews: IncidentReviewsTable;
  corrective_actions: CorrectiveActionsTable;
}
