import type { RtpParameters } from 'mediasoup/types';
import { describe, expect, it } from 'vitest';
import {
  captureSdp,
  codecNameOf,
  segmentFormatFor,
} from '../../../recording/capture-format.ts';

const opus: RtpParameters = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
    },
  ],
  encodings: [{ ssrc: 1234 }],
};

describe('captureSdp', () => {
  it('describes separate RTP and RTCP ports with the consumer payload type', () => {
    const sdp = captureSdp('audio', opus, '127.0.0.1', {
      rtpPort: 50000,
      rtcpPort: 50001,
    });

    expect(sdp).toContain('m=audio 50000 RTP/AVP 100\n');
    expect(sdp).toContain('a=rtcp:50001\n');
    expect(sdp).toContain('a=rtpmap:100 opus/48000/2\n');
    expect(sdp).toContain('a=fmtp:100 useinbandfec=1\n');
  });
});

describe('segmentFormatFor', () => {
  it('writes VP8 and opus to WebM and H264 to Matroska', () => {
    expect(segmentFormatFor('video', 'vp8').extension).toBe('webm');
    expect(segmentFormatFor('audio', codecNameOf(opus)).contentType).toBe('audio/webm');
    expect(segmentFormatFor('video', 'h264')).toMatchObject({
      muxer: 'matroska',
      extension: 'mkv',
    });
  });

  it('refuses a codec it cannot store without transcoding', () => {
    expect(() => segmentFormatFor('audio', 'pcmu')).toThrow(
      expect.objectContaining({ code: 'RECORDING_FAILED' }),
    );
  });
});
