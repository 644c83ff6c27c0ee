/**
 * Measures the server's clock with a few clock:sync round trips and keeps the
 * estimate from the quickest one (the least delayed by queueing).
 */
import { bestEstimate, type ClockEstimate, type ClockSample } from './server-clock.ts';
import type { Signalling } from './signalling.ts';

/** Round trips per measurement: enough to dodge one slow answer. */
const SAMPLES_PER_SYNC = 5;

/** Runs one measurement; rejects if the server does not answer. */
export async function syncClock(signalling: Signalling): Promise<ClockEstimate> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < SAMPLES_PER_SYNC; i += 1) {
    const t0 = Date.now();
    const { serverNow } = await signalling.request('clock:sync', { clientNow: t0 });
    samples.push({ t0, t1: Date.now(), serverNow });
  }

  const estimate = bestEstimate(samples);
  if (!estimate) throw new Error('clock sync took no samples');

  return estimate;
}
