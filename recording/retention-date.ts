/**
 * The Object Lock retention date of a recording: the review's date plus a
 * number of calendar years. The archive's retention job imports this rule, so
 * the date written on every object and the date the job checks agree.
 */

/**
 * `years` calendar years after `reviewStart`, at the same UTC time of day. A
 * review on 29 February is kept until 1 March when the target year has no
 * 29 February, so the recording is never released a day early.
 *
 * Computed on UTC fields only: the result does not depend on the host's time
 * zone, and it is never earlier than the same local date in Asia/Almaty.
 */
export function retentionDateFor(reviewStart: Date, years: number): Date {
  if (Number.isNaN(reviewStart.getTime())) {
    throw new RangeError('retentionDateFor: reviewStart is not a valid date');
  }
  if (!Number.isInteger(years) || years < 0) {
    throw new RangeError('retentionDateFor: years must be a non-negative integer');
  }

  const targetYear = reviewStart.getUTCFullYear() + years;
  const month = reviewStart.getUTCMonth();
  const day = reviewStart.getUTCDate();
  const timeOfDayMs =
    reviewStart.getTime() - Date.UTC(reviewStart.getUTCFullYear(), month, day);

  // Date.UTC rolls 29 February of a common year over to 1 March, which is the rule.
  return new Date(Date.UTC(targetYear, month, day) + timeOfDayMs);
}
