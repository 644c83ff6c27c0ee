/**
 * The one place an HTTP request's failure becomes a reply: the status and
 * body come from server/errors.ts; the log level says whose fault it was.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toAppError, toErrorBody } from '../errors.ts';
import type { Logger } from '../log/logger.ts';

/** body-parser marks its failures with a `type`; they are the caller's fault. */
function fromBodyParser(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;

  const { type } = err as { type: unknown };
  if (type === 'entity.too.large') {
    return new AppError('MESSAGE_TOO_LARGE', 'The request body is too large', {
      cause: err,
    });
  }
  if (
    (typeof type === 'string' && type.startsWith('entity.')) ||
    type === 'charset.unsupported'
  ) {
    return new AppError('BAD_REQUEST', 'The request body is not valid JSON', {
      cause: err,
    });
  }

  return undefined;
}

/** Maps any error to its JSON reply. Mount last. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ component: 'http' });

  return (err, req, res, next) => {
    const appError = fromBodyParser(err) ?? toAppError(err);
    const where = { method: req.method, path: req.path, code: appError.code };
    if (appError.fault === 'client')
      log.warn({ ...where, message: appError.message }, 'request refused');
    else log.error({ ...where, err }, 'request failed');

    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(appError.status).json(toErrorBody(appError));
  };
}

/** Unknown API paths answer in JSON like every other API error. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No API route ${req.method} ${req.path}`));
};
