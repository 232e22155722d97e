/** Paging: the public face of src/notify for the rest of Lifeline. Channels live in ./channels. */
export { pagingRoutes } from './routes.js';
export { PagingService, ACK_ACTIONS, type AckAction, type PagingOptions } from './service.js';
export { loadNotifyConfig, parseNotifyConfig, noChannels, type NotifyConfig, type ChannelSetup } from './config.js';
export { renderPage, renderDigest, renderTest } from './render.js';
export { platformSecret } from './secret.js';
export type { RenderedMessage, Recipient, Delivery, Notifier } from './types.js';
