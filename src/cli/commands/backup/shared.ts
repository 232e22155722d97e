import type { Config } from '../../../config/index.js';
import { journalFileFor } from '../../../intake/journal/store.js';
import { BackupError, type DataFiles } from '../../../storage/backup.js';
import { CliError } from '../../command.js';

/** The files of the configured data dir: the SQLite database and its intake journal, or PostgreSQL. */
export function dataFiles(config: Config): DataFiles {
  return { dataDir: config.dataDir, db: config.db, journal: config.db.kind === 'sqlite' ? journalFileFor(config.db.file) : undefined };
}

/** A BackupError (which file, why) becomes the command's message. */
export async function reporting<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(err.message);
    throw err;
  }
}

export const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1 << 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1 << 20)).toFixed(1)} MB`);

/** The tables worth naming in a summary, when present. */
export const KEY_TABLES = ['incidents', 'obligations', 'timeline', 'downtime_numbers', 'downtime_counters', 'downtime_events', 'auth_signins', 'signal_batches'];
