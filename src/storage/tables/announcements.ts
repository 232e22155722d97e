/** Row shapes of the announcement tables (migration 015_announcements). Times are epoch ms; JSON columns hold text. */

/** One announcement to patients: a draft until approved, then published (immutable); withdrawn takes it off the public channels that can. */
export interface AnnouncementsTable {
  id: string;
  draft_key: string | null; // obligation:<obligation id> | all_clear:<incident id>: one automatic draft each; null for updates by hand
  incident_id: string | null;
  obligation_id: string | null; // the obligation instance it was drafted for
  rule_id: string | null; // that obligation's rule (O1.3 …)
  template_id: string;
  kind: string; // initial | update | all_clear
  state: string; // draft | published | withdrawn
  channels: string; // JSON PublicChannelKind[]
  services: string; // JSON patient-service ids it speaks of
  title_zh: string;
  body_zh: string;
  title_en: string | null;
  body_en: string | null;
  expected_recovery_at: number | null;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  revision: number; // +1 on each edit (a PATCH may name the revision it edits)
  approved_at: number | null;
  approved_by: string | null;
  withdrawn_at: number | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

/** One channel's delivery of one published announcement. */
export interface AnnouncementDeliveriesTable {
  id: string;
  announcement_id: string;
  channel: string; // status_page | website | wechat_oa | sms | onsite_notice
  state: string; // pending | sending | sent | failed | skipped
  attempts: number;
  next_at: number | null; // pending/failed: when the worker tries (again); sending: the claim's lease; null: no automatic retry
  last_error: string | null;
  reference: string | null; // what the channel answered (a publish id, a URL, "3/3 sent")
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

/** The announcement tables, as the one typed database (index.ts) lists them. */
export interface AnnouncementsTables {
  announcements: AnnouncementsTable;
  announcement_deliveries: AnnouncementDeliveriesTable;
}
