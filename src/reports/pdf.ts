/**
 * Printing HTML to PDF with the system's headless Chromium (Debian's `chromium`, never a downloaded one), for any
 * report kind. One browser is launched on the first print and kept (a print then takes a page, not a process),
 * and closed when Lifeline stops. Without Chromium a print is refused 503 PDF_UNAVAILABLE.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { UnavailableError } from '../shared/errors.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'];

/** The system Chromium: LIFELINE_CHROMIUM, else the usual install paths. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.LIFELINE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
}

export interface PdfOptions {
  /** Page size when the page's own @page rule names none. */
  format?: 'A4' | 'A5';
  landscape?: boolean;
}

export interface PdfPrinter {
  /** Prints a complete HTML document; resolves with the PDF's bytes. */
  print(html: string, options?: PdfOptions): Promise<Buffer>;
  /** Closes the browser (if one was launched). Safe to call twice; a later print launches a new one. */
  close(): Promise<void>;
}

const PRINT_TIMEOUT_MS = 60_000;

export function pdfPrinter(options: { executablePath?: string } = {}): PdfPrinter {
  let launching: Promise<Browser> | null = null;
  const browser = (): Promise<Browser> => {
    if (!launching) {
      const executablePath = options.executablePath ?? chromiumPath();
      if (!executablePath || !fs.existsSync(executablePath)) throw new UnavailableError("no Chromium to print PDFs with (install Debian's chromium, or set LIFELINE_CHROMIUM)", 'PDF_UNAVAILABLE');
      // playwright-core is loaded on the first print: every CLI command and server start would pay for it otherwise
      launching = import('playwright-core')
        .then(({ chromium }) => chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true }))
        .then((b) => {
          b.on('disconnected', () => {
            if (launching && current === b) launching = null; // crashed or closed: the next print launches again
          });
          current = b;
          return b;
        });
      launching.catch(() => {
        launching = null;
      });
    }
    return launching;
  };
  let current: Browser | null = null;

  // One page, reused: prints run one at a time (opening a page costs more than printing a short report).
  let page: Page | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const printOnce = async (html: string, opts: PdfOptions): Promise<Buffer> => {
    let b: Browser;
    try {
      b = await browser();
    } catch (err) {
      if (err instanceof UnavailableError) throw err;
      throw new UnavailableError(`Chromium could not start: ${(err as Error).message.split('\n')[0]}`, 'PDF_UNAVAILABLE');
    }
    if (!page || page.isClosed() || page.context().browser() !== b) {
      const context = await b.newContext({ javaScriptEnabled: false, offline: true });
      page = await context.newPage();
      page.setDefaultTimeout(PRINT_TIMEOUT_MS);
    }
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: opts.format ?? 'A4', landscape: opts.landscape ?? false, printBackground: true, preferCSSPageSize: true });
    } catch (err) {
      await page
        .context()
        .close()
        .catch(() => undefined); // a fresh page for the next print
      page = null;
      throw err;
    }
  };

  return {
    print(html, opts = {}) {
      const run = queue.then(() => printOnce(html, opts));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      const pending = launching;
      launching = null;
      current = null;
      page = null;
      if (pending) await (await pending.catch(() => null))?.close().catch(() => undefined);
    },
  };
}
