import type { AnnouncementsTables } from './announcements.js';
import type { AuthTables } from './auth.js';
import type { ClusterTables } from './cluster.js';
import type { CoreTables } from './core.js';
import type { DrillsTables } from './drills.js';
import type { ChannelSettingsTables } from './channel-settings.js';
import type { PlanVersionsTables } from './plan-versions.js';
import type { DowntimeTables } from './downtime.js';
import type { IncidentReviewTables } from './incident-review.js';
import type { IntakeTables } from './intake.js';
import type { NotifyTables } from './notify.js';
import type { PeopleTables } from './people.js';
import type { RegulatorReportsTables } from './regulator-reports.js';
import type { StatusPageTables } from './status-page.js';
import type { TasksTables } from './tasks.js';

export type * from './announcements.js';
export type * from './auth.js';
export type * from './cluster.js';
export type * from './core.js';
export type * from './drills.js';
export type * from './channel-settings.js';
export type * from './plan-versions.js';
export type * from './downtime.js';
export type * from './incident-review.js';
export type * from './intake.js';
export type * from './notify.js';
export type * from './people.js';
export type * from './regulator-reports.js';
export type * from './status-page.js';
export type * from './tasks.js';

/**
 * The one typed database. storage/ owns the schema: every table's row type (one file per domain here) and its
 * migration (migrations/); the domains own their queries, all on this one type, so no query needs a cast.
 */
export interface Database
  extends CoreTables,
    AuthTables,
    ClusterTables,
    DowntimeTables,
    IntakeTables,
    NotifyTables,
    PeopleTables,
    TasksTables,
    StatusPageTables,
    AnnouncementsTables,
    RegulatorReportsTables,
    IncidentReviewTables,
    DrillsTables,
    ChannelSettingsTables,
    PlanVersionsTables {}
