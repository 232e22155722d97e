/** Announcements to patients: the public surface of src/publicity/announcements. */
export { AnnouncementService, publishedNotices, type AnnouncementDeps, type AnnouncementPatch, type Approver } from './service.js';
export { announcementRoutes } from './routes.js';
export { loadPublicityConfig, parsePublicityConfig, defaultPublicityConfig, type PublicityConfig } from './config.js';
export { websiteSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './channels/website.js';
export type { AnnouncementView, DeliveryView, PublicChannel, PublishOutcome } from './types.js';
