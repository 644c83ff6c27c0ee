import { describe, expect, it } from 'vitest';
import {
  isRetryable,
  joinProblemOfCode,
  joinProblemOfState,
} from '../../../client/review/join-problem.ts';
import { ERROR_TABLE } from '../../../server/errors.ts';

describe('joinProblemOfCode()', () => {
  it('names the link problems a person can act on', () => {
    expect(joinProblemOfCode('TOKEN_INVALID')).toBe('invalid');
    expect(joinProblemOfCode('UNAUTHENTICATED')).toBe('invalid');
    expect(joinProblemOfCode('TOKEN_EXPIRED')).toBe('expired');
    expect(joinProblemOfCode('REVIEW_ENDED')).toBe('ended');
  });

  it('answers unreachable for a failed network, a proxy page and a gateway', () => {
    for (const code of ['TypeError', 'SyntaxError', 'HTTP_502', 'HTTP_504']) {
      expect(joinProblemOfCode(code)).toBe('unreachable');
    }
  });

  it('answers unreachable, worth trying again, for a service that is restarting', () => {
    expect(joinProblemOfCode('SERVER_CLOSING')).toBe('unreachable');
    expect(isRetryable(joinProblemOfCode('SERVER_CLOSING'))).toBe(true);
    expect(Object.keys(ERROR_TABLE)).toContain('SERVER_CLOSING');
  });

  it('answers other for a code it does not know, which the page then shows', () => {
    expect(joinProblemOfCode('INTERNAL')).toBe('other');
    expect(joinProblemOfCode('SOMETHING_NEW')).toBe('other');
  });

  it('maps only codes that exist on the server or in the browser', () => {
    const serverCodes = Object.keys(ERROR_TABLE);
    for (const code of ['TOKEN_INVALID', 'TOKEN_EXPIRED', 'REVIEW_ENDED', 'FORBIDDEN']) {
      expect(serverCodes).toContain(code);
    }
  });
});

describe('joinProblemOfState()', () => {
  it('stops the join only for a review that is over', () => {
    expect(joinProblemOfState('ended')).toBe('ended');
    expect(joinProblemOfState('cancelled')).toBe('cancelled');
    for (const state of ['scheduled', 'lobby', 'live'] as const) {
      expect(joinProblemOfState(state)).toBeUndefined();
    }
  });
});

describe('isRetryable()', () => {
  it('offers a retry only where waiting may help', () => {
    expect(isRetryable('unreachable')).toBe(true);
    expect(isRetryable('other')).toBe(true);
    for (const problem of [
      'no-token',
      'invalid',
      'expired',
      'ended',
      'cancelled',
    ] as const) {
      expect(isRetryable(problem)).toBe(false);
    }
  });
});
