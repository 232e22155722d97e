/**
 * Regulator reports of an incident: the plan's `regulatory_reports` are obligations of the plan (src/plan/regulatory.ts)
 * that the engine starts when their conditions hold. This service lists them with their submissions, prepares each
 * one's draft (DOCX), and records a submission made outside Lifeline — who, when, to whom, the reference number, the
 * file as sent — which meets exactly that report's obligation, in the same transaction.
 */
import { createHash } from 'node:crypto';
import type { IncidentEngine } from '../../incidents/engine.js';
import type { IncidentQueries } from '../../incidents/view.js';
import type { Obligation, Plan, ReportSpec } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Db, ObligationsTable, RegulatorReportSubmissionsTable } from '../../storage/index.js';
import { draftContent } from './content.js';
import { renderDraftDocx } from './document.js';

/** The largest file a submission may keep (the file as sent). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface RegulatorReportsDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  engine: Pick<IncidentEngine, 'meetObligation'>;
  incidents: Pick<IncidentQueries, 'get'>;
  timezone: string;
}

export interface SubmissionView {
  id: string;
  ruleId: string;
  submittedAt: string;
  submittedBy: string;
  recordedAt: string;
  to: string;
  reference: string;
  note: string | null;
  file: { name: string; contentType: string; size: number; sha256: string };
}

const recipientNames = (spec: ReportSpec) => spec.recipients.map((zh, i) => ({ zh, en: spec.recipients_en?.[i] ?? zh }));

export interface RegulatorReportView {
  ruleId: string;
  obligationId: string;
  /** initial: the report; summary: the summary after handling ends (CAC Art. 8). */
  kind: 'initial' | 'summary';
  actorRole: string;
  action: { zh: string; en: string };
  /** As the plan names them (Chinese): what a submission's `to` is checked against. */
  recipients: string[];
  /** The same, for display in either language. */
  recipientNames: { zh: string; en: string }[];
  content: string[];
  /** The law says "immediately": `dueAt` is when it is shown overdue. */
  asap: boolean;
  prov: string;
  startedAt: string;
  dueAt: string | null;
  state: 'pending' | 'met' | 'breached' | 'waived' | 'ended';
  metAt: string | null;
  metBy: string | null;
  submissions: SubmissionView[];
}

/** GET /incidents/:id/regulator-reports */
export interface RegulatorReportListResponse {
  incidentId: string;
  /** The national grades the plan knows (most serious first), for the grade selector. */
  nationalGrades: string[];
  nationalGrade: { grade: string; at: string; by: string } | null;
  /** Reports started on this incident. */
  reports: RegulatorReportView[];
  /** The plan's other reports and what would start them (not owed on this incident so far). */
  notStarted: { ruleId: string; kind: 'initial' | 'summary'; recipients: string[]; recipientNames: { zh: string; en: string }[]; appliesIf: Obligation['applies_if'] | null }[];
}

export interface SubmissionInput {
  submittedAt?: number;
  to: string;
  reference: string;
  note?: string;
  file: { name: string; contentType: string; bytes: Buffer };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const SUBMISSION_COLUMNS = ['id', 'rule_id', 'submitted_at', 'submitted_by', 'recorded_at', 'recipient', 'reference', 'note', 'file_name', 'file_type', 'file_size', 'file_sha256'] as const;
type SubmissionRow = Pick<RegulatorReportSubmissionsTable, (typeof SUBMISSION_COLUMNS)[number]>;

const submissionView = (r: SubmissionRow): SubmissionView => ({
  id: r.id,
  ruleId: r.rule_id,
  submittedAt: iso(Number(r.submitted_at))!,
  submittedBy: r.submitted_by,
  recordedAt: iso(Number(r.recorded_at))!,
  to: r.recipient,
  reference: r.reference,
  note: r.note,
  file: { name: r.file_name, contentType: r.file_type, size: Number(r.file_size), sha256: r.file_sha256 },
});

export class RegulatorReports {
  constructor(private readonly deps: RegulatorReportsDeps) {}

