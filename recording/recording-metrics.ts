/**
 * Prometheus metrics of the recording pipeline. Metrics are looked up before
 * being created so several services in one process (tests) share them.
 */
import { Counter, Gauge, Registry, register as defaultRegistry } from 'prom-client';

/** The recording pipeline's metrics. */
export interface RecordingMetrics {
  spoolBytes: Gauge;
  spoolFull: Gauge;
  spoolFullEvents: Counter;
  uploadFailures: Counter;
  segmentsUploaded: Counter;
  captureRestarts: Counter;
  seals: Counter<'outcome'>;
}

/** The metrics registered on `registry` (the process-wide one by default). */
export function recordingMetrics(registry: Registry = defaultRegistry): RecordingMetrics {
  const gauge = (name: string, help: string): Gauge =>
    (registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({ name, help, registers: [registry] });
  const counter = <L extends string = string>(
    name: string,
    help: string,
    labelNames: L[] = [],
  ): Counter<L> =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });

  return {
    spoolBytes: gauge(
      'sarapta_recording_spool_bytes',
      'Bytes of segments waiting for S3',
    ),
    spoolFull: gauge(
      'sarapta_recording_spool_full',
      '1 while the spool is over its limit',
    ),
    spoolFullEvents: counter(
      'sarapta_recording_spool_full_total',
      'Times the spool went over its limit',
    ),
    uploadFailures: counter(
      'sarapta_recording_upload_failures_total',
      'Segment uploads that failed (retried)',
    ),
    segmentsUploaded: counter(
      'sarapta_recording_segments_uploaded_total',
      'Segments confirmed by S3',
    ),
    captureRestarts: counter(
      'sarapta_recording_capture_restarts_total',
      'Captures restarted after ffmpeg failed',
    ),
    seals: counter('sarapta_recording_seals_total', 'Recordings sealed, by outcome', [
      'outcome',
    ]),
  };
}
