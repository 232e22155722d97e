import fs from 'node:fs';

/**
 * Lifeline's data stays its own: the data folder is 0700 and the files in it (the SQLite database and its WAL and
 * shared-memory files, the intake journal, the platform secret) are 0600, whatever the umask. A folder or file
 * that already exists is brought to those modes when Lifeline opens it.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and its parents) 0700; an existing one is chmod'ed to 0700. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes an SQLite file 0600 before SQLite opens it (created empty if absent: SQLite then gives its -wal and -shm
 * files the database's mode), and brings an existing one and its companions to 0600.
 */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(f, PRIVATE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
