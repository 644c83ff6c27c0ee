/**
 * Reading `Authorization: Bearer …` and checking the operator's key.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** The bearer token of a request, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;

  return match?.[1];
}

/** Requires the operator key; with none configured the operator API is closed. */
export function requireOperatorKey(operatorKey: string | undefined): RequestHandler {
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  const expected = operatorKey ? digest(operatorKey) : undefined;

  return (req, _res, next) => {
    if (!expected) {
      throw new AppError(
        'FORBIDDEN',
        'The operator API is disabled: SARAPTA_OPERATOR_KEY is not set',
      );
    }
    const token = bearerToken(req);
    if (!token)
      throw new AppError('UNAUTHENTICATED', 'Send the operator key as a Bearer token');
    if (!timingSafeEqual(digest(token), expected)) {
      throw new AppError('UNAUTHENTICATED', 'Wrong operator key');
    }

    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
