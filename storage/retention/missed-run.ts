/**
 * Whether a scheduled run was missed while the service was down: some time
 * the cron expression names lies after the last successful run and not after
 * now. Checked once at start-up so a missed daily run is caught up.
 */

/** The one thing needed from a cron schedule: does it fire at this instant. */
export interface CronMatcher {
  match(date: Date): boolean;
}

const MINUTE_MS = 60_000;
/**
 * Beyond this gap we do not walk the minutes: a longer outage surely missed a
 * daily job, and a needless extra run is harmless (it only deletes what is due).
 */
const MAX_WALK_MS = 7 * 24 * 3600 * 1000;

/**
 * True when the schedule fired (by its own time zone) in (lastSuccess, now].
 * No recorded success at all counts as missed. Expressions with a seconds
 * field are checked at the start of each minute only, which suits the
 * retention job's daily schedules.
 */
export function missedScheduledRun(
  schedule: CronMatcher,
  lastSuccess: Date | undefined,
  now: Date,
): boolean {
  if (!lastSuccess) return true;

  const gapMs = now.getTime() - lastSuccess.getTime();
  if (gapMs <= 0) return false;
  if (gapMs > MAX_WALK_MS) return true;

  const firstMinute =
    Math.floor(lastSuccess.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let at = firstMinute; at <= now.getTime(); at += MINUTE_MS) {
    if (schedule.match(new Date(at))) return true;
  }

  return false;
}
