/**
 * A small HTTP server for the archive's tests: the archive router at
 * /api/archive, the built client (when asked) as static files, and an error
 * handler replying with the service's one error body. The real server mounts
 * the same router the same way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createArchiveRouter } from '../../../server/archive/archive-router.ts';
import { TokenService } from '../../../server/auth/tokens.ts';
import { toAppError, toErrorBody } from '../../../server/errors.ts';
import type { DatabaseSync } from '../../../server/store/database.ts';
import { AuditLog } from '../../../storage/audit/audit-log.ts';
import { DisputeCases } from '../../../storage/legal-hold/dispute-cases.ts';
import type { ObjectStore } from '../../../storage/object-store.ts';
import { silentLogger } from './archive-fixtures.ts';

/** The running app and what tests need to talk to it. */
export interface ArchiveTestApp {
  baseUrl: string;
  tokens: TokenService;
  audit: AuditLog;
  cases: DisputeCases;
  close(): Promise<void>;
}

const TEST_SECRET = 'archive-test-secret-at-least-32-characters';

/** Starts the app on a free loopback port. */
export async function startArchiveTestApp(options: {
  db: DatabaseSync;
  store: ObjectStore;
  staticDir?: string;
}): Promise<ArchiveTestApp> {
  const tokens = new TokenService(TEST_SECRET);
  const audit = new AuditLog(options.db);
  const cases = new DisputeCases({
    db: options.db,
    store: options.store,
    audit,
    logger: silentLogger,
  });

  const app = express();
  app.use(
    '/api/archive',
    createArchiveRouter({
      db: options.db,
      store: options.store,
      tokens,
      audit,
      cases,
      logger: silentLogger,
      mediaTicketSecret: TEST_SECRET,
    }),
  );
  if (options.staticDir) app.use(express.static(options.staticDir));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(toAppError(err).status).json(toErrorBody(err));
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tokens,
    audit,
    cases,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
