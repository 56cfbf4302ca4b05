import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Structured JSON logs (pino). Never log passwords, tokens or mail bodies. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'cascada' },
    redact: {
      paths: [
        'password',
        'token',
        'accessToken',
        '*.password',
        '*.token',
        'headers.authorization',
        'headers.cookie',
      ],
      remove: true,
    },
  });
}

/** Routes Nest's own log calls into pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: unknown) {
    const ctx = typeof context === 'string' ? context : undefined;
    if (message && typeof message === 'object') this.logger[level]({ context: ctx, ...(message as object) });
    else this.logger[level]({ context: ctx }, String(message));
  }

  log(message: unknown, context?: unknown) {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest[rest.length - 1]);
  }
  warn(message: unknown, context?: unknown) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: unknown) {
    this.write('trace', message, context);
  }
}
