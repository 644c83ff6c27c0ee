/**
 * The service's Prometheus metrics: one registry per service instance (tests
 * create several), the metric objects the components update, and the
 * Node.js process defaults. Every name starts with `sarapta_`.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Worker } from 'mediasoup/types';

/** The part of a mediasoup Worker the metrics read. */
export type MeasuredWorker = Pick<Worker, 'pid' | 'closed' | 'getResourceUsage'>;

/** What createMetrics needs. */
export interface MetricsOptions {
  /** The live media workers, read at every scrape. Default: none. */
  workers?: () => readonly MeasuredWorker[];
  /** Also export Node's process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
  /** Read at every scrape; a gauge without a source keeps what components set. */
  sources?: MetricSources;
}

/** Functions the gauges read at scrape time, so no component has to push counts. */
export interface MetricSources {
  liveReviews?: () => number;
  peersByRole?: () => Promise<Map<string, number>>;
  transportsByKind?: () => Map<string, number>;
  recordingCaptures?: () => number;
  uploadQueueLength?: () => number;
}

/** The registry and every metric other components update. */
export interface SaraptaMetrics {
  registry: Registry;
  /** Reviews in progress (lobby or live), set by the review service. */
  liveReviews: Gauge;
  /** Connected peers across all reviews, by role. */
  peers: Gauge<'role'>;
  /** Open WebRTC and plain transports, by kind ("webrtc", "plain"). */
  transports: Gauge<'kind'>;
  /** Producers being recorded right now (one ffmpeg each). */
  recordingCaptures: Gauge;
  /** Segments waiting for S3 to confirm them. */
  uploadQueueLength: Gauge;
  /** Retention job runs, by outcome ("ok", "failed", "skipped"). */
  retentionRuns: Counter<'outcome'>;
}

/** Creates a registry with every Sarapta metric registered in it. */
export function createMetrics(options: MetricsOptions = {}): SaraptaMetrics {
  const registry = new Registry();
  const workers = options.workers ?? (() => []);
  const sources = options.sources ?? {};
  // A gauge with a source is refreshed at scrape time from that source.
  const readFrom = (source: (() => number) | undefined) =>
    source
      ? {
          collect(this: Gauge) {
            this.set(source());
          },
        }
      : {};
  const readByLabel = (
    label: string,
    source: (() => Map<string, number> | Promise<Map<string, number>>) | undefined,
  ) =>
    source
      ? {
          async collect(this: Gauge) {
            this.reset();
            for (const [value, count] of await source())
              this.set({ [label]: value }, count);
          },
        }
      : {};

  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'sarapta_' });

  new Gauge({
    name: 'sarapta_mediasoup_workers',
    help: 'mediasoup workers alive',
    registers: [registry],
    collect() {
      this.set(workers().filter((worker) => !worker.closed).length);
    },
  });

  new Gauge({
    name: 'sarapta_mediasoup_worker_cpu_seconds',
    help: 'CPU time used by each mediasoup worker since it started, by mode (user, system)',
    labelNames: ['pid', 'mode'] as const,
    registers: [registry],
    async collect() {
      // Workers come and go: a closed one must not keep reporting its last value.
      this.reset();
      const alive = workers().filter((worker) => !worker.closed);
      const usages = await Promise.all(alive.map((worker) => worker.getResourceUsage()));
      alive.forEach((worker, index) => {
        const usage = usages[index];
        if (!usage) return;
        // mediasoup reports getrusage() times in milliseconds.
        this.set({ pid: String(worker.pid), mode: 'user' }, usage.ru_utime / 1000);
        this.set({ pid: String(worker.pid), mode: 'system' }, usage.ru_stime / 1000);
      });
    },
  });

  return {
    registry,
    liveReviews: new Gauge({
      name: 'sarapta_live_reviews',
      help: 'Reviews in progress (lobby or live)',
      registers: [registry],
      ...readFrom(sources.liveReviews),
    }),
    peers: new Gauge({
      name: 'sarapta_peers',
      help: 'Connected peers across all reviews, by role',
      labelNames: ['role'] as const,
      registers: [registry],
      ...readByLabel('role', sources.peersByRole),
    }),
    transports: new Gauge({
      name: 'sarapta_transports',
      help: 'Open mediasoup transports, by kind (webrtc, plain)',
      labelNames: ['kind'] as const,
      registers: [registry],
      ...readByLabel('kind', sources.transportsByKind),
    }),
    recordingCaptures: new Gauge({
      name: 'sarapta_recording_captures',
      help: 'Producers being recorded right now',
      registers: [registry],
      ...readFrom(sources.recordingCaptures),
    }),
    uploadQueueLength: new Gauge({
      name: 'sarapta_upload_queue_length',
      help: 'Recorded segments waiting for S3 to confirm them',
      registers: [registry],
      ...readFrom(sources.uploadQueueLength),
    }),
    retentionRuns: new Counter({
      name: 'sarapta_retention_runs_total',
      help: 'Retention job runs, by outcome (ok, failed, skipped)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
