/**
 * A teacher behind a proxy that refuses WebSocket upgrades (common on school
 * networks) still joins: the page's own signalling client falls back to HTTP
 * long-polling, and the review's messages flow over it.
 */
import http from 'node:http';
import type net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectSignalling } from '../../../client/review/signalling.ts';
import type { SessionSnapshot } from '../../../server/signalling/protocol.ts';
import { createReview, linkFor, startTestService, tokenOf } from './review-harness.ts';

/**
 * An HTTP proxy to `target` that forwards plain requests and drops every
 * upgrade request, as a filtering proxy does.
 */
async function startProxyWithoutWebSocket(
  target: string,
): Promise<{ url: string; upgradesRefused: () => number }> {
  const { hostname, port } = new URL(target);
  let refused = 0;
  const sockets = new Set<net.Socket>();

  const proxy = http.createServer((request, response) => {
    const upstream = http.request(
      {
        hostname,
        port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  proxy.on('upgrade', (_request, socket: net.Socket) => {
    refused++;
    socket.destroy();
  });

  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });
  const { port: proxyPort } = proxy.address() as net.AddressInfo;

  return { url: `http://127.0.0.1:${proxyPort}`, upgradesRefused: () => refused };
}

describe('signalling behind a proxy without WebSocket', () => {
  it('joins over HTTP long-polling and answers requests', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const proxy = await startProxyWithoutWebSocket(service.app.url);

    const signalling = connectSignalling(proxy.url, tokenOf(linkFor(review, 'chair')));
    onTestFinished(() => signalling.close());
    const snapshot = await new Promise<SessionSnapshot>((resolve, reject) => {
      signalling.socket.once('session:snapshot', resolve);
      setTimeout(() => reject(new Error('no snapshot over polling')), 20_000);
    });

    expect(snapshot.you.role).toBe('chair');
    expect(proxy.upgradesRefused()).toBeGreaterThan(0);
    expect(signalling.socket.io.engine.transport.name).toBe('polling');
    const sync = await signalling.request('clock:sync', { clientNow: Date.now() });
    expect(typeof sync.serverNow).toBe('number');
  });
});
