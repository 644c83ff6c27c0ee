/**
 * The server's clock as seen from the browser. The server decides when the
 * review ends; the browser only displays the time left, so it estimates how
 * far its own clock is from the server's with clock:sync round trips.
 */

/** One clock:sync round trip: sent at t0, answered at t1 (browser clock). */
export interface ClockSample {
  t0: number;
  t1: number;
  serverNow: number;
}

/** What one round trip says about the browser's clock. */
export interface ClockEstimate {
  /** Add to Date.now() to get the server's time, ms. */
  offsetMs: number;
  /** The round trip the estimate came from; smaller is more trustworthy. */
  roundTripMs: number;
}

/**
 * Estimates from one sample, assuming the server answered halfway through the
 * round trip: offset = serverNow - (t0 + t1) / 2.
 */
export function estimateFromSample(sample: ClockSample): ClockEstimate {
  return {
    offsetMs: sample.serverNow - (sample.t0 + sample.t1) / 2,
    roundTripMs: sample.t1 - sample.t0,
  };
}

/** The estimate from the sample with the shortest round trip (least queueing). */
export function bestEstimate(samples: readonly ClockSample[]): ClockEstimate | undefined {
  let best: ClockEstimate | undefined;
  for (const sample of samples) {
    const estimate = estimateFromSample(sample);
    if (!best || estimate.roundTripMs < best.roundTripMs) best = estimate;
  }

  return best;
}

/** Milliseconds until `endsAt` (server time), never negative. */
export function remainingMs(
  endsAt: number,
  offsetMs: number,
  browserNow: number,
): number {
  return Math.max(0, endsAt - (browserNow + offsetMs));
}

/** Remaining time as m:ss (or h:mm:ss), rounded up so 0:00 means the end. */
export function formatRemaining(ms: number): string {
  const totalSeconds = Math.ceil(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');

  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
