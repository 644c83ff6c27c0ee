/** GET /metrics: the registry in Prometheus text format. */
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** An express handler serving `registry`. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.type(registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  };
}

/** A router with GET /metrics, for mounting at the root of the HTTP app. */
export function createMetricsRouter(registry: Registry): Router {
  return Router().get('/metrics', metricsHandler(registry));
}
