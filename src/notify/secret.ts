/**
 * The platform secret that signs acknowledgement links (and may sign sessions): LIFELINE_SECRET when set,
 * else a random secret generated once into `<data dir>/secret` (mode 0600) and read from there afterwards,
 * so links survive restarts. Never a built-in default. On PostgreSQL every node shares one secret, kept in the
 * database (`sharedPlatformSecret`), so a link sent by one node is accepted by another.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '../storage/private-files.js';
import { sharedSecret } from '../storage/cluster.js';
import type { Db } from '../storage/index.js';

export const SECRET_FILE = 'secret';

export function platformSecret(config: { secret?: string; dataDir: string }): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, SECRET_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const secret = randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim(); // another process won the race
    throw err;
  }
}

/**
 * The secret of every node on one PostgreSQL database: LIFELINE_SECRET when set, else the database's
 * (`cluster_secrets`), created once by the first node to start; that node's existing `<data dir>/secret`, if it
 * has one, becomes the shared secret, so the links it already sent stay valid.
 */
export async function sharedPlatformSecret(db: Db, config: { secret?: string; dataDir: string }): Promise<string> {
  if (config.secret) return config.secret;
  return sharedSecret(db, 'platform', () => {
    try {
      return fs.readFileSync(path.join(config.dataDir, SECRET_FILE), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  });
}
