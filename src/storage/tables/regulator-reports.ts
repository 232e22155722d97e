/** Tables of regulator reports (src/reports/regulators). */
export type RegulatorReportsTables = Record<never, never>;
