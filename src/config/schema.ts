import { z } from 'zod';

const port = z.coerce.number({ invalid_type_error: 'must be a number' }).int().min(1).max(65535);

/** Every setting Lifeline reads, from environment variables. Documented in docs/configuration.md. */
export const configSchema = z.object({
  LIFELINE_HOST: z.string().min(1).default('127.0.0.1'),
  LIFELINE_PORT: port.default(8080),
  LIFELINE_DATA_DIR: z.string().min(1).default('./data'),
  LIFELINE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite database)')
    .optional(),
  LIFELINE_PLAN: z.string().min(1).optional(),
  LIFELINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LIFELINE_PUBLIC_URL: z.string().url().optional(),
  LIFELINE_TIMEZONE: z.string().min(1).default('Asia/Shanghai'),
  /** Runs the platform's clock ahead by this much (e.g. `10m`): for drills and crash-recovery tests only. */
  LIFELINE_CLOCK_OFFSET: z
    .string()
    .regex(/^(\d+[dhms])+$/, 'a duration like 10m or 1h30m')
    .optional(),
  LIFELINE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The status page's JSON is POSTed here on every change (src/publicity/status/push.ts). */
  LIFELINE_STATUS_PUSH_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  /** Signs each push: X-Lifeline-Signature = sha256=HMAC-SHA256(secret, timestamp + "." + body). */
  LIFELINE_STATUS_PUSH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  /** `publicUrlSet`: LIFELINE_PUBLIC_URL was given (else `publicUrl` is only guessed from host and port). */
  server: { host: string; port: number; publicUrl: string; publicUrlSet?: boolean };
  db: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  plan: { path?: string };
  log: { level: RawConfig['LIFELINE_LOG_LEVEL'] };
  timezone: string;
  clockOffsetMs: number;
  /** Signs acknowledgement links and sessions; generated into the data dir when unset. */
  secret?: string;
  /** Where the status page's JSON is pushed on every change (LIFELINE_STATUS_PUSH_URL / _SECRET). */
  statusPush?: { url: string; secret?: string };
}
