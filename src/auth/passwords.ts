import { hash, verify } from '@node-rs/argon2';
import { ValidationError } from '../shared/errors.js';
import { DEFAULT_POLICY } from './policy.js';

/** argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane); the PHC string carries them for verification. */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** A hash of nothing anyone knows: verified against when the user name is unknown, so both take as long. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(phc: string | null, password: string): Promise<boolean> {
  if (phc === null) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** The rules for a new password: long enough, not the user name; anything else (spaces, Chinese) is fine. */
export function checkPassword(password: string, username: string, minLength = DEFAULT_POLICY.minPasswordLength): void {
  const problems: string[] = [];
  if ([...password].length < minLength) problems.push(`at least ${minLength} characters`);
  if ([...password].length > 256) problems.push('at most 256 characters');
  if (password.trim().toLowerCase() === username.toLowerCase()) problems.push('not the user name');
  if (problems.length) throw new ValidationError(`the password must be ${problems.join(' and ')}`, [{ path: 'password', message: problems.join('; ') }], 'PASSWORD_WEAK').with({ min: minLength });
}
