/**
 * What an operator sends to create a review, validated the same way for the
 * HTTP API and the command-line tool.
 */
import { z } from 'zod';

const personInput = z.object({
  displayName: z.string().trim().min(1).max(200),
});

/** The request body of POST /api/reviews. */
export const newReviewInputSchema = z
  .object({
    subject: z.string().trim().min(1).max(300),
    claimedCategory: z.enum([
      'teacher',
      'teacher-moderator',
      'teacher-expert',
      'teacher-researcher',
      'teacher-master',
    ]),
    format: z.enum(['remote', 'in-person']).default('remote'),
    scheduledStart: z.iso.datetime({ offset: true }),
    attestee: personInput,
    chair: personInput,
    experts: z.array(personInput).max(20).default([]),
    /** The device recording the council room; required for, and only for, in-person reviews. */
    roomDevice: personInput.optional(),
  })
  .refine(
    (input) => (input.format === 'in-person') === (input.roomDevice !== undefined),
    {
      message:
        'An in-person review needs exactly one roomDevice; a remote review has none',
      path: ['roomDevice'],
    },
  );

/** A validated request to create a review. */
export type NewReviewInput = z.infer<typeof newReviewInputSchema>;
