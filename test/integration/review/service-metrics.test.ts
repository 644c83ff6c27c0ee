/**
 * /metrics of the running service reflects what is happening in it: the
 * review in progress, who is connected, and the transports they opened.
 */
import { describe, expect, it } from 'vitest';
import { createReview, join, linkFor, ok, startTestService } from './review-harness.ts';

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);

  return response.text();
}

/** The value of one sample line, e.g. `sarapta_peers{role="chair"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));

  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the service metrics', () => {
  it('count live reviews, connected people by role and open transports by kind', async () => {
    const service = await startTestService();
    const before = await scrape(service.app.url);
    expect(sample(before, 'sarapta_live_reviews')).toBe(0);
    expect(sample(before, 'sarapta_mediasoup_workers')).toBe(1);

    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    await join(service, linkFor(review, 'attestee'));
    ok(await chair.request('media:createTransport', { direction: 'send' }));
    ok(await chair.request('media:createTransport', { direction: 'recv' }));

    const during = await scrape(service.app.url);
    expect(sample(during, 'sarapta_live_reviews')).toBe(1);
    expect(sample(during, 'sarapta_peers{role="chair"}')).toBe(1);
    expect(sample(during, 'sarapta_peers{role="attestee"}')).toBe(1);
    expect(sample(during, 'sarapta_transports{kind="webrtc"}')).toBe(2);

    chair.socket.disconnect();
    await expect
      .poll(async () =>
        sample(await scrape(service.app.url), 'sarapta_transports{kind="webrtc"}'),
      )
      .toBe(0);
  });
});
