/**
 * GET /healthz (liveness: the process serves HTTP) and GET /readyz (every
 * readiness check passes: 200, otherwise 503 naming the failed checks).
 */
import { Router } from 'express';
import type { Logger } from '../log/logger.ts';
import {
  DEFAULT_CHECK_TIMEOUT_MS,
  runReadinessChecks,
  type ReadinessCheck,
} from './readiness.ts';

/** What the router needs. */
export interface HealthRouterOptions {
  checks: readonly ReadinessCheck[];
  /** Per-check time limit in ms. Default DEFAULT_CHECK_TIMEOUT_MS. */
  checkTimeoutMs?: number;
  logger: Logger;
}

/** Creates the router; mount it at the root of the HTTP app. */
export function createHealthRouter(options: HealthRouterOptions): Router {
  const log = options.logger.child({ component: 'health' });
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  // Probes poll every few seconds: log changes of state, not every probe.
  let wasReady: boolean | undefined;
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  router.get('/readyz', async (_req, res) => {
    const report = await runReadinessChecks(options.checks, timeoutMs);

    if (report.ok !== wasReady) {
      if (report.ok) log.info('ready');
      else log.error({ checks: report.checks }, 'not ready');
      wasReady = report.ok;
    }

    res.status(report.ok ? 200 : 503).json(report);
  });

  return router;
}
