/**
 * /metrics of the running service reflects what is happening in it: the
 * review in progress, who is connected, and the transports they opened.
 */
import { describe, expect, it } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  metricSample,
  ok,
  scrapeMetrics,
  startTestService,
} from './review-harness.ts';

describe('the service metrics', () => {
  it('count live reviews, connected people by role and open transports by kind', async () => {
    const service = await startTestService();
    const before = await scrapeMetrics(service);
    expect(metricSample(before, 'sarapta_live_reviews')).toBe(0);
    expect(metricSample(before, 'sarapta_mediasoup_workers')).toBe(1);

    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    await join(service, linkFor(review, 'attestee'));
    ok(await chair.request('media:createTransport', { direction: 'send' }));
    ok(await chair.request('media:createTransport', { direction: 'recv' }));

    const during = await scrapeMetrics(service);
    expect(metricSample(during, 'sarapta_live_reviews')).toBe(1);
    expect(metricSample(during, 'sarapta_peers{role="chair"}')).toBe(1);
    expect(metricSample(during, 'sarapta_peers{role="attestee"}')).toBe(1);
    expect(metricSample(during, 'sarapta_transports{kind="webrtc"}')).toBe(2);

    chair.socket.disconnect();
    await expect
      .poll(async () =>
        metricSample(await scrapeMetrics(service), 'sarapta_transports{kind="webrtc"}'),
      )
      .toBe(0);
  });
});
