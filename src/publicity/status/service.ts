/**
 * The status page's parts, built together: the in-memory page (StatusPage), the webhook push, patient feedback
 * and SMS subscriptions; and the static export (`lifeline status export DIR`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EventBus } from '../../events/bus.js';
import type { IncidentQueries } from '../../incidents/view.js';
import type { Logger } from '../../log/logger.js';
import type { Plan } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import type { Db } from '../../storage/index.js';
import { DEFAULT_FEEDBACK_LIMITS, FeedbackService, type FeedbackLimits } from './feedback.js';
import { StatusPage } from './page.js';
import { StatusPush } from './push.js';
import type { SendSms } from './subscribers.js';
import { SmsReplies } from './sms-replies.js';
import { SubscriptionService } from './subscriptions.js';
import type { PublicNotice } from './types.js';

export interface StatusServiceDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  timezone: string;
  incidents: IncidentQueries;
  /** The published announcements (src/publicity/announcements); `async () => []` until they exist. */
  published: () => Promise<PublicNotice[]>;
  sendSms: SendSms;
  /** Where forms of an exported copy post to (the server's public URL). */
  publicUrl: string;
  /** The webhook that gets the JSON on every change (config: LIFELINE_STATUS_PUSH_URL / _SECRET). */
  push?: { url: string; secret?: string } | null;
  /** Keys the SMS codes' HMAC (the platform secret); random per process when absent. */
  secret?: string;
  /** The key in the SMS reply addresses (from the platform secret; read when first needed). */
  smsReplyKey: () => string;
  feedbackLimits?: FeedbackLimits;
}

export class StatusService {
  readonly page: StatusPage;
  readonly push: StatusPush | null;
  readonly feedback: FeedbackService;
  readonly subscriptions: SubscriptionService;
  readonly smsReplies: SmsReplies;

  constructor(private readonly d: StatusServiceDeps) {
    const openIncidents = () => d.incidents.list({ state: 'open', limit: 500, drills: 'exclude' }); // a drill tells patients nothing
    this.push = d.push?.url ? new StatusPush({ url: d.push.url, secret: d.push.secret, now: () => d.clock.now(), log: d.log }) : null;
    const push = this.push;
    this.page = new StatusPage({
      plan: d.plan,
      clock: d.clock,
      log: d.log,
      bus: d.bus,
      timezone: d.timezone,
      openIncidents,
      published: d.published,
      onChange: push ? (json) => push.push(json) : undefined,
    });
    this.feedback = new FeedbackService({ db: d.db, plan: d.plan, clock: d.clock, openIncidents, limits: d.feedbackLimits ?? DEFAULT_FEEDBACK_LIMITS });
    this.subscriptions = new SubscriptionService({ db: d.db, plan: d.plan, clock: d.clock, sendSms: d.sendSms, secret: d.secret });
    this.smsReplies = new SmsReplies({ subscriptions: this.subscriptions, key: d.smsReplyKey, log: d.log });
  }

  /** Builds the first page (at start). */
  async start(): Promise<void> {
    await this.page.start();
  }

  async stop(): Promise<void> {
    await this.page.stop();
    this.push?.stop();
  }

  /**
   * Writes the page as static files for the hospital's website or CDN: `index.html` (zh-CN), `en/index.html`,
   * `status.json`, linked relatively; the forms post to the public URL. Returns the files written.
   */
  async exportTo(dir: string): Promise<string[]> {
    await this.page.refresh();
    const snapshot = await this.page.current();
    const api = this.d.publicUrl.replace(/\/+$/, '');
    const files: [string, string][] = [
      ['index.html', this.page.render(snapshot.doc, 'zh', { zh: 'index.html', en: 'en/index.html', json: 'status.json', api })],
      [path.join('en', 'index.html'), this.page.render(snapshot.doc, 'en', { zh: '../index.html', en: 'index.html', json: '../status.json', api })],
      ['status.json', `${JSON.stringify(snapshot.doc, null, 2)}\n`],
    ];
    const root = path.resolve(dir);
    const written: string[] = [];
    for (const [name, body] of files) {
      const file = path.join(root, name);
      try {
        makeDirs(path.dirname(file));
        const tmp = `${file}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, body);
        fs.renameSync(tmp, file); // a web server never serves half a file
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new AppError('EXPORT_NOT_WRITABLE', 400, `cannot write ${file}: ${e.message}`, [{ path: file, message: `not writable (${e.code ?? e.message})` }]);
      }
      written.push(file);
    }
    return written;
  }
}

/** mkdir -p, one level at a time (Node's recursive mkdir can spin on some special file systems, e.g. /proc). */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing) fs.mkdirSync(m);
}
