/**
 * The pre-flight's media-path check, browser side: sends a low-bitrate copy
 * of the camera preview over a probe transport the server opened like the
 * real ones (same TURN servers and ICE policy), lets it flow for a few
 * seconds and asks the server what arrived and over which path. The answer
 * is the server's measurement, so a network that lets the browser think it
 * sent media but delivers none still shows as blocked.
 *
 * The check informs the person; it never stands in the way of the lobby.
 */
import { Device } from 'mediasoup-client';
import type {
  RtpCapabilities as ClientRtpCapabilities,
  Transport,
} from 'mediasoup-client/types';
import type { RtpParameters as ServerRtpParameters } from 'mediasoup/types';
import type { ProbeResult } from '../../server/signalling/protocol.ts';
import { errorCode } from '../review/request-error.ts';
import type { Signalling } from '../review/signalling.ts';

/** How long ICE and DTLS may take before the path counts as blocked. */
const CONNECT_TIMEOUT_MS = 12_000;
/** Media flows this long before the server is asked what arrived. */
const FLOW_MS = 3_000;
/** The probe tests the path, not the uplink's capacity: a small picture at a low rate. */
const PROBE_MAX_BITRATE = 500_000;
const PROBE_MAX_HEIGHT = 240;

/**
 * What the check found: media arrived directly over UDP or TCP, or through a
 * TURN relay; no path formed (blocked); a path formed but no media came
 * (silent); or the check itself could not run (unavailable, with a code).
 */
export type MediaPathOutcome =
  'udp' | 'tcp' | 'relay' | 'blocked' | 'silent' | 'unavailable';

/** The check's outcome with the server's figures, for the page and its debug handle. */
export interface MediaProbeFigures {
  outcome: MediaPathOutcome;
  /** The server's receive rate when it was asked, bits per second. */
  bitrate: number;
  bytesReceived: number;
  protocol?: 'udp' | 'tcp';
  relayed: boolean;
  /** The browser transport's own state when the server was asked. */
  browserState: string;
  /** Why the check could not run (outcome 'unavailable'). */
  code?: string;
}

/**
 * Runs the check with a clone of `track`, which it stops at the end; the
 * caller's track is left alone. Never rejects: a failure is an 'unavailable'
 * outcome. Aborting stops it early and closes the probe on both sides.
 */
export async function probeMediaPath(
  signalling: Signalling,
  track: MediaStreamTrack,
  signal: AbortSignal,
): Promise<MediaProbeFigures> {
  let probeId: string | undefined;
  let resultRead = false;
  let transport: Transport | undefined;
  const clone = track.clone();

  try {
    const params = await signalling.request('probe:open', {});
    probeId = params.id;
    signal.throwIfAborted();

    const device = await Device.factory();
    // Same wire format, different header-extension URI unions (see media-session.ts).
    await device.load({
      routerRtpCapabilities: params.rtpCapabilities as unknown as ClientRtpCapabilities,
    });
    const sendTransport = device.createSendTransport({
      id: params.id,
      iceParameters: params.iceParameters,
      iceCandidates: params.iceCandidates,
      dtlsParameters: params.dtlsParameters,
      iceServers: params.iceServers,
      iceTransportPolicy: params.iceTransportPolicy,
    });
    transport = sendTransport;
    sendTransport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signalling
        .request('probe:connect', { transportId: sendTransport.id, dtlsParameters })
        .then(() => callback(), errback);
    });
    sendTransport.on('produce', ({ rtpParameters }, callback, errback) => {
      signalling
        .request('probe:produce', {
          transportId: sendTransport.id,
          kind: 'video',
          rtpParameters: rtpParameters as unknown as ServerRtpParameters,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });

    // Listening before producing: producing is what starts ICE and DTLS.
    const connected = untilConnected(sendTransport, signal);
    // Awaited below; an abort while producing must not count as unhandled meanwhile.
    connected.catch(() => undefined);
    await sendTransport.produce({
      track: clone,
      encodings: [
        { maxBitrate: PROBE_MAX_BITRATE, scaleResolutionDownBy: downscaleOf(clone) },
      ],
      stopTracks: true,
    });
    const browserState = await connected;
    if (browserState === 'connected') await delay(FLOW_MS, signal);

    resultRead = true;
    const result = await signalling.request('probe:result', { transportId: params.id });

    return figuresOf(result, browserState);
  } catch (err) {
    console.warn('media probe: the check could not run', err);
    return {
      outcome: 'unavailable',
      bitrate: 0,
      bytesReceived: 0,
      relayed: false,
      browserState: transport?.connectionState ?? 'new',
      code: signal.aborted ? 'ABORTED' : errorCode(err),
    };
  } finally {
    transport?.close();
    clone.stop();
    // Reading the result is what closes the server's probe; do not leave it to the timeout.
    if (probeId !== undefined && !resultRead) {
      signalling.request('probe:result', { transportId: probeId }).catch(() => undefined);
    }
  }
}

/** The server's figures as an outcome the page can put in words. */
function figuresOf(result: ProbeResult, browserState: string): MediaProbeFigures {
  const outcome: MediaPathOutcome =
    result.bytesReceived > 0
      ? result.relayed
        ? 'relay'
        : result.protocol === 'tcp'
          ? 'tcp'
          : 'udp'
      : result.connected
        ? 'silent'
        : 'blocked';

  return {
    outcome,
    bitrate: result.bitrate,
    bytesReceived: result.bytesReceived,
    ...(result.protocol ? { protocol: result.protocol } : {}),
    relayed: result.relayed,
    browserState,
  };
}

/** Resolves with 'connected', or with the state the transport was in when it gave up or time ran out. */
function untilConnected(transport: Transport, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      transport.off('connectionstatechange', onState);
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    const onState = (state: string) => {
      if (state === 'connected' || state === 'failed' || state === 'closed') {
        finish(() => resolve(state));
      }
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const timer = setTimeout(
      () => finish(() => resolve(transport.connectionState)),
      CONNECT_TIMEOUT_MS,
    );

    transport.on('connectionstatechange', onState);
    signal.addEventListener('abort', onAbort);
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How much to scale the camera down so the probe sends at most PROBE_MAX_HEIGHT lines. */
function downscaleOf(track: MediaStreamTrack): number {
  const { height } = track.getSettings();

  return height && height > PROBE_MAX_HEIGHT ? height / PROBE_MAX_HEIGHT : 1;
}
