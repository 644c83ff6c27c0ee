import type { AddressInfo } from 'node:net';
import express from 'express';
import * as mediasoup from 'mediasoup';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMetricsRouter } from '../../server/metrics/metrics-handler.ts';
import { createMetrics } from '../../server/metrics/metrics.ts';

async function scrape(registry: Parameters<typeof createMetricsRouter>[0]) {
  const server = express().use(createMetricsRouter(registry)).listen(0, '127.0.0.1');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise((resolve) => server.once('listening', resolve));

  const reply = await fetch(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
  );
  return {
    status: reply.status,
    type: reply.headers.get('content-type'),
    text: await reply.text(),
  };
}

describe('metrics', () => {
  it('GET /metrics reports the live workers and the CPU time of each', async () => {
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    onTestFinished(() => worker.close());
    const metrics = createMetrics({ workers: () => [worker], processMetrics: false });

    const { status, type, text } = await scrape(metrics.registry);

    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toMatch(/^sarapta_mediasoup_workers 1$/m);
    expect(text).toMatch(
      new RegExp(
        `^sarapta_mediasoup_worker_cpu_seconds\\{pid="${worker.pid}",mode="user"\\} [0-9.e-]+$`,
        'm',
      ),
    );
  });

  it('GET /metrics stops reporting a worker once it is closed', async () => {
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    onTestFinished(() => worker.close());
    const metrics = createMetrics({ workers: () => [worker], processMetrics: false });
    await scrape(metrics.registry);

    worker.close();
    const { text } = await scrape(metrics.registry);

    expect(text).toMatch(/^sarapta_mediasoup_workers 0$/m);
    expect(text).not.toContain(`pid="${worker.pid}"`);
  });

  it('GET /metrics shows the values components set, with process metrics by default', async () => {
    const metrics = createMetrics();
    metrics.liveReviews.set(2);
    metrics.peers.set({ role: 'attestee' }, 1);
    metrics.uploadQueueLength.set(5);
    metrics.retentionRuns.inc({ outcome: 'ok' });

    const { text } = await scrape(metrics.registry);

    expect(text).toMatch(/^sarapta_live_reviews 2$/m);
    expect(text).toMatch(/^sarapta_peers\{role="attestee"\} 1$/m);
    expect(text).toMatch(/^sarapta_upload_queue_length 5$/m);
    expect(text).toMatch(/^sarapta_retention_runs_total\{outcome="ok"\} 1$/m);
    expect(text).toMatch(/^sarapta_process_cpu_seconds_total /m);
  });

  it('keeps the metrics of two service instances apart', async () => {
    const first = createMetrics({ processMetrics: false });
    const second = createMetrics({ processMetrics: false });

    first.liveReviews.set(3);

    expect(await first.registry.getSingleMetricAsString('sarapta_live_reviews')).toMatch(
      /^sarapta_live_reviews 3$/m,
    );
    expect(await second.registry.getSingleMetricAsString('sarapta_live_reviews')).toMatch(
      /^sarapta_live_reviews 0$/m,
    );
  });
});
