import { createHash } from 'node:crypto';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

function fnvAdd(hash: bigint, bytes: Uint8Array): bigint {
  let h = hash;
  for (const byte of bytes) {
    h ^= BigInt(byte);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h;
}

/**
 * The fingerprint Alertmanager gives an alert: FNV-1a 64 over the label names (sorted byte-wise) and
 * values, each followed by the 0xff separator, printed as 16 hex digits (prometheus/common
 * `LabelSet.Fingerprint`). Identical to what Alertmanager would send for the same labels.
 */
export function labelFingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels)
    .map((name) => Buffer.from(name, 'utf8'))
    .sort(Buffer.compare);
  let hash = FNV64_OFFSET;
  for (const name of names) {
    hash = fnvAdd(hash, name);
    hash = fnvAdd(hash, Uint8Array.of(SEPARATOR));
    hash = fnvAdd(hash, Buffer.from(labels[name.toString('utf8')] ?? '', 'utf8'));
    hash = fnvAdd(hash, Uint8Array.of(SEPARATOR));
  }
  return hash.toString(16).padStart(16, '0');
}

/** JSON with object keys sorted at every level, so equal values always serialise the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(obj)
          .sort()
          .map((k) => [k, obj[k]]),
      );
    }
    return v;
  });
}

/** A short stable hash (32 hex digits of SHA-256) of the given parts. */
export function stableHash(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex').slice(0, 32);
}
