/** Tables of regulator reports (src/reports/regulators; migration 016). */
export interface RegulatorReportSubmissionsTable {
  id: string;
  incident_id: string;
  /** The plan's rule id of the report (RR.mi, RR.cac.summary …). */
  rule_id: string;
  /** The obligation instance the submission met (or would have met: a second submission of a report met already). */
  obligation_id: string;
  /** When the report was sent, as the person states it (ms). */
  submitted_at: number;
  /** The signed-in person who recorded it. */
  submitted_by: string;
  recorded_at: number;
  /** To whom it was sent: one of the plan's recipients, or free text. */
  recipient: string;
  /** The authority's reference number (文号 / 回执号). */
  reference: string;
  note: string | null;
  file_name: string;
  file_type: string;
  file_size: number;
  file_sha256: string;
  /** The file as sent. */
  file_data: Uint8Array;
}

export interface RegulatorReportsTables {
  regulator_report_submissions: RegulatorReportSubmissionsTable;
}
