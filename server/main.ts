/**
 * The process entry point: configuration, logger, the service, and a
 * graceful shutdown on SIGINT/SIGTERM. Exit codes: 0 after a clean shutdown,
 * 1 for bad configuration, a failed start or a failed shutdown.
 */
import { startSarapta, type Sarapta } from './app.ts';
import {
  configWarnings,
  loadConfig,
  redactedSummary,
  type Config,
} from './config/config.ts';
import { createLogger } from './log/logger.ts';

let config: Readonly<Config>;
try {
  config = loadConfig();
} catch (err) {
  // The message names each bad variable; the logger is not configured yet.
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel });
logger.info({ config: redactedSummary(config) }, 'starting sarapta');
for (const warning of configWarnings(config)) logger.warn(warning);

let service: Sarapta;
try {
  service = await startSarapta(config, { logger });
} catch (err) {
  logger.fatal({ err }, 'sarapta could not start');
  process.exit(1);
}

let stopping = false;
const stop = (reason: string, exitCode: number): void => {
  if (stopping) {
    logger.warn({ reason }, 'second stop request: exiting without waiting');
    process.exit(1);
  }
  stopping = true;

  service.close(reason).then(
    () => process.exit(exitCode),
    (err: unknown) => {
      logger.fatal({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};

process.on('SIGINT', () => stop('SIGINT', 0));
process.on('SIGTERM', () => stop('SIGTERM', 0));
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  stop('unhandled-rejection', 1);
});
