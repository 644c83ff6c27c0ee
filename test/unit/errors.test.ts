import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AppError,
  ERROR_TABLE,
  isMediaObjectClosed,
  toAppError,
  toErrorBody,
  type ErrorCode,
} from '../../server/errors.ts';

const codes = Object.keys(ERROR_TABLE) as ErrorCode[];

describe('ERROR_TABLE', () => {
  it.each(codes)('%s maps to an HTTP status that matches whose fault it is', (code) => {
    const { status, fault } = ERROR_TABLE[code];

    if (fault === 'client') {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    } else {
      expect(status).toBeGreaterThanOrEqual(500);
      expect(status).toBeLessThan(600);
    }
  });

  it.each(codes)(
    'an AppError with code %s reports the status and fault of the table',
    (code) => {
      const error = new AppError(code, 'message');

      expect(error.status).toBe(ERROR_TABLE[code].status);
      expect(error.fault).toBe(ERROR_TABLE[code].fault);
      expect(error.name).toBe('AppError');
    },
  );
});

describe('toAppError', () => {
  it('returns an AppError unchanged', () => {
    const original = new AppError('NOT_FOUND', 'no such review');

    expect(toAppError(original)).toBe(original);
  });

  it('turns anything else into INTERNAL and keeps the original as the cause', () => {
    const original = new TypeError('boom');

    const converted = toAppError(original);

    expect(converted.code).toBe('INTERNAL');
    expect(converted.status).toBe(500);
    expect(converted.cause).toBe(original);
  });

  it("answers MEDIA_UNAVAILABLE for mediasoup's error of a closed object, and nothing else", () => {
    // mediasoup exports the class as a type only: its own file gives the real one.
    const require = createRequire(import.meta.url);
    const errorsFile = path.join(path.dirname(require.resolve('mediasoup')), 'errors.js');
    const { InvalidStateError } = require(errorsFile) as {
      InvalidStateError: new (message: string) => Error;
    };
    const closed = new InvalidStateError('Channel closed, cannot send request');

    const converted = toAppError(closed);

    expect(isMediaObjectClosed(closed)).toBe(true);
    expect(converted.code).toBe('MEDIA_UNAVAILABLE');
    expect(converted.cause).toBe(closed);
    const webPlatform = new DOMException('stream closed', 'InvalidStateError');
    expect(toAppError(webPlatform).code).toBe('INTERNAL');
    expect(toAppError(new Error('Channel closed')).code).toBe('INTERNAL');
  });
});

describe('toErrorBody', () => {
  it('hides the message of an unexpected error behind INTERNAL', () => {
    const leaky = new Error('ENOENT: /root/.local/share/sarapta/secret-key.json');

    const body = toErrorBody(leaky);

    expect(body).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error' },
    });
    expect(JSON.stringify(body)).not.toContain('secret-key');
  });

  it('hides the message and details of an INTERNAL AppError, which are meant for the log', () => {
    const error = new AppError('INTERNAL', 'S3 PutObject refused: AccessDenied (403)', {
      details: { key: 'reviews/r1/segments/0001.webm' },
    });

    expect(toErrorBody(error)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error' },
    });
  });

  it('hides non-Error throwables too', () => {
    expect(toErrorBody('raw string with /etc/passwd').error).toEqual({
      code: 'INTERNAL',
      message: 'Internal error',
    });
  });

  it("keeps a caller's error code, message and details", () => {
    const error = new AppError('VALIDATION_FAILED', 'name is required', {
      details: { field: 'name' },
    });

    expect(toErrorBody(error)).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'name is required',
        details: { field: 'name' },
      },
    });
  });

  it('omits details when there are none', () => {
    expect(toErrorBody(new AppError('FORBIDDEN', 'no')).error).not.toHaveProperty(
      'details',
    );
  });
});
