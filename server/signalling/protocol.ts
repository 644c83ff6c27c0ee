/**
 * The socket.io contract between the browser and the server: event names,
 * payloads and acknowledgements. The server validates every incoming payload
 * (signalling/messages.ts); the client imports these types only.
 *
 * The join token travels in the handshake (`io(url, { auth: { token } })`),
 * never in a message.
 */
import type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
} from 'mediasoup/types';
import type { ErrorBody } from '../errors.ts';
import type {
  EndReason,
  MediaSource,
  ReviewState,
  Role,
} from '../review/review-types.ts';

/** Every acknowledgement: success with data, or an error with a stable code. */
export type Ack<T> = { ok: true; data: T } | ErrorBody;
export type AckFn<T> = (reply: Ack<T>) => void;

/** Where a participant stands. */
export type SeatState = 'lobby' | 'admitted' | 'refused' | 'removed' | 'left';

export interface ParticipantView {
  peerId: string;
  personId: string;
  displayName: string;
  role: Role;
  seat: SeatState;
  connected: boolean;
  producers: {
    producerId: string;
    source: MediaSource;
    kind: MediaKind;
    paused: boolean;
  }[];
}

export interface ClockView {
  /** Server time of this snapshot, ms since epoch. */
  serverNow: number;
  startedAt?: number;
  /** When the server will cut the review, ms since epoch. */
  endsAt?: number;
  limitSeconds: number;
}

export type RecordingState =
  'idle' | 'starting' | 'recording' | 'degraded' | 'finalising' | 'sealed';

export interface SessionSnapshot {
  reviewId: string;
  subject: string;
  state: ReviewState;
  you: { peerId: string; personId: string; role: Role; seat: SeatState };
  participants: ParticipantView[];
  clock: ClockView;
  recording: { state: RecordingState; tracksWriting: number; tracksExpected: number };
  consentGiven: boolean;
}

export interface TransportParams {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  iceServers: { urls: string | string[]; username?: string; credential?: string }[];
  iceTransportPolicy: 'all' | 'relay';
}

/**
 * The pre-flight's media probe (see server/sfu/media-probe.ts): a send
 * transport built like the real ones, and the router's capabilities for the
 * browser's Device, which a connection waiting in the lobby has not got yet.
 */
export interface ProbeParams extends TransportParams {
  rtpCapabilities: RtpCapabilities;
}

/** What reached the server through a media probe, measured on the server. */
export interface ProbeResult {
  /** ICE and DTLS completed: the browser and the server found a path. */
  connected: boolean;
  /** The protocol of the path the server selected; absent without a path. */
  protocol?: 'udp' | 'tcp';
  /** The path comes from the address of one of the TURN servers the browser was given. */
  relayed: boolean;
  /** Media bytes the probe's producer received. */
  bytesReceived: number;
  /** The producer's receive rate when the result was read, bits per second. */
  bitrate: number;
}

export interface ConsumerParams {
  consumerId: string;
  producerId: string;
  peerId: string;
  source: MediaSource;
  kind: MediaKind;
  rtpParameters: RtpParameters;
}

/** Browser -> server. Every event takes a payload and an acknowledgement. */
export interface ClientToServerEvents {
  'consent:give': (payload: { consent: true }, ack: AckFn<Record<string, never>>) => void;
  'clock:sync': (
    payload: { clientNow: number },
    ack: AckFn<{ clientNow: number; serverNow: number }>,
  ) => void;

  'media:capabilities': (
    payload: Record<string, never>,
    ack: AckFn<RtpCapabilities>,
  ) => void;
  'media:createTransport': (
    payload: { direction: 'send' | 'recv' },
    ack: AckFn<TransportParams>,
  ) => void;
  'media:connectTransport': (
    payload: { transportId: string; dtlsParameters: DtlsParameters },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'media:restartIce': (
    payload: { transportId: string },
    ack: AckFn<{ iceParameters: IceParameters }>,
  ) => void;
  /** A transport the page restarted is connected again. */
  'media:restored': (
    payload: { transportId: string },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'media:produce': (
    payload: {
      transportId: string;
      kind: MediaKind;
      rtpParameters: RtpParameters;
      source: MediaSource;
    },
    ack: AckFn<{ producerId: string }>,
  ) => void;
  'media:closeProducer': (
    payload: { producerId: string },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'media:pauseProducer': (
    payload: { producerId: string; paused: boolean },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'media:consume': (
    payload: {
      transportId: string;
      producerId: string;
      rtpCapabilities: RtpCapabilities;
    },
    ack: AckFn<ConsumerParams>,
  ) => void;
  'media:resumeConsumer': (
    payload: { consumerId: string },
    ack: AckFn<Record<string, never>>,
  ) => void;

  /**
   * The media probe of the pre-flight: one open at a time per connection,
   * allowed in the lobby; its track is never routed or recorded, and reading
   * the result closes it.
   */
  'probe:open': (payload: Record<string, never>, ack: AckFn<ProbeParams>) => void;
  'probe:connect': (
    payload: { transportId: string; dtlsParameters: DtlsParameters },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'probe:produce': (
    payload: { transportId: string; kind: 'video'; rtpParameters: RtpParameters },
    ack: AckFn<{ producerId: string }>,
  ) => void;
  'probe:result': (payload: { transportId: string }, ack: AckFn<ProbeResult>) => void;

  'chair:admit': (payload: { peerId: string }, ack: AckFn<Record<string, never>>) => void;
  'chair:refuse': (
    payload: { peerId: string },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'chair:mute': (payload: { peerId: string }, ack: AckFn<Record<string, never>>) => void;
  'chair:remove': (
    payload: { peerId: string },
    ack: AckFn<Record<string, never>>,
  ) => void;
  'chair:start': (
    payload: Record<string, never>,
    ack: AckFn<Record<string, never>>,
  ) => void;
  'chair:end': (
    payload: Record<string, never>,
    ack: AckFn<Record<string, never>>,
  ) => void;
}

/** Server -> browser. */
export interface ServerToClientEvents {
  /** The whole picture, sent on join and after every change that others can see. */
  'session:snapshot': (snapshot: SessionSnapshot) => void;
  'producer:added': (producer: {
    producerId: string;
    peerId: string;
    source: MediaSource;
    kind: MediaKind;
  }) => void;
  'producer:closed': (producer: { producerId: string }) => void;
  'clock:warning': (warning: { secondsLeft: number; endsAt: number }) => void;
  /** The chair muted you: stop sending microphone audio. */
  'peer:muted': (info: { by: string }) => void;
  /** You were removed, refused, or your seat was taken by a newer connection. */
  'peer:closed': (info: {
    reason: 'removed' | 'refused' | 'replaced' | 'review-ended';
  }) => void;
  'review:ended': (info: { reason: EndReason; endedAt: number }) => void;
  /**
   * A problem the user should see. Codes sent today: RECORDING_DEGRADED and
   * RECORDING_FAILED (error), MEDIA_UNAVAILABLE (the media worker failed: rejoin),
   * SERVER_CLOSING (the server is restarting: rejoin later), and any error
   * code of server/errors.ts when a connection could not be seated.
   */
  notice: (notice: { code: string; level: 'info' | 'warning' | 'error' }) => void;
}

/** Largest accepted message; socket.io drops bigger frames before parsing. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
