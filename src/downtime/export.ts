import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { KitFile } from './kit.js';

const run = promisify(execFile);

/** Writes the kit's files under `dir` (created if missing). Returns the paths written. */
export function writeKit(dir: string, files: KitFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.body);
    written.push(target);
  }
  return written;
}

/** The system Chromium (Debian's `chromium`): LIFELINE_CHROMIUM, else the usual install paths. Never downloads one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.LIFELINE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** Prints an HTML file to PDF with headless Chromium (`--print-to-pdf`), honouring the page's @page sizes. */
export async function printToPdf(chromium: string, htmlFile: string, pdfFile: string): Promise<void> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-pdf-'));
  try {
    await run(chromium, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href], { timeout: 120_000 });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const head = fs.existsSync(pdfFile) ? fs.readFileSync(pdfFile).subarray(0, 5).toString() : '';
  if (head !== '%PDF-') throw new Error(`Chromium wrote no PDF to ${pdfFile}`);
}

/**
 * A `Content-Disposition: attachment` header for any file name (RFC 6266): an ASCII fallback `filename="…"` (other
 * characters as `_`, no quote or backslash) and the exact name as `filename*=UTF-8''…` (RFC 5987 percent-encoding).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
