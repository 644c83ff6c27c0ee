/**
 * The express application: JSON API under /api, routers other areas plug in
 * (health, metrics, archive), the browser pages, and the one error mapper.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from '../log/logger.ts';
import { MAX_MESSAGE_BYTES } from '../signalling/protocol.ts';
import { clientPages } from './client-pages.ts';
import { apiNotFound, errorMiddleware } from './error-middleware.ts';
import { requireJsonBody } from './json-body.ts';

/** A router mounted at a path, supplied by another area. */
export interface MountedRouter {
  path: string;
  router: Router;
}

/** What the HTTP app serves. */
export interface HttpAppOptions {
  /** Routers under /api (reviews). */
  api: Router;
  /** Routers of other areas, mounted before the client pages. */
  extraRouters: readonly MountedRouter[];
  /** Directory of the built browser client; the default is client/dist. */
  clientDistDir?: string;
  logger: Logger;
}

/** Builds the express app. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    '/api',
    requireJsonBody,
    express.json({ limit: MAX_MESSAGE_BYTES }),
    options.api,
  );
  for (const { path, router } of options.extraRouters) app.use(path, router);
  app.use('/api', apiNotFound);
  app.use(clientPages(options.clientDistDir));
  app.use(errorMiddleware(options.logger));

  return app;
}
