import { describe, expect, it } from 'vitest';
import { levelFromSamples } from '../../../client/media/level-meter.ts';

describe('levelFromSamples', () => {
  it('is zero for silence', () => {
    expect(levelFromSamples(new Float32Array(512))).toBe(0);
  });

  it('rises with loudness and stops at one', () => {
    const quiet = levelFromSamples(new Float32Array(512).fill(0.05));
    const loud = levelFromSamples(new Float32Array(512).fill(0.2));
    const clipping = levelFromSamples(new Float32Array(512).fill(1));

    expect(quiet).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(quiet);
    expect(clipping).toBe(1);
  });
});
