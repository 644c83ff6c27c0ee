/**
 * mediasoup reports parameters it refuses as TypeError (or its
 * UnsupportedError); when those parameters came from a browser, the failure
 * is the caller's fault, not ours, and is answered VALIDATION_FAILED.
 */
import { AppError } from '../errors.ts';

/** Runs a mediasoup call whose input came from the browser. */
export async function callerFault<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (
      err instanceof TypeError ||
      (err instanceof Error && err.name === 'UnsupportedError')
    ) {
      throw new AppError('VALIDATION_FAILED', err.message, { cause: err });
    }
    throw err;
  }
}
