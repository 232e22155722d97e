/** Regulator reports as obligations: listing, drafts (DOCX), recorded submissions. See docs/regulator-reports.md. */
export { RegulatorReports, MAX_FILE_BYTES, type RegulatorReportsDeps, type RegulatorReportListResponse, type RegulatorReportView, type SubmissionView, type SubmissionInput } from './service.js';
export { regulatorRoutes, submissionBody } from './routes.js';
