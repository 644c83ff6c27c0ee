import { describe, expect, it } from 'vitest';
import {
  SEAL_PROGRESS_INTERVAL_MS,
  isSealProgressWorthRecording,
} from '../../../recording/recording-sealer.ts';
import { sealingOf } from '../../../server/archive/recording-status.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, 0, ms));
const composing = (fraction: number, ms: number) => ({
  stage: 'composing' as const,
  fraction,
  updatedAt: at(ms),
});

describe('isSealProgressWorthRecording', () => {
  it('records the first progress of a seal', () => {
    expect(
      isSealProgressWorthRecording(
        undefined,
        { stage: 'downloading', fraction: 0 },
        at(0),
      ),
    ).toBe(true);
  });

  it('records a new stage at once, however soon and however small the step', () => {
    expect(
      isSealProgressWorthRecording(
        composing(1, 0),
        { stage: 'uploading', fraction: 0 },
        at(1),
      ),
    ).toBe(true);
  });

  it('skips a small step within a second of the last write', () => {
    expect(
      isSealProgressWorthRecording(
        composing(0.4, 0),
        { stage: 'composing', fraction: 0.43 },
        at(SEAL_PROGRESS_INTERVAL_MS - 1),
      ),
    ).toBe(false);
  });

  it('records a small step once a second has passed', () => {
    expect(
      isSealProgressWorthRecording(
        composing(0.4, 0),
        { stage: 'composing', fraction: 0.41 },
        at(SEAL_PROGRESS_INTERVAL_MS),
      ),
    ).toBe(true);
  });

  it('records a step of 5 % or more at once', () => {
    expect(
      isSealProgressWorthRecording(
        composing(0.4, 0),
        { stage: 'composing', fraction: 0.45 },
        at(10),
      ),
    ).toBe(true);
  });

  it('never rewrites an unchanged fraction, however long ago the last write was', () => {
    expect(
      isSealProgressWorthRecording(
        composing(0.4, 0),
        { stage: 'composing', fraction: 0.4 },
        at(60_000),
      ),
    ).toBe(false);
  });

  it('writes at most one small step per second over a run of frequent reports', () => {
    let last: ReturnType<typeof composing> | undefined;
    let writes = 0;
    // Ten seconds of reports every 100 ms, each 0.2 % further.
    for (let tick = 0; tick <= 100; tick++) {
      const next = { stage: 'composing' as const, fraction: tick * 0.002 };
      if (isSealProgressWorthRecording(last, next, at(tick * 100))) {
        last = { ...next, updatedAt: at(tick * 100) };
        writes++;
      }
    }

    expect(writes).toBe(11);
  });
});

describe('sealingOf', () => {
  const row = (state: string, stage: string | null, fraction: number | null) => ({
    recording_state: state,
    seal_stage: stage,
    seal_fraction: fraction,
    seal_updated_at: stage ? '2026-01-01T09:00:00.000Z' : null,
  });

  it('reports the stage and the percent rounded down while finalising', () => {
    expect(sealingOf(row('finalising', 'composing', 0.459))).toEqual({
      stage: 'composing',
      percent: 45,
      updatedAt: '2026-01-01T09:00:00.000Z',
    });
  });

  it('reports waiting while finalising before the seal has begun', () => {
    expect(sealingOf(row('finalising', null, null))).toEqual({
      stage: 'waiting',
      percent: 0,
      updatedAt: null,
    });
  });

  it('reports nothing for a recording that is not finalising', () => {
    expect(sealingOf(row('sealed', 'sealed', 1))).toBeNull();
    expect(sealingOf(row('recording', null, null))).toBeNull();
  });
});
