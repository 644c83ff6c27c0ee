import cron from 'node-cron';
import { describe, expect, it, onTestFinished } from 'vitest';
import { missedScheduledRun } from '../../../storage/retention/missed-run.ts';

/** The default schedule: 03:30 every day in Almaty (UTC+5), i.e. 22:30 UTC the day before. */
function almatyDaily() {
  const task = cron.createTask('30 3 * * *', () => undefined, {
    timezone: 'Asia/Almaty',
  });
  onTestFinished(() => task.destroy());
  return task;
}

describe('missedScheduledRun', () => {
  it('counts a service that never ran the job as having missed a run', () => {
    expect(missedScheduledRun(almatyDaily(), undefined, new Date())).toBe(true);
  });

  it('finds the 03:30 Almaty run missed between two instants around 22:30 UTC', () => {
    const schedule = almatyDaily();
    const lastSuccess = new Date('2026-06-01T22:30:05Z');

    expect(
      missedScheduledRun(schedule, lastSuccess, new Date('2026-06-02T22:29:59Z')),
    ).toBe(false);
    expect(
      missedScheduledRun(schedule, lastSuccess, new Date('2026-06-02T22:30:00Z')),
    ).toBe(true);
  });

  it('reads the schedule in its own time zone, not the host zone', () => {
    const schedule = almatyDaily();

    // 03:30 UTC is 08:30 in Almaty: no run is due there.
    expect(
      missedScheduledRun(
        schedule,
        new Date('2026-06-02T03:00:00Z'),
        new Date('2026-06-02T04:00:00Z'),
      ),
    ).toBe(false);
  });

  it('treats a clock set back behind the last success as nothing missed', () => {
    expect(
      missedScheduledRun(
        almatyDaily(),
        new Date('2026-06-05T00:00:00Z'),
        new Date('2026-06-01T00:00:00Z'),
      ),
    ).toBe(false);
  });

  it('treats an outage longer than a week as missed without walking it', () => {
    const never = { match: () => false };

    expect(
      missedScheduledRun(
        never,
        new Date('2026-01-01T00:00:00Z'),
        new Date('2026-03-01T00:00:00Z'),
      ),
    ).toBe(true);
    expect(
      missedScheduledRun(
        never,
        new Date('2026-01-01T00:00:00Z'),
        new Date('2026-01-05T00:00:00Z'),
      ),
    ).toBe(false);
  });
});
