/**
 * Shapes of the public status page (src/publicity/status). Everything here is public: it names services in
 * patients' words (挂号, 缴费…), never levels, hostnames or staff unless the plan's `status_page` marks them public.
 */

/** Zh is always given; en when the author wrote one (the page falls back to zh). */
export interface PublicText {
  zh: string;
  en?: string;
}

/** A published announcement as the status page shows it (produced by src/publicity/announcements). */
export interface PublicNotice {
  id: string;
  incidentId: string | null;
  kind: 'initial' | 'update' | 'all_clear';
  publishedAt: number;
  title: PublicText;
  body: PublicText;
  expectedRecoveryAt: number | null;
  /** patient_services ids the notice is about (may be empty: about the hospital in general). */
  services: string[];
}

/** How a service is doing now, as patients see it. */
export const SERVICE_STATES = ['normal', 'degraded', 'down', 'recovering'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** A system's state as the status page reads it from the open incidents. */
export type SystemCondition = 'down' | 'degraded' | 'up' | 'recovering';

export interface SystemStateInput {
  system: string;
  state: SystemCondition;
}

export interface AffectedService {
  id: string;
  name: { zh: string; en: string };
  state: ServiceState;
  /** What to do instead (empty while normal is fine: the page shows them only when not normal). */
  alternatives: { zh: string; en: string }[];
  note: { zh: string; en: string } | null;
  /** Systems (directly or through dependencies) that make it so; internal — shown only if the plan allows. */
  systems: string[];
}

export type OverallState = 'normal' | 'degraded' | 'down' | 'recovering';

/** The JSON of `GET /api/v1/status`. */
export interface StatusDocument {
  hospital: { title: PublicText; contact: PublicText | null };
  overall: OverallState;
  updatedAt: string;
  expectedRecoveryAt: string | null;
  services: {
    id: string;
    name: { zh: string; en: string };
    state: ServiceState;
    alternatives: { zh: string; en: string }[];
    note: { zh: string; en: string } | null;
    /** Only when the plan's status_page.show_systems is true. */
    systems?: string[];
  }[];
  announcements: {
    id: string;
    kind: PublicNotice['kind'];
    publishedAt: string;
    title: PublicText;
    body: PublicText;
    expectedRecoveryAt: string | null;
    services: string[];
  }[];
  /** Only when the plan's status_page.show_levels is true. */
  incidents?: { level: string; since: string }[];
}
