/**
 * Row shape of `notify_channel_settings` (migration 022): a paging channel set up in the browser. Its non-secret
 * fields are plain JSON; its secret fields are one AES-256-GCM box (src/notify/secret-box.ts) under a key kept
 * outside the database. Times are epoch ms.
 */
export interface NotifyChannelSettingsTable {
  id: string; // the channel id routing and people's channel lists name; unique across notify.yaml and here
  kind: string; // a notifier kind of src/notify/channels
  config: string; // JSON of the non-secret fields
  secrets: string | null; // the sealed JSON of the secret fields (v1:<base64 iv|tag|ciphertext>), null when none is set
  route_default: number; // 1: used for everyone (appended to routing.default)
  route_roles: string; // JSON array of role ids whose holders it pages
  enabled: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

/** Row shape of `notify_channel_tests` (migration 022): a test message sent from the browser or the CLI. */
export interface NotifyChannelTestsTable {
  id: string;
  channel: string;
  at: number;
  person_id: string;
  person_name: string;
  status: string; // sent | failed
  error: string | null;
  by: string;
}

/** Tables: channels set up in the browser (migration 022). */
export interface ChannelSettingsTables {
  notify_channel_settings: NotifyChannelSettingsTable;
  notify_channel_tests: NotifyChannelTestsTable;
}
