/**
 * `lifeline backup` and `lifeline restore` (src/cli/commands/backup/): a consistent copy of everything a node
 * keeps, taken while the server runs, and putting it back (docs/deployment.md, "Backups").
 *
 * - SQLite: SQLite's online backup API copies the main database, then the intake journal (in that order: every
 *   signal the copied database has processed is in the copied journal; later ones are processed after a
 *   restore). The copies are switched to rollback-journal mode so that each is one self-contained file.
 * - PostgreSQL: `pg_dump --format=custom` of Lifeline's schema, in the snapshot the row counts are read in.
 * - Both: the data dir's other top-level files (`secret`, `notify.yaml`, …) and `manifest.json` (written last:
 *   a folder without it is an unfinished backup) with each file's sha256 and every table's row count.
 */
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config/index.js';
import { migrations as knownMigrations } from './migrations/index.js';

export const MANIFEST = 'manifest.json';
export const PG_DUMP_FILE = 'lifeline.pgdump';
const FORMAT = 'lifeline-backup';
const FORMAT_VERSION = 1;

export type BackupRole = 'database' | 'journal' | 'dump' | 'secret' | 'config';

export interface BackupFile {
  name: string;
  role: BackupRole;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  lifelineVersion: string;
  database: 'sqlite' | 'postgres';
  /** Migrations applied in the copied database, in order. */
  migrations: string[];
  files: BackupFile[];
  /** Row count of every table, per database file (SQLite) or for the dumped schema (PostgreSQL: key `schema`). */
  rows: Record<string, Record<string, number>>;
  postgres?: { schema: string; serverVersion: string; pgDump: string };
}

/** A backup or restore that cannot go on: which file, and why. */
export class BackupError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export function lifelineVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The SQLite files of a database: the file and what SQLite keeps beside it. */
const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/** Where the files live: the main SQLite file and its intake journal (absent on PostgreSQL). */
export interface DataFiles {
  dataDir: string;
  db: Config['db'];
  journal?: string;
}

/** The data dir's other top-level files (secret, notify.yaml, plan overrides…): not the databases, not folders. */
function configFiles(files: DataFiles): string[] {
  if (!fs.existsSync(files.dataDir)) return [];
  const skip = new Set([...(files.db.kind === 'sqlite' ? companions(files.db.file) : []), ...(files.journal ? companions(files.journal) : [])].map((f) => path.resolve(f)));
  return fs
    .readdirSync(files.dataDir, { withFileTypes: true })
    .filter((e) => e.isFile() && !skip.has(path.resolve(files.dataDir, e.name)))
    .map((e) => e.name)
    .sort();
}

function describeFile(dir: string, name: string, role: BackupRole): BackupFile {
  const file = path.join(dir, name);
  return { name, role, bytes: fs.statSync(file).size, sha256: sha256File(file) };
}

function sqliteRowCounts(db: SQLite.Database): Record<string, number> {
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[];
  return Object.fromEntries(tables.map((t) => [t.name, Number((db.prepare(`select count(*) as n from "${t.name.replaceAll('"', '""')}"`).get() as { n: number }).n)]));
}

