/**
 * A TCP proxy in front of S3 that a test can take down and bring back on the
 * same port: while down, connections are refused exactly as when the S3
 * server is stopped.
 */
import net from 'node:net';
import { onTestFinished } from 'vitest';

/** A proxy to `target` ("http://host:port"), up after creation. */
export interface SwitchableProxy {
  endpoint: string;
  down(): Promise<void>;
  up(): Promise<void>;
}

/** Starts a proxy on a free port; it is closed when the test finishes. */
export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let listenPort = 0;

  const up = async (): Promise<void> => {
    if (server) return;
    const created = net.createServer((client) => {
      const upstream = net.connect(Number(port), hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) =>
      created.listen(listenPort, '127.0.0.1', resolve),
    );
    listenPort = (created.address() as net.AddressInfo).port;
    server = created;
  };
  const down = async (): Promise<void> => {
    const closing = server;
    if (!closing) return;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await up();
  onTestFinished(down);

  return { endpoint: `http://127.0.0.1:${listenPort}`, down, up };
}
