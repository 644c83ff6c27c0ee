/**
 * How the review talks to one connected browser. The signalling layer
 * implements it over a socket.io socket; the review never sees socket.io.
 */
import type { ServerToClientEvents } from '../signalling/protocol.ts';

/** The review's line to one connection. */
export interface PeerChannel {
  /** Sends one server-to-browser event. */
  send<E extends keyof ServerToClientEvents>(
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
  /** Ends the connection from the server side. */
  disconnect(): void;
  /**
   * When the browser was last heard from (any packet, heartbeats included),
   * ms since epoch: a connection replaced before the server noticed it had
   * gone was lost at about this time.
   */
  lastHeardAt(): number;
}
