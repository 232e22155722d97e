#!/usr/bin/env node
/*
 * Runs a Zabbix webhook script the way the Zabbix server does, for tests and for trying the media
 * type without a Zabbix server (like Zabbix's own `zabbix_js -s script.js -p '<json>'`):
 *   node zabbix-js.mjs --script lifeline.js --param '{"url":"http://…","key":"…","event_id":"1",…}'
 * The script body runs as `function (value) { … }` in a fresh V8 context that has only the
 * ECMAScript built-ins plus Zabbix's `HttpRequest` and `Zabbix.log`. HttpRequest is synchronous, as in
 * Zabbix; it is implemented with curl. Prints the returned value; on a throw prints it and exits 1.
 * ES5-only syntax is checked separately (acorn, and Duktape itself when `duk` is installed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import vm from 'node:vm';

const MAX_HTTP_REQUESTS = 10; // Zabbix allows at most 10 HttpRequest objects per script run

function makeHttpRequest(timeoutMs) {
  let created = 0;
  return class HttpRequest {
    constructor() {
      created += 1;
      if (created > MAX_HTTP_REQUESTS) throw new Error('maximum count of HttpRequest objects was reached');
      this.headers = [];
      this.proxy = '';
      this.auth = null;
      this.status = 0;
      this.responseHeaders = {};
    }
    addHeader(header) {
      this.headers.push(String(header));
    }
    clearHeader() {
      this.headers = [];
    }
    setProxy(proxy) {
      this.proxy = String(proxy);
    }
    setHttpAuth(_mask, user, password) {
      this.auth = `${user}:${password ?? ''}`;
    }
    getStatus() {
      return this.status;
    }
    getHeaders() {
      return this.responseHeaders;
    }
    get(url, data) {
      return this.customRequest('GET', url, data);
    }
    post(url, data) {
      return this.customRequest('POST', url, data);
    }
    put(url, data) {
      return this.customRequest('PUT', url, data);
    }
    patch(url, data) {
      return this.customRequest('PATCH', url, data);
    }
    delete(url, data) {
      return this.customRequest('DELETE', url, data);
    }
    head(url) {
      return this.customRequest('HEAD', url);
    }
    customRequest(method, url, data) {
      const dir = mkdtempSync(path.join(tmpdir(), 'zabbix-js-'));
      const headerFile = path.join(dir, 'headers');
      const args = ['-sS', '-X', method, '-D', headerFile, '-w', '\n%{http_code}', '--max-time', String(timeoutMs / 1000)];
      for (const header of this.headers) args.push('-H', header);
      if (this.proxy) args.push('--proxy', this.proxy);
      if (this.auth) args.push('--user', this.auth);
      if (data !== undefined) args.push('--data-binary', '@-');
      args.push(String(url));
      try {
        const out = execFileSync('curl', args, { input: data === undefined ? '' : String(data), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
        const cut = out.lastIndexOf('\n');
        this.status = Number(out.slice(cut + 1));
        this.responseHeaders = parseHeaders(readFileSync(headerFile, 'utf8'));
        return out.slice(0, cut);
      } catch (error) {
        throw new Error(`cannot get URL: ${String(error.stderr ?? error.message).trim()}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}

function parseHeaders(text) {
  const headers = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Runs `script` with parameter JSON `param`; returns the script's result or throws what it threw. */
export function runZabbixScript(script, param, { timeoutMs = 10_000, log = () => {} } = {}) {
  const context = vm.createContext({
    HttpRequest: makeHttpRequest(timeoutMs),
    Zabbix: { log: (level, message) => log(level, String(message)) },
  });
  const wrapped = `(function (value) {\n${script}\n})`;
  const fn = vm.runInContext(wrapped, context, { filename: 'webhook.js', lineOffset: -1, timeout: timeoutMs });
  return String(fn(String(param)));
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  const { values } = parseArgs({
    options: { script: { type: 'string', short: 's' }, param: { type: 'string', short: 'p' }, timeout: { type: 'string', short: 't' } },
  });
  if (!values.script || values.param === undefined) {
    process.stderr.write('usage: zabbix-js.mjs --script FILE --param JSON [--timeout SECONDS]\n');
    process.exit(2);
  }
  const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : 10_000;
  try {
    const result = runZabbixScript(readFileSync(values.script, 'utf8'), values.param, {
      timeoutMs,
      log: (level, message) => process.stderr.write(`[log ${level}] ${message}\n`),
    });
    process.stdout.write(`${result}\n`);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
