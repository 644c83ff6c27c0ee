/**
 * The API reads JSON only. express.json() passes a body of another type
 * (a form, plain text) through unread, which validation would then report as
 * a missing object at path "": this refuses it by name instead.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** Refuses a body not declared as JSON; a request without a body (or an empty one) passes. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  // A browser's fetch() sends `Content-Length: 0` for a POST without a body.
  const empty = req.get('content-length') === '0';
  // is() answers null for a request without a body, false for a body of another type.
  if (!empty && req.is('application/json') === false) {
    const declared = req.get('content-type') ?? 'no Content-Type';
    next(
      new AppError(
        'BAD_REQUEST',
        `The request body must be JSON sent as Content-Type: application/json (got ${declared})`,
      ),
    );
    return;
  }

  next();
};