  /** The plan's regulator-report obligations. */
  private get rules(): Obligation[] {
    return this.deps.plan.obligations.filter((o) => o.report);
  }

  /** The report rule, or 404 naming `ruleId`. */
  private rule(ruleId: string): Obligation {
    const rule = this.rules.find((o) => o.id === ruleId);
    if (!rule) {
      throw new AppError('REGULATOR_REPORT_NOT_FOUND', 404, `regulator report ${ruleId} not found in the plan`, [
        { path: 'ruleId', message: `not a regulator report of the plan; one of ${this.rules.map((o) => o.id).join(', ') || '(none)'}` },
      ]);
    }
    return rule;
  }

  private async incidentRow(incidentId: string) {
    const row = await this.deps.db.selectFrom('incidents').select(['id', 'detected_at']).where('id', '=', incidentId).executeTakeFirst();
    if (!row) throw new NotFoundError(`incident ${incidentId}`, 'INCIDENT_NOT_FOUND');
    return row;
  }

  /** The latest instance of a report on the incident, or 409 when it was never started there. */
  private async started(incidentId: string, rule: Obligation): Promise<ObligationsTable> {
    const rows = await this.deps.db.selectFrom('obligations').selectAll().where('incident_id', '=', incidentId).where('rule_id', '=', rule.id).orderBy('trigger_at', 'desc').execute();
    if (!rows[0])
      throw new AppError('REGULATOR_REPORT_NOT_STARTED', 409, `regulator report ${rule.id} is not owed on incident ${incidentId} (its conditions never held)`, [
        { path: 'ruleId', message: 'this report was not started on this incident' },
      ]);
    return rows[0];
  }

  async list(incidentId: string): Promise<RegulatorReportListResponse> {
    const incident = await this.deps.incidents.get(incidentId, { timelineLimit: 1 });
    const ids = this.rules.map((r) => r.id);
    const obligations = ids.length ? await this.deps.db.selectFrom('obligations').selectAll().where('incident_id', '=', incidentId).where('rule_id', 'in', ids).orderBy('trigger_at').execute() : [];
    const submissions = await this.deps.db.selectFrom('regulator_report_submissions').select(SUBMISSION_COLUMNS).where('incident_id', '=', incidentId).orderBy('submitted_at').orderBy('id').execute();
    const reports = obligations.map((o): RegulatorReportView => {
      const rule = this.rules.find((r) => r.id === o.rule_id)!;
      const spec = rule.report!;
      return {
        ruleId: o.rule_id,
        obligationId: o.id,
        kind: spec.kind,
        actorRole: o.actor_role,
        action: rule.action,
        recipients: spec.recipients,
        recipientNames: recipientNames(spec),
        content: spec.content,
        asap: spec.asap === true,
        prov: rule.prov,
        startedAt: iso(Number(o.trigger_at))!,
        dueAt: iso(o.due_at === null ? null : Number(o.due_at)),
        state: o.state as RegulatorReportView['state'],
        metAt: iso(o.met_at === null ? null : Number(o.met_at)),
        metBy: o.met_by,
        submissions: submissions.filter((s) => s.rule_id === o.rule_id).map(submissionView),
      };
    });
    const started = new Set(obligations.map((o) => o.rule_id));
    return {
      incidentId,
      nationalGrades: this.deps.plan.national_grading?.grades.map((g) => g.id) ?? [],
      nationalGrade: incident.nationalGrade,
      reports,
      notStarted: this.rules
        .filter((r) => !started.has(r.id))
        .map((r) => ({ ruleId: r.id, kind: r.report!.kind, recipients: r.report!.recipients, recipientNames: recipientNames(r.report!), appliesIf: r.applies_if ?? null })),
    };
  }

