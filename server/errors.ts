/**
 * Every failure the service reports to a caller is an AppError with a stable
 * code. The table below is the one place where a code becomes an HTTP status
 * or a socket acknowledgement, so the same failure reads the same everywhere.
 */

/** Whose fault a failure is: decides the log level (warn vs error). */
export type Fault = 'client' | 'server';

/** Stable error codes, part of the public API: never rename one. */
export const ERROR_TABLE = {
  BAD_REQUEST: { status: 400, fault: 'client' },
  VALIDATION_FAILED: { status: 400, fault: 'client' },
  MESSAGE_TOO_LARGE: { status: 413, fault: 'client' },
  UNAUTHENTICATED: { status: 401, fault: 'client' },
  TOKEN_INVALID: { status: 401, fault: 'client' },
  TOKEN_EXPIRED: { status: 401, fault: 'client' },
  FORBIDDEN: { status: 403, fault: 'client' },
  NOT_FOUND: { status: 404, fault: 'client' },
  CONFLICT: { status: 409, fault: 'client' },
  INVALID_STATE: { status: 409, fault: 'client' },
  REVIEW_NOT_LIVE: { status: 409, fault: 'client' },
  REVIEW_ENDED: { status: 410, fault: 'client' },
  NOT_ADMITTED: { status: 403, fault: 'client' },
  RECORDING_NOT_READY: { status: 409, fault: 'client' },
  LEGAL_HOLD_ACTIVE: { status: 409, fault: 'client' },
  RETENTION_ACTIVE: { status: 409, fault: 'client' },
  RATE_LIMITED: { status: 429, fault: 'client' },
  /** A connection asked for a second media probe while its first is still open. */
  PROBE_ALREADY_OPEN: { status: 409, fault: 'client' },
  /** No such media probe is open: it timed out, its result was read, or it never was. */
  PROBE_CLOSED: { status: 410, fault: 'client' },
  CONFIG_INVALID: { status: 500, fault: 'server' },
  INTERNAL: { status: 500, fault: 'server' },
  STORAGE_UNAVAILABLE: { status: 503, fault: 'server' },
  DISK_FULL: { status: 507, fault: 'server' },
  MEDIA_UNAVAILABLE: { status: 503, fault: 'server' },
  /** The service is shutting down for a restart: the same request succeeds once it is back. */
  SERVER_CLOSING: { status: 503, fault: 'server' },
  RECORDING_FAILED: { status: 500, fault: 'server' },
  INTEGRITY_MISMATCH: { status: 500, fault: 'server' },
} as const satisfies Record<string, { status: number; fault: Fault }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** A failure with a stable code and optional details safe to show the caller. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_TABLE[this.code].status;
  }

  /** Whether the caller (client) or the service (server) is at fault. */
  get fault(): Fault {
    return ERROR_TABLE[this.code].fault;
  }
}

/** The JSON shape of every error reply, over HTTP and in socket acks. */
export interface ErrorBody {
  ok: false;
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * Turns anything thrown into an AppError. Unknown errors become INTERNAL and
 * their message is hidden from the caller (it may hold paths or secrets).
 * A request that used a media object closed under it (its worker died a
 * moment before) is answered MEDIA_UNAVAILABLE: the browser comes back to the
 * review's next session, and it is not a bug of ours.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;

  if (isMediaObjectClosed(err)) {
    return new AppError(
      'MEDIA_UNAVAILABLE',
      'The media server closed under this request',
      {
        cause: err,
      },
    );
  }

  return new AppError('INTERNAL', 'Internal error', { cause: err });
}

/**
 * Whether `err` is mediasoup's InvalidStateError, which it throws only when a
 * closed object is used: a worker's closed channel, a closed producer. The
 * class is not exported as a value, so it is known by its name; the web
 * platform's DOMException of the same name (streams, abort signals) is a
 * different failure and stays INTERNAL.
 */
export function isMediaObjectClosed(err: unknown): boolean {
  return (
    err instanceof Error &&
    !(err instanceof DOMException) &&
    err.name === 'InvalidStateError'
  );
}

/** The reply body for an error: used by the HTTP error handler and socket acks. */
export function toErrorBody(err: unknown): ErrorBody {
  const appError = toAppError(err);
  // An INTERNAL message and its details are written for the log (paths, S3 replies).
  if (appError.code === 'INTERNAL') {
    return { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } };
  }

  const body: ErrorBody = {
    ok: false,
    error: { code: appError.code, message: appError.message },
  };
  if (appError.details) body.error.details = appError.details;

  return body;
}
