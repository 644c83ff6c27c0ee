/**
 * Reads what a consumer actually receives from WebRTC statistics. A receive
 * transport also reports mediasoup's bandwidth probe (ssrc 1234, never
 * decoded), so the entry is chosen by the consumer's track, not by position.
 */

/** What one consumer has received and decoded so far. */
export interface InboundFigures {
  kind: 'audio' | 'video';
  bytesReceived: number;
  packetsReceived: number;
  /** Video only. */
  framesDecoded?: number;
  /** Video only: the size of the last decoded frame, to prove nothing was downscaled. */
  frameWidth?: number;
  frameHeight?: number;
  /** Audio only. */
  totalSamplesReceived?: number;
}

/** The subset of an inbound-rtp stats entry read here. */
interface InboundRtpEntry {
  type: string;
  kind?: string;
  trackIdentifier?: string;
  bytesReceived?: number;
  packetsReceived?: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  totalSamplesReceived?: number;
}

/**
 * The figures of the inbound-rtp entry carrying `trackId`, or undefined when
 * the report has none (nothing received yet).
 */
export function inboundFiguresForTrack(
  entries: Iterable<unknown>,
  trackId: string,
): InboundFigures | undefined {
  for (const raw of entries) {
    const entry = raw as InboundRtpEntry;
    if (entry.type !== 'inbound-rtp' || entry.trackIdentifier !== trackId) continue;

    const kind = entry.kind === 'audio' ? 'audio' : 'video';
    const figures: InboundFigures = {
      kind,
      bytesReceived: entry.bytesReceived ?? 0,
      packetsReceived: entry.packetsReceived ?? 0,
    };
    if (kind === 'video') {
      figures.framesDecoded = entry.framesDecoded ?? 0;
      figures.frameWidth = entry.frameWidth ?? 0;
      figures.frameHeight = entry.frameHeight ?? 0;
    } else {
      figures.totalSamplesReceived = entry.totalSamplesReceived ?? 0;
    }

    return figures;
  }

  return undefined;
}
