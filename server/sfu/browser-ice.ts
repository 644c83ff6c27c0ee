/**
 * The ICE servers and policy one browser connection is told to use.
 *
 * A TURN server configured with a secret gets credentials in the TURN REST
 * API scheme that coturn checks with use-auth-secret: the username is the
 * expiry (Unix seconds) and the connection's peer id, the password the
 * base64 HMAC-SHA1 of that username under the shared secret. Each connection
 * gets its own, nothing is stored, and one copied out of a browser stops
 * working when it expires; fixed credentials are handed over as configured.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config/config.ts';
import { DEFAULT_TURN_CREDENTIAL_TTL_SECONDS } from '../config/defaults.ts';

/** An ICE server as handed to the browser's RTCPeerConnection. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** 'relay': the browser uses only TURN candidates. */
export type IceTransportPolicy = 'all' | 'relay';

/** What a browser's transports are built with, besides the server's own parameters. */
export interface BrowserIce {
  iceServers: IceServer[];
  iceTransportPolicy: IceTransportPolicy;
}

type TurnServerConfig = Config['media']['turnServers'][number];

/** The ICE settings for one connection, with credentials minted at `nowMs`. */
export function browserIceFor(
  media: Pick<Config['media'], 'turnServers' | 'iceTransportPolicy'>,
  peerId: string,
  nowMs: number,
): BrowserIce {
  return {
    iceServers: media.turnServers.map((server) => iceServerFor(server, peerId, nowMs)),
    iceTransportPolicy: media.iceTransportPolicy,
  };
}

function iceServerFor(
  server: TurnServerConfig,
  peerId: string,
  nowMs: number,
): IceServer {
  const urls = Array.isArray(server.urls) ? [...server.urls] : server.urls;
  if (!server.secret) {
    return {
      urls,
      ...(server.username !== undefined ? { username: server.username } : {}),
      ...(server.credential !== undefined ? { credential: server.credential } : {}),
    };
  }

  const ttlSeconds = server.credentialTtlSeconds ?? DEFAULT_TURN_CREDENTIAL_TTL_SECONDS;
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${peerId}`;
  const credential = createHmac('sha1', server.secret).update(username).digest('base64');

  return { urls, username, credential };
}
