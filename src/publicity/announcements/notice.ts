/**
 * The printable on-site notice: an HTML page in large type with a QR code of the status page, printed to PDF (A4 or
 * A3) by Debian's Chromium through playwright-core. One browser, launched on the first notice and closed at stop.
 * Without Chromium the notice is refused with 503 PDF_UNAVAILABLE (problem+json), never a broken file.
 */
import fs from 'node:fs';
import QRCode from 'qrcode';
import type { Browser } from 'playwright-core';
import { UnavailableError } from '../../shared/errors.js';
import type { PublicText } from '../status/types.js';

export const CHROMIUM = '/usr/bin/chromium';
export const NOTICE_SIZES = ['A4', 'A3'] as const;
export type NoticeSize = (typeof NOTICE_SIZES)[number];

export interface NoticeContent {
  title: PublicText;
  body: PublicText;
  hospital: string;
  statusUrl: string;
  /** e.g. 发布时间 3月2日 09:30; a draft says so in large letters instead. */
  footer: string;
  draft: boolean;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function noticeHtml(c: NoticeContent, size: NoticeSize): Promise<string> {
  const qr = await QRCode.toDataURL(c.statusUrl, { margin: 1, width: 600, errorCorrectionLevel: 'M' });
  const scale = size === 'A3' ? 1.41 : 1;
  const pt = (n: number) => `${Math.round(n * scale)}pt`;
  const paragraphs = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `<p>${escapeHtml(l)}</p>`)
      .join('');
  const en = c.title.en && c.body.en ? `<section class="en"><h2>${escapeHtml(c.title.en)}</h2>${paragraphs(c.body.en)}</section>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(c.title.zh)}</title><style>
@page { size: ${size}; margin: 16mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", sans-serif; color: #000; margin: 0; }
.hospital { font-size: ${pt(18)}; text-align: center; letter-spacing: 0.2em; }
h1 { font-size: ${pt(38)}; text-align: center; margin: ${pt(14)} 0 ${pt(18)}; line-height: 1.25; }
.body p { font-size: ${pt(20)}; line-height: 1.6; margin: 0 0 ${pt(6)}; }
.en h2 { font-size: ${pt(16)}; margin: ${pt(16)} 0 ${pt(6)}; }
.en p { font-size: ${pt(12)}; line-height: 1.5; margin: 0 0 ${pt(4)}; }
.qr { display: flex; align-items: center; gap: ${pt(16)}; margin-top: ${pt(18)}; border-top: 2px solid #000; padding-top: ${pt(12)}; }
.qr img { width: ${Math.round(45 * scale)}mm; height: ${Math.round(45 * scale)}mm; }
.qr .url { font-size: ${pt(14)}; word-break: break-all; }
.footer { font-size: ${pt(12)}; margin-top: ${pt(10)}; text-align: right; }
.draft { font-size: ${pt(28)}; color: #b00; text-align: center; border: 3px dashed #b00; padding: 4pt; }
</style></head><body>
${c.draft ? '<div class="draft">草稿 · 未批准，请勿张贴 / DRAFT — not approved</div>' : ''}
<div class="hospital">${escapeHtml(c.hospital)}</div>
<h1>${escapeHtml(c.title.zh)}</h1>
<div class="body">${paragraphs(c.body.zh)}</div>
${en}
<div class="qr"><img src="${qr}" alt="QR"><div><div class="url">扫码查看最新情况 / Scan for the latest news<br>${escapeHtml(c.statusUrl)}</div></div></div>
<div class="footer">${escapeHtml(c.footer)}</div>
</body></html>`;
}

/** Prints notices to PDF with one lazily launched Chromium. */
export class NoticePrinter {
  private browser: Promise<Browser> | null = null;
  private closed = false;

  constructor(private readonly executablePath = CHROMIUM) {}

  private launch(): Promise<Browser> {
    if (!fs.existsSync(this.executablePath)) throw new UnavailableError(`Chromium is not installed (${this.executablePath}): the on-site notice cannot be printed to PDF here`, 'PDF_UNAVAILABLE');
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: this.executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] }),
    );
    this.browser.catch(() => {
      this.browser = null;
    });
    return this.browser;
  }

  /** Prints a notice's HTML (its @page rule names the size). */
  async print(html: string, size: NoticeSize): Promise<Buffer> {
    if (this.closed) throw new UnavailableError('the server is stopping', 'PDF_UNAVAILABLE');
    let browser: Browser;
    try {
      browser = await this.launch();
    } catch (err) {
      if ((err as { code?: string }).code === 'PDF_UNAVAILABLE') throw err;
      throw new UnavailableError(`Chromium could not start: ${(err as Error).message.split('\n')[0]}`, 'PDF_UNAVAILABLE');
    }
    const page = await browser.newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: size, printBackground: true, preferCSSPageSize: true });
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  }
}
