/**
 * The socket.io server: a connection is admitted only with a valid join
 * token (refusals carry the error code in `connect_error` data), then seated
 * in its review's session; every message is validated and answered through
 * its acknowledgement with data or a stable error code.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { AppError, toAppError, toErrorBody, type ErrorBody } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { PeerChannel } from '../review/peer-channel.ts';
import type { JoinIdentity, ReviewService } from '../review/review-service.ts';
import type { ReviewSession } from '../review/review-session.ts';
import type { SessionRegistry } from '../review/session-registry.ts';
import {
  MAX_PAYLOAD_DEPTH,
  messageSchemas,
  nestsDeeperThan,
  type ClientEventName,
} from './messages.ts';
import {
  MAX_MESSAGE_BYTES,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './protocol.ts';
import { SESSION_HANDLERS } from './session-handlers.ts';

/** What the handshake established, kept on the socket. */
interface SocketData {
  identity: JoinIdentity;
  session: ReviewSession;
}

type ReviewSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  object,
  SocketData
>;

/** A refused handshake: socket.io hands `data` to the browser's connect_error. */
type ConnectError = Error & { data: ErrorBody['error'] };

/** Heartbeat: a silent browser counts as dropped after about 20 seconds. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 10_000;

/** Socket.io path; the browser client uses the default too. */
export const SOCKET_PATH = '/socket.io';

/** How the signalling server is wired. */
export interface SignallingOptions {
  httpServer: HttpServer;
  reviews: ReviewService;
  sessions: SessionRegistry;
  logger: Logger;
}

/** Socket.io in front of the review sessions. */
export class SignallingServer {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
  readonly #options: SignallingOptions;
  readonly #log: Logger;
  #closed = false;

  constructor(options: SignallingOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'signalling' });
    this.io = new Server(options.httpServer, {
      path: SOCKET_PATH,
      // Bigger frames are dropped (and the connection closed) before parsing.
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      pingInterval: PING_INTERVAL_MS,
      pingTimeout: PING_TIMEOUT_MS,
      serveClient: false,
    });

    this.io.use((socket, next) => {
      this.#handshake(socket).then(
        () => next(),
        (err: unknown) => next(this.#refusal(err)),
      );
    });
    this.io.on('connection', (socket) => this.#seat(socket));
  }

  /** Disconnects every browser and stops accepting new ones. Idempotent. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    this.#log.info(
      { reason, sockets: this.io.of('/').sockets.size },
      'closing signalling',
    );
    this.io.disconnectSockets(true);
    // Not io.close(): that also closes the HTTP server, which the app closes itself.
    this.io.engine.close();
  }

  async #handshake(socket: ReviewSocket): Promise<void> {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null
        ? (auth as { token?: unknown }).token
        : undefined;
    const identity = await this.#options.reviews.identify(token);
    const session = await this.#options.sessions.open(identity.review.reviewId);
    socket.data = { identity, session };
  }

  #refusal(err: unknown): ConnectError {
    const appError = toAppError(err);
    const level = appError.fault === 'client' ? 'warn' : 'error';
    this.#log[level]({ err: appError, code: appError.code }, 'socket connection refused');

    return Object.assign(new Error(appError.message), {
      data: toErrorBody(appError).error,
    });
  }

  #seat(socket: ReviewSocket): void {
    const { identity, session } = socket.data;
    const log = this.#log.child({
      reviewId: identity.review.reviewId,
      personId: identity.person.personId,
    });
    // Heartbeats arrive every PING_INTERVAL_MS, so this is never staler than that.
    let lastHeardAt = Date.now();
    socket.conn.on('packet', () => {
      lastHeardAt = Date.now();
    });
    const channel: PeerChannel = {
      send: (event, ...args) => socket.emit(event, ...args),
      disconnect: () => socket.disconnect(true),
      lastHeardAt: () => lastHeardAt,
    };

    const joined = session.join(identity.person, channel);
    joined.then(
      ({ peerId }) => {
        // A socket that went away while joining never sees 'disconnect' below.
        if (socket.disconnected)
          session.disconnected(peerId, 'drop', 'closed-while-joining');
        else
          socket.on('disconnect', (reason) =>
            session.disconnected(peerId, dropKind(reason), reason),
          );
      },
      (err: unknown) => {
        const appError = toAppError(err);
        log[appError.fault === 'client' ? 'warn' : 'error'](
          { err: appError },
          'join failed',
        );
        socket.emit('notice', { code: appError.code, level: 'error' });
        socket.disconnect(true);
      },
    );

    // Network payloads are unknown until validated, so listeners are registered untyped.
    const untyped = socket as unknown as {
      on(event: string, listener: (...args: unknown[]) => void): void;
      onAny(listener: (event: unknown, ...args: unknown[]) => void): void;
    };
    for (const event of Object.keys(messageSchemas) as ClientEventName[]) {
      untyped.on(event, (...args) => {
        const ack = args.at(-1);
        if (typeof ack !== 'function') {
          log.warn({ event }, 'message without acknowledgement ignored');
          return;
        }
        // The acknowledgement is always last: a payload left out or an extra argument
        // is answered as invalid instead of leaving the browser waiting for ever.
        const payload = args.length === 2 ? args[0] : undefined;
        this.#answer(event, payload, joined, session, log).then((reply) => ack(reply));
      });
    }
    untyped.onAny((event, ...args) => {
      const ack = args.at(-1);
      if (isClientEvent(event) || typeof ack !== 'function') return;

      log.warn({ event: String(event).slice(0, 64) }, 'unknown message refused');
      ack(toErrorBody(new AppError('BAD_REQUEST', 'Unknown message')));
    });
  }

  /** Validates and runs one message; resolves with the acknowledgement. Never rejects. */
  async #answer(
    event: ClientEventName,
    payload: unknown,
    joined: Promise<{ peerId: string }>,
    session: ReviewSession,
    log: Logger,
  ): Promise<unknown> {
    try {
      if (nestsDeeperThan(payload, MAX_PAYLOAD_DEPTH)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Invalid ${event} message: nested too deeply`,
        );
      }
      const parsed = messageSchemas[event].safeParse(payload);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', `Invalid ${event} message`, {
          details: {
            issues: parsed.error.issues
              .slice(0, 5)
              .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
          },
        });
      }

      const { peerId } = await joined;
      const handler = SESSION_HANDLERS[event] as (
        session: ReviewSession,
        peerId: string,
        payload: unknown,
      ) => Promise<unknown>;

      return { ok: true, data: await handler(session, peerId, parsed.data) };
    } catch (err) {
      const appError = toAppError(err);
      if (appError.fault === 'client') {
        log.warn(
          { event, code: appError.code, message: appError.message },
          'message refused',
        );
      } else {
        log.error({ event, err }, 'message failed');
      }

      return toErrorBody(appError);
    }
  }
}

/** Whether `event` is one the server answers; inherited names like `toString` are not. */
function isClientEvent(event: unknown): event is ClientEventName {
  return typeof event === 'string' && Object.hasOwn(messageSchemas, event);
}

/** socket.io's reason for a disconnect -> whether the person left or dropped. */
function dropKind(reason: string): 'leave' | 'drop' {
  return reason === 'client namespace disconnect' ? 'leave' : 'drop';
}
