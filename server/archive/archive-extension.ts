/**
 * The archive as one extension of the service: checks the bucket is
 * write-once, builds the audit log, dispute cases and the archive API
 * (mounted at /api/archive), and runs the retention schedule. Closing it
 * stops the schedule and waits for a run in flight.
 */
import os from 'node:os';
import type { SaraptaContext, SaraptaExtension } from '../app.ts';
import { AuditLog } from '../../storage/audit/audit-log.ts';
import { DisputeCases } from '../../storage/legal-hold/dispute-cases.ts';
import { RetentionJob } from '../../storage/retention/retention-job.ts';
import { RetentionScheduler } from '../../storage/retention/retention-scheduler.ts';
import { createArchiveRouter } from './archive-router.ts';

/** Where the lead mounts the archive API. */
export const ARCHIVE_API_PATH = '/api/archive';

/** Builds and starts the archive (the bucket was checked for Object Lock at start). */
export async function createArchiveExtension(
  context: SaraptaContext,
): Promise<SaraptaExtension> {
  const logger = context.logger.child({ component: 'archive' });
  const store = context.objectStore;

  const audit = new AuditLog(context.db);
  const cases = new DisputeCases({ db: context.db, store, audit, logger });
  const router = createArchiveRouter({
    db: context.db,
    store,
    tokens: context.tokens,
    audit,
    cases,
    logger,
    mediaTicketSecret: context.tokens.deriveSecret('archive-media-ticket'),
  });

  const scheduler = context.config.retention.enabled
    ? new RetentionScheduler({
        job: new RetentionJob({
          db: context.db,
          store,
          audit,
          logger,
          holderId: `${os.hostname()}:${process.pid}`,
        }),
        cron: context.config.retention.cron,
        timezone: context.config.retention.timezone,
        logger,
        onRunFinished: (outcome) => context.metrics.retentionRuns.inc({ outcome }),
      })
    : undefined;
  await scheduler?.start();
  if (!scheduler) logger.warn('retention job disabled by SARAPTA_RETENTION_ENABLED');

  return {
    name: 'archive',
    routers: [{ path: ARCHIVE_API_PATH, router }],
    close: (reason) => scheduler?.close(reason),
  };
}
