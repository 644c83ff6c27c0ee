import { describe, expect, it } from 'vitest';
import { inboundFiguresForTrack } from '../../../client/media/inbound-stats.ts';

describe('inboundFiguresForTrack', () => {
  // A receive transport's report: mediasoup's probe (ssrc 1234) comes first and never decodes.
  const report = [
    { type: 'transport', id: 't' },
    {
      type: 'inbound-rtp',
      kind: 'video',
      ssrc: 1234,
      trackIdentifier: 'probe',
      framesDecoded: 0,
    },
    {
      type: 'inbound-rtp',
      kind: 'video',
      trackIdentifier: 'camera-track',
      bytesReceived: 90_000,
      packetsReceived: 100,
      framesDecoded: 60,
      frameWidth: 1280,
      frameHeight: 720,
    },
    {
      type: 'inbound-rtp',
      kind: 'audio',
      trackIdentifier: 'mic-track',
      bytesReceived: 8_000,
      packetsReceived: 50,
      totalSamplesReceived: 48_000,
    },
  ];

  it('reads the entry of the given video track, not the first video entry', () => {
    expect(inboundFiguresForTrack(report, 'camera-track')).toEqual({
      kind: 'video',
      bytesReceived: 90_000,
      packetsReceived: 100,
      framesDecoded: 60,
      frameWidth: 1280,
      frameHeight: 720,
    });
  });

  it('reads samples for an audio track', () => {
    expect(inboundFiguresForTrack(report, 'mic-track')).toEqual({
      kind: 'audio',
      bytesReceived: 8_000,
      packetsReceived: 50,
      totalSamplesReceived: 48_000,
    });
  });

  it('has no figures for a track that has received nothing yet', () => {
    expect(inboundFiguresForTrack(report, 'screen-track')).toBeUndefined();
  });
});
