/** The post-incident report of one Lifeline: the review store, the facts, and the two files (DOCX, PDF). */
import type { DowntimeContext } from '../../downtime/context.js';
import type { EventBus } from '../../events/bus.js';
import type { IncidentQueries } from '../../incidents/view.js';
import type { Plan } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../storage/index.js';
import type { PdfPrinter } from '../pdf.js';
import { reportDocument } from './document.js';
import { renderDocx } from './docx.js';
import { collectFacts, type ReportFacts } from './facts.js';
import { localDay } from './format.js';
import { renderHtml } from './html.js';
import { ReviewService } from './review.js';
import type { ReportLang } from './texts.js';

export interface PostIncidentDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  timezone: string;
  incidents: IncidentQueries;
  downtime: DowntimeContext;
  pdf: PdfPrinter;
}

export interface ReportFile {
  body: Buffer;
  /** e.g. 事后报告-HIS 数据库服务中断-20260302.docx */
  filename: string;
  contentType: string;
}

export class PostIncidentReports {
  readonly review: ReviewService;

  constructor(private readonly d: PostIncidentDeps) {
    this.review = new ReviewService({ db: d.db, clock: d.clock, bus: d.bus, timezone: d.timezone });
  }

  facts(incidentId: string): Promise<ReportFacts> {
    return collectFacts({ plan: this.d.plan, clock: this.d.clock, timezone: this.d.timezone, incidents: this.d.incidents, downtime: this.d.downtime, review: this.review }, incidentId);
  }

  async html(incidentId: string, lang: ReportLang): Promise<string> {
    return renderHtml(reportDocument(await this.facts(incidentId), this.d.plan, lang));
  }

  async docx(incidentId: string, lang: ReportLang): Promise<ReportFile> {
    const facts = await this.facts(incidentId);
    return {
      body: await renderDocx(reportDocument(facts, this.d.plan, lang)),
      filename: fileName(facts, lang, 'docx'),
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    };
  }

  async pdf(incidentId: string, lang: ReportLang): Promise<ReportFile> {
    const facts = await this.facts(incidentId);
    return { body: await this.d.pdf.print(renderHtml(reportDocument(facts, this.d.plan, lang))), filename: fileName(facts, lang, 'pdf'), contentType: 'application/pdf' };
  }
}

function fileName(facts: ReportFacts, lang: ReportLang, ext: string): string {
  const day = localDay(facts.incident.detectedAt, facts.timezone).replace(/-/g, '');
  // no path separators, reserved characters or control characters in a file name
  const safe = [...facts.incident.title].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? ' ' : c)).join('');
  const title = safe.replace(/\s+/g, ' ').trim().slice(0, 60) || facts.incident.id;
  return `${lang === 'en' ? 'post-incident-report' : '事后报告'}-${title}-${day}.${ext}`;
}
