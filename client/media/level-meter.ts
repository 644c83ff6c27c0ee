/**
 * The microphone level shown in the pre-flight: a WebAudio AnalyserNode on the
 * local stream, sampled once per animation frame into a 0..1 value.
 */

/** A running level meter; close() releases the audio context. */
export interface LevelMeter {
  close(): void;
}

/** Loudness 0..1 from time-domain samples (RMS, scaled so speech fills the bar). */
export function levelFromSamples(samples: Float32Array): number {
  let sumOfSquares = 0;
  for (const sample of samples) sumOfSquares += sample * sample;
  const rms = Math.sqrt(sumOfSquares / Math.max(1, samples.length));

  // Speech RMS rarely exceeds ~0.3 of full scale; scale it up to use the bar.
  return Math.min(1, rms * 3);
}

/** Starts measuring `stream`'s audio; `onLevel` receives 0..1 every frame. */
export function startLevelMeter(
  stream: MediaStream,
  onLevel: (level: number) => void,
): LevelMeter {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);

  const samples = new Float32Array(analyser.fftSize);
  let frame = 0;
  const tick = (): void => {
    analyser.getFloatTimeDomainData(samples);
    onLevel(levelFromSamples(samples));
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);

  let closed = false;

  return {
    close() {
      if (closed) return;

      closed = true;
      cancelAnimationFrame(frame);
      source.disconnect();
      context.close().catch((err: unknown) => {
        console.warn('level meter: audio context did not close', err);
      });
    },
  };
}
