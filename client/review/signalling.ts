/**
 * The page's one socket.io connection, typed by the shared protocol. Requests
 * resolve with the acknowledgement's data or reject with a RequestError that
 * carries the server's stable code.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AckFn,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../server/signalling/protocol.ts';
import { RequestError } from './request-error.ts';

/** How long a request may wait for its acknowledgement. */
const REQUEST_TIMEOUT_MS = 10_000;

export type ReviewSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Names of the browser-to-server requests. */
export type RequestName = keyof ClientToServerEvents;

/** What a request sends. */
export type RequestPayload<E extends RequestName> = Parameters<
  ClientToServerEvents[E]
>[0];

/** What a request's acknowledgement carries on success. */
export type RequestResult<E extends RequestName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;

/** Sends typed requests over the review socket. */
export interface Signalling {
  readonly socket: ReviewSocket;
  request<E extends RequestName>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E>>;
  close(): void;
}

/** Opens the socket with the join token in the handshake (never in a message). */
export function connectSignalling(serverUrl: string, token: string): Signalling {
  const socket: ReviewSocket = io(serverUrl, {
    auth: { token },
    // WebSocket first; where a school's proxy or firewall blocks it, HTTP
    // long-polling still carries the review's signalling.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });

  const request = <E extends RequestName>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E>> =>
    new Promise((resolve, reject) => {
      // socket.io's typed emit cannot follow a generic event name, so the call
      // goes through an untyped view; the signature above keeps callers typed.
      const timed = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
        emit(
          name: string,
          body: unknown,
          ack: (err: Error | null, reply: Ack<RequestResult<E>>) => void,
        ): void;
      };

      timed.emit(event, payload, (err, reply) => {
        if (err) {
          reject(
            new RequestError('TIMEOUT', `${event} was not acknowledged`, { cause: err }),
          );
          return;
        }

        if (reply.ok) resolve(reply.data);
        else reject(new RequestError(reply.error.code, reply.error.message));
      });
    });

  return { socket, request, close: () => socket.close() };
}