  /** The prefilled draft of one report (DOCX) and a file name for it. */
  async draft(incidentId: string, ruleId: string): Promise<{ fileName: string; bytes: Buffer }> {
    const rule = this.rule(ruleId);
    const incident = await this.deps.incidents.get(incidentId);
    const o = await this.started(incidentId, rule);
    const time = (ms: number) => localTime(ms, this.deps.timezone);
    const content = draftContent({ plan: this.deps.plan, rule, incident, dueAt: o.due_at === null ? null : Number(o.due_at), now: this.deps.clock.now(), time });
    const bytes = await renderDraftDocx(content);
    return { fileName: `${incident.id}-${rule.id}-draft.docx`, bytes };
  }

  /**
   * Records a report as submitted outside Lifeline; meets that report's obligation (and no other). A second
   * submission of a report already met is recorded too (a supplement) and meets nothing more.
   */
  async submit(incidentId: string, ruleId: string, input: SubmissionInput, actor: string): Promise<SubmissionView> {
    const rule = this.rule(ruleId);
    const incident = await this.incidentRow(incidentId);
    await this.started(incidentId, rule);
    const now = this.deps.clock.now();
    const submittedAt = input.submittedAt ?? now;
    if (submittedAt > now) throw new ValidationError('a report cannot have been submitted in the future', [{ path: 'submittedAt', message: 'must not be later than now' }]);
    if (submittedAt < Number(incident.detected_at))
      throw new ValidationError('a report cannot have been submitted before the incident was detected', [
        { path: 'submittedAt', message: `must not be earlier than the detection (${new Date(Number(incident.detected_at)).toISOString()})` },
      ]);
    if (input.file.bytes.length === 0) throw new ValidationError('the file is empty', [{ path: 'file.base64', message: 'the file as sent must not be empty' }]);
    if (input.file.bytes.length > MAX_FILE_BYTES)
      throw new ValidationError('the file is too large', [{ path: 'file.base64', message: `at most ${MAX_FILE_BYTES / 1024 / 1024} MB (got ${input.file.bytes.length} bytes)` }]);
    const row: RegulatorReportSubmissionsTable = {
      id: newId('rrs_'),
      incident_id: incidentId,
      rule_id: rule.id,
      obligation_id: '',
      submitted_at: submittedAt,
      submitted_by: actor,
      recorded_at: now,
      recipient: input.to,
      reference: input.reference,
      note: input.note ?? null,
      file_name: input.file.name,
      file_type: input.file.contentType,
      file_size: input.file.bytes.length,
      file_sha256: createHash('sha256').update(input.file.bytes).digest('hex'),
      file_data: input.file.bytes,
    };
    await this.deps.engine.meetObligation(incidentId, rule.id, actor, {
      doneAt: submittedAt,
      entry: {
        kind: 'regulator.report_submitted',
        message: `${rule.id} submitted to ${input.to}, reference ${input.reference}`,
        data: { obligation: rule.id, to: input.to, reference: input.reference, submittedAt, submission: row.id, sha256: row.file_sha256, note: input.note ?? null },
      },
      write: async (trx, obligationId) => {
        await trx
          .insertInto('regulator_report_submissions')
          .values({ ...row, obligation_id: obligationId })
          .execute();
      },
    });
    return submissionView(row);
  }

  /** The file of a submission, as sent. */
  async file(incidentId: string, submissionId: string): Promise<{ name: string; contentType: string; bytes: Buffer; sha256: string }> {
    const row = await this.deps.db
      .selectFrom('regulator_report_submissions')
      .select(['file_name', 'file_type', 'file_data', 'file_sha256'])
      .where('incident_id', '=', incidentId)
      .where('id', '=', submissionId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`submission ${submissionId} of incident ${incidentId}`, 'SUBMISSION_NOT_FOUND');
    return { name: row.file_name, contentType: row.file_type, bytes: Buffer.from(row.file_data), sha256: row.file_sha256 };
  }
}

const timeParts = (ms: number, timeZone: string) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );

/** "2026-03-02 09:15" in the hospital's zone. */
export function localTime(ms: number, timeZone: string): string {
  const p = timeParts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
