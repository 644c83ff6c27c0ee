/**
 * Asks the browser for a screen, window or tab to share. Text on the shared
 * screen must stay legible in the recording, so the resolution is left at the
 * source's and only the frame rate is kept modest.
 */

/** The frame rate of a shared screen: slides and documents change slowly. */
const SCREEN_FRAME_RATE = 15;

/** One video track of the chosen surface; rejects if the person cancels. */
export async function captureScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { ideal: SCREEN_FRAME_RATE } },
    audio: false,
  });
  const [track] = stream.getVideoTracks();
  if (!track) throw new DOMException('The shared surface has no video', 'NotFoundError');

  return track;
}
