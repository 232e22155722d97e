/** Tables: channels set up in the browser (migration 022). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the first table
export type ChannelSettingsTables = {};
