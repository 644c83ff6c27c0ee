/**
 * The browser pages built by Vite into client/dist: /join (the landing of
 * every join link; the token rides in the fragment and never reaches us) and
 * /archive. Files are served as they are; missing builds answer clearly.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { AppError } from '../errors.ts';

/** Where the built client lives by default. */
export const CLIENT_DIST_DIR = path.resolve(import.meta.dirname, '../../client/dist');

/** Static pages and assets of the browser client. */
export function clientPages(distDir: string = CLIENT_DIST_DIR): Router {
  const router = Router();

  router.use(
    express.static(distDir, {
      extensions: ['html'],
      index: false,
      // Hashed assets never change; pages must be re-read to pick up a new build.
      setHeaders: (res, file) => {
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader(
          'Cache-Control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );

  for (const page of ['join', 'archive']) {
    router.get(`/${page}`, () => {
      const exists = fs.existsSync(path.join(distDir, `${page}.html`));
      throw new AppError(
        'NOT_FOUND',
        exists
          ? `Cannot serve /${page}`
          : `The ${page} page is not built: run npm run build:client`,
      );
    });
  }

  return router;
}
