import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.ts';
import { MediaTickets } from '../../../server/archive/media-ticket.ts';

const SECRET = 'media-ticket-test-secret-0123456789';
const GRANT = {
  reviewId: 'r1',
  key: 'recordings/r1/composite.mp4',
  archivistId: 'a1',
  download: false,
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-an-app-error';
  }
}

describe('MediaTickets', () => {
  it('grants what it issued until the ticket expires', () => {
    let now = new Date('2026-06-01T10:00:00Z');
    const tickets = new MediaTickets(SECRET, { now: () => now });
    const { ticket } = tickets.issue(GRANT, 60);

    expect(tickets.verify(ticket)).toMatchObject(GRANT);

    now = new Date('2026-06-01T10:01:01Z');
    expect(codeOf(() => tickets.verify(ticket))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a ticket whose grant was changed or that another secret signed', () => {
    const tickets = new MediaTickets(SECRET);
    const { ticket } = tickets.issue(GRANT, 60);
    const [, signature] = ticket.split('.');
    const widened = Buffer.from(
      JSON.stringify({
        r: 'r2',
        k: 'recordings/r2/composite.mp4',
        a: 'a1',
        d: 0,
        e: 9e9,
      }),
    ).toString('base64url');

    expect(codeOf(() => tickets.verify(`${widened}.${signature}`))).toBe('TOKEN_INVALID');
    expect(codeOf(() => new MediaTickets(`${SECRET}-other`).verify(ticket))).toBe(
      'TOKEN_INVALID',
    );
    expect(codeOf(() => tickets.verify('garbage'))).toBe('TOKEN_INVALID');
  });
});