/** Copies a live SQLite file with the online backup API into `dest`, then makes the copy self-contained and checks it. */
async function copySqlite(source: string, dest: string): Promise<{ rows: Record<string, number>; migrations: string[] }> {
  let src: SQLite.Database;
  try {
    src = new SQLite(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (err) {
    throw new BackupError(source, `cannot open: ${(err as Error).message}`);
  }
  try {
    // a few large steps: the copy restarts whenever another connection writes between two steps
    await src.backup(dest, { progress: () => 10_000 });
  } catch (err) {
    throw new BackupError(source, `online backup failed: ${(err as Error).message}`);
  } finally {
    src.close();
  }
  const copy = new SQLite(dest);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(dest, `the copy fails SQLite's quick_check: ${String(check)}`);
    const rows = sqliteRowCounts(copy);
    const migrations = 'lifeline_migrations' in rows ? (copy.prepare('select name from lifeline_migrations order by name').all() as { name: string }[]).map((r) => r.name) : [];
    return { rows, migrations };
  } finally {
    copy.close();
  }
}

/** Makes DIR (0700) for a backup; it must not exist yet or be empty. */
function prepareTarget(dir: string): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new BackupError(dir, 'exists and is not a folder');
    if (fs.readdirSync(dir).length) throw new BackupError(dir, 'is not empty: give each backup a new folder (e.g. one named after the date)');
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function writeManifest(dir: string, manifest: Manifest): void {
  const tmp = path.join(dir, `${MANIFEST}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, MANIFEST));
}

function copyConfigFiles(files: DataFiles, dir: string): BackupFile[] {
  return configFiles(files).map((name) => {
    const from = path.join(files.dataDir, name);
    fs.copyFileSync(from, path.join(dir, name));
    fs.chmodSync(path.join(dir, name), fs.statSync(from).mode & 0o777);
    return describeFile(dir, name, name === 'secret' ? 'secret' : 'config');
  });
}

/** Takes a backup into `dir`; on failure removes what it wrote there. */
export async function backup(files: DataFiles, dir: string): Promise<Manifest> {
  prepareTarget(dir);
  try {
    return files.db.kind === 'sqlite' ? await backupSqlite(files, files.db.file, dir) : await backupPostgres(files, files.db.url, dir);
  } catch (err) {
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    throw err;
  }
}

async function backupSqlite(files: DataFiles, dbFile: string, dir: string): Promise<Manifest> {
  if (!fs.existsSync(dbFile)) throw new BackupError(dbFile, 'no database here: nothing to back up (is LIFELINE_DATA_DIR right?)');
  const out: BackupFile[] = [];
  const rows: Manifest['rows'] = {};
  // the database first, then the journal: the copied journal holds every signal the copied database processed
  const main = await copySqlite(dbFile, path.join(dir, path.basename(dbFile)));
  rows[path.basename(dbFile)] = main.rows;
  out.push(describeFile(dir, path.basename(dbFile), 'database'));
  if (files.journal && fs.existsSync(files.journal)) {
    const journal = await copySqlite(files.journal, path.join(dir, path.basename(files.journal)));
    rows[path.basename(files.journal)] = journal.rows;
    out.push(describeFile(dir, path.basename(files.journal), 'journal'));
  }
  out.push(...copyConfigFiles(files, dir));
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    lifelineVersion: lifelineVersion(),
    database: 'sqlite',
    migrations: main.migrations,
    files: out,
    rows,
  };
  writeManifest(dir, manifest);
  return manifest;
}

/** libpq's connection for a child process: the URL without its password, which goes in PGPASSWORD (not in `ps`). */
function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

/** Fails with how to install a missing PostgreSQL client tool. */
export function requirePgTool(tool: 'pg_dump' | 'pg_restore'): string {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new BackupError(
      tool,
      `not found on PATH (${r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`}): install the PostgreSQL client tools of the server's major version or newer (Debian/Ubuntu: apt-get install postgresql-client; RHEL: dnf install postgresql)`,
    );
  }
  return r.stdout.trim();
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => reject(new BackupError(tool, err.message)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(tool, `exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

async function pgRowCounts(client: pg.Client, schema: string): Promise<Record<string, number>> {
  const tables = await client.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1", [schema]);
  const rows: Record<string, number> = {};
  for (const { t } of tables.rows) rows[t] = Number((await client.query<{ n: string }>(`select count(*) as n from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(t)}`)).rows[0]!.n);
  return rows;
}

/** A connection to Lifeline's PostgreSQL database; a failure names the setting to check. */
async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError('LIFELINE_DATABASE_URL', `cannot connect to PostgreSQL: ${(err as Error).message}`);
  }
  return client;
}

/** Dumps the schema Lifeline uses (the connection's current schema) into `file`; returns what the manifest says of it. */
export async function pgDump(url: string, file: string): Promise<{ schema: string; serverVersion: string; pgDump: string; rows: Record<string, number>; migrations: string[] }> {
  const version = requirePgTool('pg_dump');
  const client = await connectPg(url);
  try {
    // one snapshot for the counts and the dump: the manifest describes exactly what was dumped
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const schema = (await client.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
    const serverVersion = (await client.query<{ v: string }>('show server_version')).rows[0]!.v;
    const rows = await pgRowCounts(client, schema);
    const migrations =
      'lifeline_migrations' in rows ? (await client.query<{ name: string }>(`select name from ${client.escapeIdentifier(schema)}.lifeline_migrations order by name`)).rows.map((r) => r.name) : [];
    const conn = pgConnection(url);
    await run('pg_dump', ['--format=custom', `--schema=${schema}`, `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${conn.dbname}`], conn.env);
    await client.query('commit');
    return { schema, serverVersion, pgDump: version, rows, migrations };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function backupPostgres(files: DataFiles, url: string, dir: string): Promise<Manifest> {
  const dump = await pgDump(url, path.join(dir, PG_DUMP_FILE));
  const out = [describeFile(dir, PG_DUMP_FILE, 'dump'), ...copyConfigFiles(files, dir)];
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    lifelineVersion: lifelineVersion(),
    database: 'postgres',
    migrations: dump.migrations,
    files: out,
    rows: { schema: dump.rows },
    postgres: { schema: dump.schema, serverVersion: dump.serverVersion, pgDump: dump.pgDump },
  };
  writeManifest(dir, manifest);
  return manifest;
}

/** Reads a backup's manifest and checks every file against it (presence, size, sha256) and against this Lifeline. */
export function verifyBackup(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new BackupError(file, 'missing: not a Lifeline backup, or an unfinished one');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new BackupError(file, `unreadable: ${(err as Error).message}`);
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.files)) throw new BackupError(file, 'not a Lifeline backup manifest');
  if (manifest.formatVersion > FORMAT_VERSION)
    throw new BackupError(file, `backup format ${manifest.formatVersion} is newer than this Lifeline reads (${FORMAT_VERSION}): restore with Lifeline ${manifest.lifelineVersion} or later`);
  const unknown = manifest.migrations.filter((m) => !(m in knownMigrations));
  if (unknown.length)
    throw new BackupError(file, `the backup's database has migrations this Lifeline does not know (${unknown.join(', ')}): restore with Lifeline ${manifest.lifelineVersion} or later`);
  for (const f of manifest.files) {
    if (f.name !== path.basename(f.name)) throw new BackupError(file, `file name ${JSON.stringify(f.name)} is not a plain name`);
    const p = path.join(dir, f.name);
    if (!fs.existsSync(p)) throw new BackupError(p, 'missing from the backup');
    const bytes = fs.statSync(p).size;
    if (bytes !== f.bytes) throw new BackupError(p, `size ${bytes} bytes, the manifest says ${f.bytes}: the file was changed or truncated`);
    const sha = sha256File(p);
    if (sha !== f.sha256) throw new BackupError(p, `sha256 ${sha} does not match the manifest (${f.sha256}): the file was changed or damaged`);
  }
  return manifest;
}

/** Whether a process has this SQLite file open (it then holds a lock on it): a running server or CLI command. */
export function sqliteInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let probe: SQLite.Database | undefined;
  try {
    probe = new SQLite(file, { fileMustExist: true, timeout: 0 });
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('begin exclusive');
    probe.exec('commit');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY' || /locked|busy/i.test((err as Error).message)) return true;
    throw new BackupError(file, `cannot open: ${(err as Error).message}`);
  } finally {
    probe?.close();
  }
}

/** PostgreSQL: the cluster nodes that heartbeated in the last few seconds, if the schema has cluster mode's table. */
async function livePgNodes(url: string): Promise<string[]> {
  const client = await connectPg(url);
  try {
    const has = await client.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'cluster_nodes'");
    if (!has.rowCount) return [];
    const nodes = await client.query<{ host: string; pid: number }>('select host, pid from cluster_nodes where seen_at > $1', [Date.now() - 10_000]);
    return nodes.rows.map((n) => `${n.host} pid ${n.pid}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether a Lifeline server answers /healthz at the configured address. */
async function serverAnswers(server: Config['server']): Promise<string | null> {
  const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/healthz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1500) });
    const body = (await res.json().catch(() => null)) as { database?: unknown } | null;
    return body && typeof body === 'object' && 'database' in body ? url : null;
  } catch {
    return null; // nothing listens there (or not Lifeline)
  }
}

/**
 * Refuses while Lifeline runs on these files. SQLite: a process that has the database or the journal open holds a
 * lock on it, so an exclusive lock is tried on each (catches a server on any port, and CLI commands). PostgreSQL:
 * live nodes in `cluster_nodes`. Both: a Lifeline answering /healthz at the configured host and port.
 */
export async function refuseIfRunning(files: DataFiles, server: Config['server']): Promise<void> {
  if (files.db.kind === 'sqlite') {
    for (const f of [files.db.file, files.journal].filter((x): x is string => Boolean(x))) {
      if (sqliteInUse(f)) throw new BackupError(f, 'in use by a running Lifeline (server or command): stop it first (systemctl stop lifeline)');
    }
  } else {
    const nodes = await livePgNodes(files.db.url);
    if (nodes.length) throw new BackupError('LIFELINE_DATABASE_URL', `Lifeline nodes are running on this database (${nodes.join(', ')}): stop every node first`);
  }
  const answering = await serverAnswers(server);
  if (answering) throw new BackupError(answering, 'a Lifeline server answers here: stop it first (systemctl stop lifeline)');
}

export interface RestoreResult {
  manifest: Manifest;
  restored: string[];
  /** Where the replaced files were kept, if any were replaced. */
  keptIn?: string;
}

const stamp = (d = new Date()) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** What is in the data dir now, apart from earlier pre-restore folders. */
function dataDirEntries(dataDir: string): string[] {
  return fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((n) => !n.startsWith('pre-restore-')) : [];
}

/**
 * Puts a verified backup back. The caller has checked that nothing runs on the files (refuseIfRunning). A data
 * dir with files in it is replaced only with `force`; the replaced files are moved to `<data dir>/pre-restore-<time>/`
 * (PostgreSQL: a pg_dump of the schema as it was is written there first).
 */
export async function restore(dir: string, files: DataFiles, options: { force: boolean }): Promise<RestoreResult> {
  const manifest = verifyBackup(dir);
  if (manifest.database !== files.db.kind) {
    throw new BackupError(
      path.join(dir, MANIFEST),
      `a ${manifest.database} backup cannot be restored onto ${files.db.kind === 'sqlite' ? 'SQLite (LIFELINE_DATABASE_URL is unset)' : 'PostgreSQL (LIFELINE_DATABASE_URL is set)'}`,
    );
  }
  const dataDir = files.dataDir;
  const target = (f: BackupFile) => {
    if (f.role === 'database' && files.db.kind === 'sqlite') return files.db.file;
    if (f.role === 'journal') {
      if (!files.journal) throw new BackupError(path.join(dir, f.name), 'a journal file, but this configuration keeps no journal file');
      return files.journal;
    }
    return path.join(dataDir, f.name);
  };
  const toCopy = manifest.files.filter((f) => f.role !== 'dump');
  // what is replaced: the files restored, and the SQLite files' companions (a stale -wal would be replayed onto the copy)
  const replaced = new Set<string>();
  for (const f of toCopy) for (const p of f.role === 'database' || f.role === 'journal' ? companions(target(f)) : [target(f)]) if (fs.existsSync(p)) replaced.add(p);
  if (files.db.kind === 'sqlite') for (const p of [...companions(files.db.file), ...(files.journal ? companions(files.journal) : [])]) if (fs.existsSync(p)) replaced.add(p);
  const pgHasData = files.db.kind === 'postgres' ? await pgSchemaHasTables(files.db.url) : false;
  const occupied = dataDirEntries(dataDir).length > 0 || pgHasData;
  if (occupied && !options.force) {
    throw new BackupError(
      pgHasData ? 'LIFELINE_DATABASE_URL' : dataDir,
      `${pgHasData ? 'the database already has Lifeline tables' : 'the data dir is not empty'}: restore into an empty one, or add --force to replace it (what is replaced is kept in ${path.join(dataDir, 'pre-restore-<time>')})`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let keptIn: string | undefined;
  if (replaced.size || pgHasData) {
    keptIn = path.join(dataDir, `pre-restore-${stamp()}`);
    fs.mkdirSync(keptIn, { mode: 0o700 });
  }
  if (files.db.kind === 'postgres') {
    requirePgTool('pg_restore');
    if (pgHasData && keptIn) await pgDump(files.db.url, path.join(keptIn, PG_DUMP_FILE));
    const dump = manifest.files.find((f) => f.role === 'dump');
    if (!dump) throw new BackupError(path.join(dir, MANIFEST), 'lists no pg_dump file');
    const conn = pgConnection(files.db.url);
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${conn.dbname}`, path.join(dir, dump.name)], conn.env);
  }
  for (const p of replaced) fs.renameSync(p, path.join(keptIn!, path.basename(p)));
  const restored: string[] = [];
  for (const f of toCopy) {
    const to = target(f);
    const tmp = `${to}.restoring`;
    fs.copyFileSync(path.join(dir, f.name), tmp);
    fs.chmodSync(tmp, f.role === 'config' ? fs.statSync(path.join(dir, f.name)).mode & 0o777 : 0o600);
    fs.renameSync(tmp, to);
    restored.push(to);
  }
  if (files.db.kind === 'postgres') restored.unshift(`PostgreSQL schema ${manifest.postgres?.schema ?? '?'}`);
  return { manifest, restored, keptIn };
}

async function pgSchemaHasTables(url: string): Promise<boolean> {
  const client = await connectPg(url);
  try {
    const r = await client.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'lifeline_migrations'");
    return (r.rowCount ?? 0) > 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}
