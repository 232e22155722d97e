/** Row shapes of the paging tables (migration 006_notify). Times are epoch ms; JSON columns hold text. */

/** One page: what one person is asked because of one cause (incident, step). Deliveries are its outbox rows. */
export interface NotifyPagesTable {
  id: string;
  key: string; // incident|step|person — a cause pages a person once
  incident_id: string | null;
  step: string; // opened | breach:O3.1:<obligation id> | level:L2 | …, plus ~d<n> for deputies
  reason: string; // the PageRequest reason
  role: string;
  person_id: string | null; // null: nobody holds the role
  obligation_id: string | null;
  deputy_rank: number; // 0: the holder; n: the n-th deputy
  parent_id: string | null; // the page this one stands in for
  deputies: string; // JSON person ids still behind this one, in order
  channels: string; // JSON channel ids
  state: string; // queued | acked | unreachable | unstaffed | no_channels | closed
  round: number; // how many times it has been sent (repeats)
  repeat_every: number;
  repeat_limit: number;
  next_repeat_at: number | null;
  message: string | null; // JSON RenderedMessage, rendered once when first sent
  at: number; // the instant of the cause
  created_at: number;
  acked_at: number | null;
  expires_at: number; // of its acknowledgement link
}

/** The outbox: one row per (page, round, channel); `key` makes a cause page a person once per channel. */
export interface NotifyDeliveriesTable {
  id: string;
  key: string; // incident|step#round|channel|person
  page_id: string;
  incident_id: string | null;
  person_id: string;
  channel: string;
  kind: string;
  round: number;
  status: string; // pending | sending | sent | failed | cancelled
  attempts: number;
  next_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
  provider_ref: string | null;
  digest_id: string | null; // set when sent inside a digest (rate-limited robots)
  claimed_by?: string | null; // the node sending it (status sending; migration 012_cluster)
  claimed_until?: number | null; // its lease: past it, another node may take the delivery over
}

export interface NotifyAcksTable {
  page_id: string;
  action: string; // acknowledge | check_in
  incident_id: string | null;
  person_id: string;
  at: number;
}

/** The notify tables, as the one typed database (index.ts) lists them. */
export interface NotifyTables {
  notify_pages: NotifyPagesTable;
  notify_deliveries: NotifyDeliveriesTable;
  notify_acks: NotifyAcksTable;
}
