/**
 * The regulator-report API: an incident's reports with their deadlines and submissions, each report's prefilled draft
 * (DOCX), recording a submission made outside Lifeline, and the file as sent. One line in src/http/extensions.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalActor } from '../../auth/actor.js';
import { attachmentDisposition } from '../../downtime/export.js';
import { ValidationError } from '../../shared/errors.js';
import { parseInput } from '../../shared/parse-input.js';
import { MAX_FILE_BYTES, type RegulatorReportListResponse, type RegulatorReports, type SubmissionView } from './service.js';

const READ = { config: { permission: 'incident.read' } };
/** base64 of MAX_FILE_BYTES plus the rest of the body: a file just over the limit still reaches the check that names it. */
const SUBMIT = { config: { permission: 'report.submit' }, bodyLimit: Math.ceil((MAX_FILE_BYTES * 4) / 3) + 1024 * 1024 };
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The request body of POST /incidents/:id/regulator-reports/:ruleId/submissions (the web app's type: src/http/contract.ts). */
export const submissionBody = z
  .object({
    /** When it was sent (default now); not in the future, not before the incident was detected. */
    submittedAt: z.string().datetime({ offset: true, message: 'an ISO 8601 time with offset, e.g. 2026-03-02T10:30:00+08:00' }).optional(),
    /** To whom: one of the report's recipients, or free text. */
    to: z.string().trim().min(1, 'say to whom it was sent').max(200, 'at most 200 characters'),
    /** The authority's reference number (文号 / 回执号). */
    reference: z.string().trim().min(1, 'the reference number is required').max(100, 'at most 100 characters'),
    note: z.string().max(2000, 'at most 2000 characters').optional(),
    /** The file as sent. */
    file: z
      .object({
        name: z.string().trim().min(1, 'the file name is required').max(255, 'at most 255 characters'),
        contentType: z.string().trim().min(1, 'the content type is required').max(120, 'at most 120 characters'),
        base64: z.string().min(1, 'the file must not be empty'),
      })
      .strict(),
  })
  .strict();

export type { RegulatorReportListResponse, RegulatorReportView, SubmissionView } from './service.js';

type Params = { Params: { id: string; ruleId: string } };

/** The signed-in person; without sign-in (in-process tests of other domains) `api`. Never a name the client sends. */
const actorOf = (request: FastifyRequest): string => (request.principal ? principalActor(request).actor : 'api');

function decode(base64: string): Buffer {
  const clean = base64.replace(/\s+/g, '');
  if (clean.length % 4 === 1 || !BASE64.test(clean)) throw new ValidationError('the file is not base64', [{ path: 'file.base64', message: 'not valid base64' }]);
  return Buffer.from(clean, 'base64');
}

export function regulatorRoutes(app: FastifyInstance, reports: RegulatorReports): void {
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/regulator-reports', READ, async (req) => (await reports.list(req.params.id)) satisfies RegulatorReportListResponse);

  app.get<Params>('/api/v1/incidents/:id/regulator-reports/:ruleId/draft.docx', READ, async (req, reply) => {
    const { fileName, bytes } = await reports.draft(req.params.id, req.params.ruleId);
    return reply
      .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', attachmentDisposition(fileName))
      .header('cache-control', 'no-store')
      .send(bytes);
  });

  app.post<Params>('/api/v1/incidents/:id/regulator-reports/:ruleId/submissions', SUBMIT, async (req, reply) => {
    const body = parseInput(submissionBody, req.body);
    const bytes = decode(body.file.base64);
    const saved = await reports.submit(
      req.params.id,
      req.params.ruleId,
      {
        submittedAt: body.submittedAt ? Date.parse(body.submittedAt) : undefined,
        to: body.to,
        reference: body.reference,
        note: body.note,
        file: { name: body.file.name, contentType: body.file.contentType, bytes },
      },
      actorOf(req),
    );
    return reply.status(201).send(saved satisfies SubmissionView);
  });

  app.get<{ Params: { id: string; sid: string } }>('/api/v1/incidents/:id/regulator-reports/submissions/:sid/file', READ, async (req, reply) => {
    const file = await reports.file(req.params.id, req.params.sid);
    return reply.type(file.contentType).header('content-disposition', attachmentDisposition(file.name)).header('x-content-sha256', file.sha256).header('cache-control', 'no-store').send(file.bytes);
  });
}
