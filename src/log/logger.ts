import pino, { type Logger } from 'pino';

export type { Logger };

/** One logger for the process; secrets and contact details are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.password', '*.secret', '*.mobile', '*.email'],
      censor: '[redacted]',
    },
  });
}
