import { ConsoleLogger, LogLevel as NestLogLevel } from '@nestjs/common';
import type { LoggingConfig } from '@focal/config';

const ORDER: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Structured JSON logs (one object per line) by default; text for local reading. */
export function createLogger(app: string, logging: LoggingConfig): ConsoleLogger {
  const levels = ORDER.slice(0, ORDER.indexOf(logging.level) + 1);
  return new ConsoleLogger(app, { json: logging.json, logLevels: levels, colors: !logging.json });
}
