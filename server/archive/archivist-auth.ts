/**
 * Express middleware admitting archivists only: `Authorization: Bearer
 * <archivist token>`. A join token of any role (even the chair's) is
 * refused with 403 by TokenService.verifyArchivist.
 */
import type { NextFunction, Request, Response } from 'express';
import type { TokenService } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';

/** Sets `res.locals.archivistId` or fails the request. */
export function requireArchivist(tokens: TokenService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new AppError('UNAUTHENTICATED', 'An archivist token is required');

    const claims = await tokens.verifyArchivist(match[1]);
    res.locals.archivistId = claims.archivistId;
    next();
  };
}

/** The archivist admitted by requireArchivist. */
export function archivistOf(res: Response): string {
  const id: unknown = res.locals.archivistId;
  if (typeof id !== 'string')
    throw new AppError('UNAUTHENTICATED', 'An archivist token is required');

  return id;
}
