/** Post-incident reports (DOCX, PDF), the written review and its corrective actions. */
export { PostIncidentReports, type PostIncidentDeps, type ReportFile } from './service.js';
export { reviewRoutes, reviewSchemas } from './routes.js';
export { collectFacts, type ReportFacts } from './facts.js';
export { ReviewService } from './review.js';
