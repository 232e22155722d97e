/** Row shape of `status_subscribers` (migration 014_status_page): a phone that opted in on the status page. Times are epoch ms. */
export interface StatusSubscribersTable {
  phone: string; // 11-digit mainland mobile
  services: string; // JSON array of patient_services ids; [] = every service
  lang: string; // zh | en
  state: string; // pending | confirmed | unsubscribed
  code_hash: string | null; // HMAC of the 6-digit code
  code_expires_at: number | null;
  code_attempts: number;
  code_sent_at: number | null;
  created_at: number;
  confirmed_at: number | null;
  updated_at: number;
}

/** Row shape of `patient_feedback` (migration 014_status_page): a message a patient sent from the status page. */
export interface PatientFeedbackTable {
  id: string;
  incident_id: string | null;
  service: string | null; // a patient_services id
  message: string;
  contact: string | null;
  lang: string;
  client_hash: string;
  created_at: number;
  answer: string | null;
  answered_by: string | null;
  answered_at: number | null;
}

/** Tables of the patient status page (src/publicity/status). */
export interface StatusPageTables {
  status_subscribers: StatusSubscribersTable;
  patient_feedback: PatientFeedbackTable;
}
