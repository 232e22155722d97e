// The regulator-report API (/api/v1/incidents/:id/regulator-reports): the reports an incident owes authorities, their
// prefilled drafts (DOCX) and recorded submissions. Types: the server's contract.
import { get, post } from './client';
import type { RegulatorReportListResponse, RegulatorSubmissionBody, RegulatorSubmissionView } from '../../../src/http/contract.js';

export type { RegulatorReportListResponse, RegulatorReportView, RegulatorSubmissionBody, RegulatorSubmissionView } from '../../../src/http/contract.js';

const API = '/api/v1';
const base = (incidentId: string) => `/incidents/${encodeURIComponent(incidentId)}/regulator-reports`;

export const regulatorsApi = {
  /** Quiet: the card says a failure itself (the incident room stays usable without it). */
  list: (incidentId: string) => get<RegulatorReportListResponse>(base(incidentId), { quiet: true }),
  /** Errors are shown by the card in the reader's language (quiet: not by the global reporter). */
  submit: (incidentId: string, ruleId: string, body: RegulatorSubmissionBody) => post<RegulatorSubmissionView>(`${base(incidentId)}/${encodeURIComponent(ruleId)}/submissions`, body, { quiet: true }),
  /** Links (GET with the session cookie): the draft and a file as sent. */
  draftUrl: (incidentId: string, ruleId: string) => `${API}${base(incidentId)}/${encodeURIComponent(ruleId)}/draft.docx`,
  fileUrl: (incidentId: string, submissionId: string) => `${API}${base(incidentId)}/submissions/${encodeURIComponent(submissionId)}/file`,
};
