/**
 * The operator commands' argument errors: said in the command's own terms
 * (which --option, how to write it), --help answered without failing, and a
 * service out of reach named by its address.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  readCommandLine,
  readCommandLineWithPositionals,
  unreachableMessage,
  UsageError,
} from '../../../scripts/lib/operator-command.ts';
import { reviewInputFromOptions } from '../../../scripts/lib/review-options.ts';

const USAGE = 'Usage: test --name NAME';

const COMPLETE = {
  subject: 'Physics, grade 9',
  category: 'teacher-expert',
  start: '2026-12-10T10:00:00+05:00',
  attestee: 'Aigerim Sadykova',
  chair: 'Nurlan Abenov',
  expert: ['Dana Omarova'],
};

describe('readCommandLine()', () => {
  it('prints the usage for --help and returns nothing to run', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(readCommandLine(USAGE, { name: { type: 'string' } }, ['--help'])).toBe(
        undefined,
      );
      expect(log).toHaveBeenCalledWith(USAGE);
    } finally {
      log.mockRestore();
    }
  });

  it('names an unknown option and a plain argument, with the usage', () => {
    const options = { name: { type: 'string' } } as const;
    expect(() => readCommandLine(USAGE, options, ['--nmae', 'x'])).toThrow(
      new UsageError(`Unknown option '--nmae'\n${USAGE}`),
    );
    expect(() => readCommandLine(USAGE, options, ['stray'])).toThrow(/'stray'/);
  });

  it('hands plain arguments to a command that takes them', () => {
    expect(readCommandLineWithPositionals(USAGE, {}, ['review-1'])?.positionals).toEqual([
      'review-1',
    ]);
  });
});

describe('reviewInputFromOptions()', () => {
  it('builds the API body from complete options', () => {
    const outcome = reviewInputFromOptions(COMPLETE);
    expect(outcome).toMatchObject({
      ok: true,
      input: {
        claimedCategory: 'teacher-expert',
        format: 'remote',
        chair: { displayName: 'Nurlan Abenov' },
        experts: [{ displayName: 'Dana Omarova' }],
      },
    });
  });

  it('names a missing option as the command spells it', () => {
    expect(reviewInputFromOptions({ ...COMPLETE, chair: undefined })).toEqual({
      ok: false,
      problems: ['--chair is missing: add --chair "Nurlan Abenov"'],
    });
  });

  it('asks for an offset when --start has none', () => {
    const outcome = reviewInputFromOptions({ ...COMPLETE, start: '2026-12-10T10:00' });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        "--start 2026-12-10T10:00 has no offset from UTC: add Kazakhstan's, e.g. 2026-12-10T10:00:00+05:00",
      ],
    });
  });

  it('accepts a start in minutes with its offset', () => {
    const outcome = reviewInputFromOptions({
      ...COMPLETE,
      start: '2026-12-10T10:00+05:00',
    });
    expect(outcome).toMatchObject({
      ok: true,
      input: { scheduledStart: '2026-12-10T10:00:00+05:00' },
    });
  });

  it('lists the categories for an unknown one', () => {
    const outcome = reviewInputFromOptions({ ...COMPLETE, category: 'genius' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problems).toEqual([
      '--category "genius" is not a category: use one of teacher, teacher-moderator, teacher-expert, teacher-researcher, teacher-master',
    ]);
  });
});

describe('unreachableMessage()', () => {
  it('names the address, the network error and how to start the service', () => {
    const failure = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    const message = unreachableMessage('http://127.0.0.1:8080', failure);
    expect(message).toMatch(
      /^The service at http:\/\/127\.0\.0\.1:8080 cannot be reached \(ECONNREFUSED\)/,
    );
    expect(message).toMatch(/\.\/scripts\/start\.sh/);
  });
});
