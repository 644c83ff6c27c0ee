/**
 * A failed request to the server, carrying the server's stable error code so
 * the page can show the matching message (or a generic one with the code).
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  /** The server's stable code (server/errors.ts), or a client-side one such as TIMEOUT. */
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/** The code of anything thrown, for display and logs. */
export function errorCode(err: unknown): string {
  if (err instanceof RequestError) return err.code;
  if (err instanceof DOMException || err instanceof Error) return err.name;

  return 'UNKNOWN';
}
