/**
 * The key that seals the secrets of channels set up in the browser (AES-256-GCM), kept outside the database so that
 * a copy of the database alone reveals no credential: LIFELINE_CHANNEL_KEY (64 hex digits or 32 bytes in base64)
 * when set — every node of a PostgreSQL cluster needs the same one — else `<data dir>/channel-secrets.key`, 32 random
 * bytes created 0600 on first use. Each box is bound to its channel id (GCM additional data), so a box copied to
 * another channel's row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/index.js';
import { AppError } from '../shared/errors.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/private-files.js';

export const CHANNEL_KEY_FILE = 'channel-secrets.key';
const VERSION = 'v1';

export interface SecretBox {
  seal(plain: string, boundTo: string): string;
  open(sealed: string, boundTo: string): string;
}

/** The key, from LIFELINE_CHANNEL_KEY or the key file (created on first use). */
export function channelKey(options: { dataDir: string; env: Record<string, string | undefined> }): Buffer {
  const given = options.env.LIFELINE_CHANNEL_KEY?.trim();
  if (given) {
    const key = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.from(given, 'base64');
    if (key.length !== 32) throw new ConfigError([{ path: 'LIFELINE_CHANNEL_KEY', message: '32 bytes: 64 hex digits or base64' }]);
    return key;
  }
  const file = path.join(options.dataDir, CHANNEL_KEY_FILE);
  try {
    return readKeyFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(options.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file); // another process won the race
    throw err;
  }
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new ConfigError([{ path: file, message: 'not a channel key (64 hex digits)' }]);
  return key;
}

/** A box on a key; `key` is read on first use (a platform with no browser channels never creates the file). */
export function secretBox(key: () => Buffer): SecretBox {
  let cached: Buffer | undefined;
  const k = () => (cached ??= key());
  return {
    seal(plain, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k(), iv);
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, boundTo) {
      const [version, data] = sealed.split(':', 2);
      if (version !== VERSION || !data) throw new AppError('CHANNEL_SECRET_UNREADABLE', 500, `channel ${boundTo}: not a sealed secret`);
      const raw = Buffer.from(data, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k(), raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(boundTo, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new AppError('CHANNEL_SECRET_UNREADABLE', 500, `channel ${boundTo}: its secrets do not open with this key (LIFELINE_CHANNEL_KEY or ${CHANNEL_KEY_FILE} changed?)`);
      }
    },
  };
}
