/**
 * What ffmpeg is told about a captured stream: the SDP describing the RTP it
 * will receive, and the container its segments are written in. Containers are
 * chosen to stay readable when a file is cut off by a crash (Matroska/WebM
 * write clusters as they go), and codecs are copied, never transcoded.
 */
import type { MediaKind, RtpParameters } from 'mediasoup/types';
import { AppError } from '../server/errors.ts';

/** The container of a track's segments. */
export interface SegmentFormat {
  /** ffmpeg muxer name. */
  muxer: 'webm' | 'matroska';
  extension: 'webm' | 'mkv';
  contentType: string;
}

/** The codec name (lower case, e.g. "vp8", "opus") of a consumer's first codec. */
export function codecNameOf(rtpParameters: RtpParameters): string {
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new AppError('RECORDING_FAILED', 'Consumer has no codec to record');

  return codec.mimeType.split('/')[1]?.toLowerCase() ?? '';
}

/** Container for a codec: WebM when the codec allows it (plays in browsers), else Matroska. */
export function segmentFormatFor(kind: MediaKind, codecName: string): SegmentFormat {
  if (['opus', 'vp8', 'vp9', 'av1'].includes(codecName)) {
    return { muxer: 'webm', extension: 'webm', contentType: `${kind}/webm` };
  }
  if (codecName === 'h264') {
    return { muxer: 'matroska', extension: 'mkv', contentType: `${kind}/x-matroska` };
  }

  throw new AppError('RECORDING_FAILED', `No segment container for codec ${codecName}`, {
    details: { codec: codecName },
  });
}

/**
 * The SDP ffmpeg reads to receive one consumer's RTP on `rtpPort` and its
 * RTCP on `rtcpPort` (the transport has rtcpMux off, so they are separate).
 */
export function captureSdp(
  kind: MediaKind,
  rtpParameters: RtpParameters,
  ip: string,
  ports: { rtpPort: number; rtcpPort: number },
): string {
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new AppError('RECORDING_FAILED', 'Consumer has no codec to record');

  const encodingName = codec.mimeType.split('/')[1] ?? '';
  const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(';');
  const family = ip.includes(':') ? 'IP6' : 'IP4';

  const lines = [
    'v=0',
    `o=- 0 0 IN ${family} ${ip}`,
    's=sarapta-capture',
    `c=IN ${family} ${ip}`,
    't=0 0',
    `m=${kind} ${ports.rtpPort} RTP/AVP ${codec.payloadType}`,
    `a=rtcp:${ports.rtcpPort}`,
    `a=rtpmap:${codec.payloadType} ${encodingName}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
  ];

  return `${lines.join('\n')}\n`;
}
