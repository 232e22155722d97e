import type { Migration } from 'kysely';
import * as core from './001_core.js';
import * as intake from './002_intake.js';
import * as downtime from './003_downtime.js';
import * as auth from './004_auth.js';
import * as people from './005_people.js';
import * as notify from './006_notify.js';
import * as tasks from './007_tasks.js';
import * as journal from './008_signal_journal.js';
import * as lane from './009_signal_lane.js';
import * as accountPerson from './010_account_person.js';
import * as incidentResponse from './011_incident_response.js';
import * as cluster from './012_cluster.js';
import * as auditChain from './013_audit_chain.js';
import * as statusPage from './014_status_page.js';
import * as announcements from './015_announcements.js';
import * as regulatorReports from './016_regulator_reports.js';
import * as incidentReview from './017_incident_review.js';
import * as historyIndexes from './018_history_indexes.js';
import * as drillIncidents from './019_drill_incidents.js';
import * as drills from './020_drills.js';
import * as drillEvaluation from './021_drill_evaluation.js';
import * as channelSettings from './022_channel_settings.js';
import * as planVersions from './023_plan_versions.js';
import * as appendOnlyRecords from './024_append_only_records.js';

/**
 * Every migration, in order, for SQLite and PostgreSQL alike. A domain adds its tables with one new
 * file `NNN_domain.ts` and one line here.
 */
export const migrations: Record<string, Migration> = {
  '001_core': core,
  '002_intake': intake,
  '003_downtime': downtime,
  '004_auth': auth,
  '005_people': people,
  '006_notify': notify,
  '007_tasks': tasks,
  '008_signal_journal': journal,
  '009_signal_lane': lane,
  '010_account_person': accountPerson,
  '011_incident_response': incidentResponse,
  '012_cluster': cluster,
  '013_audit_chain': auditChain,
  '014_status_page': statusPage,
  '015_announcements': announcements,
  '016_regulator_reports': regulatorReports,
  '017_incident_review': incidentReview,
  '018_history_indexes': historyIndexes,
  '019_drill_incidents': drillIncidents,
  '020_drills': drills,
  '021_drill_evaluation': drillEvaluation,
  '022_channel_settings': channelSettings,
  '023_plan_versions': planVersions,
  '024_append_only_records': appendOnlyRecords,
};
