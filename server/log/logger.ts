/**
 * Structured logging. One root logger; components take a child with their ids
 * as fields (reviewId, peerId, producerId, recordingId) so a single review can
 * be followed through every component with one filter.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  '*.secret',
  '*.secretAccessKey',
  '*.password',
  '*.token',
  '*.tokenSecret',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Creates the root logger. `level` comes from configuration. */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'sarapta' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };

  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that writes nothing: for unit tests of pure logic. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
