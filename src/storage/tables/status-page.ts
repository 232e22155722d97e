/** Tables of the patient status page (src/publicity/status). */
export type StatusPageTables = Record<never, never>;
