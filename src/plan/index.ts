/** The emergency plan as data: types, loading (YAML → schema → lint), checks and plain-text views. */
export * from './types.js';
export { planSchema, isoDuration, knownKeysAt, PLAN_SCHEMA_ID, EXTRA_SECTIONS, type PlanDocument } from './schema.js';
export {
  parsePlanText,
  loadPlanFile,
  loadDefaultPlan,
  loadPlan,
  createPositions,
  deepFreeze,
  hasErrors,
  PlanInvalidError,
  DEFAULT_PLAN_PATH,
  type ParsePlanOptions,
  type ParsePlanResult,
} from './load.js';
export { lintPlan, formatPath, OBLIGATION_TRIGGERS, type PlanPositions, type Position, type Path, type PathSegment } from './lint.js';
export { PLATFORM_EVENTS, type PlatformEvent } from './dead-rules.js';
export { formatPlanTable, formatIssues, humanDuration, displayWidth, type Lang } from './show.js';
export { REPORT_EVIDENCE, reportTerms, withReportObligations, SUMMARY_SUFFIX } from './regulatory.js';
