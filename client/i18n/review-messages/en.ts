/**
 * English messages of the review page. The keys defined here are the page's
 * whole vocabulary: kk.ts and ru.ts must translate every one of them.
 */
export const en = {
  'app.title': 'Attestation review',
  'language.label': 'Language',
  'language.kk': 'Қазақша',
  'language.ru': 'Русский',
  'language.en': 'English',

  'role.attestee': 'Attestee',
  'role.chair': 'Council chair',
  'role.expert': 'Council expert',
  'role.room-device': 'Room device',

  'join.heading': 'Joining the review',
  'join.loading': 'Checking your invitation link…',
  'join.subject': 'Review: {subject}',
  'join.you': 'You join as {name}, {role}.',
  'join.continue': 'Continue to the equipment check',
  'join.problem.no-token':
    'This link has no access key. Open the link from your invitation again.',
  'join.problem.invalid':
    'This link is not valid: it may be cut short or meant for another review. Open the link from your invitation again, or ask whoever sent it for a new one.',
  'join.problem.expired':
    'This link has expired. Ask whoever sent your invitation for a new one.',
  'join.problem.ended': 'This review is over; the link no longer opens it.',
  'join.problem.cancelled': 'This review was cancelled.',
  'join.problem.unreachable':
    'The server cannot be reached. Check your internet connection and try again.',
  'join.problem.other':
    'The review cannot be opened right now (code {code}). Try again in a few minutes, or tell whoever sent your invitation.',
  'join.retry': 'Try again',

  'preflight.heading': 'Equipment check',
  'preflight.media': 'Camera and microphone',
  'preflight.mediaWaiting': 'Asking for the camera and microphone…',
  'preflight.mediaOk': 'The camera and the microphone work.',
  'preflight.mediaFailed': 'The camera or the microphone is not available ({reason}).',
  'preflight.mediaDenied':
    'The browser may not use the camera and microphone. Allow them (the camera icon in the address bar) and reload the page.',
  'preflight.mediaMissing':
    'No camera or microphone was found. Connect one and reload the page.',
  'preflight.mediaBusy':
    'The camera or the microphone is in use by another program. Close it and reload the page.',
  'preflight.level': 'Microphone level',
  'preflight.connectivity': 'Connection to the server',
  'preflight.connecting': 'Connecting…',
  'preflight.connected': 'Connected. Round trip {ms} ms.',
  'preflight.connectFailed':
    'The server cannot be reached. Check your internet connection; the page keeps trying.',
  'preflight.mediaPathWaiting':
    'Whether your video reaches the server is checked once the camera and the connection are ready.',
  'preflight.mediaPathChecking': 'Checking that your video reaches the server…',
  'preflight.mediaPathUdp': 'Video reaches the server (UDP, {kbps} kbit/s).',
  'preflight.mediaPathTcp':
    'Video reaches the server through TCP ({kbps} kbit/s): your network blocks UDP. The review works, but on a slow connection the picture may lag.',
  'preflight.mediaPathRelay':
    'Video reaches the server through the relay ({kbps} kbit/s): your network allows no direct path, so the relay server carries it.',
  'preflight.mediaPathBlocked':
    "Your video did not reach the server: this network seems to block the connection the review uses for video and sound. You can still go on to the waiting room, but the council may not see or hear you. Try another network (for example, internet shared from a mobile phone), or ask your school's IT staff to allow video calls to this server (UDP and TCP).",
  'preflight.mediaPathSilent':
    'The server was reached, but no video arrived. Check that no other program is using the camera and reload the page. You can still go on to the waiting room.',
  'preflight.mediaPathUnavailable':
    'Whether your video reaches the server could not be checked ({code}). You can still go on to the waiting room.',
  'preflight.consent':
    'I agree that this review is recorded (video, audio and shared screen) and kept in the attestation archive for at least one year.',
  'preflight.consentGiven': 'You have agreed to the recording.',
  'preflight.join': 'Join the review',

  'lobby.heading': 'Waiting room',
  'lobby.waiting': 'Please wait: the council chair will let you in.',

  'room.recording': 'Recording',
  'room.notRecording': 'Not recording yet',
  'room.recordingInterrupted':
    'Recording interrupted — it resumes as the connection comes back',
  'room.recordingDegraded': 'Recording problem: the council is informed',
  'room.timeLeft': 'Time left: {time}',
  'room.notStarted': 'The review has not started yet',
  'room.you': '{name} (you)',
  'room.participant': '{name}, {role}',
  'room.screenOf': 'Screen of {name}',
  'room.yourScreen': 'Your screen (what the others see)',
  'room.muteMic': 'Mute microphone',
  'room.unmuteMic': 'Unmute microphone',
  'room.cameraOff': 'Turn camera off',
  'room.cameraOn': 'Turn camera on',
  'room.shareScreen': 'Share screen',
  'room.stopShare': 'Stop sharing',
  'room.warning': 'Time left: {time}. The review will end automatically.',
  'room.disconnected': 'Disconnected — waiting for them to reconnect',

  'chair.heading': 'Chair controls',
  'chair.lobby': 'Waiting room',
  'chair.lobbyEmpty': 'Nobody is waiting.',
  'chair.lobbyDisconnected': 'Disconnected: if admitted, they enter the room on return',
  'chair.admit': 'Admit',
  'chair.refuse': 'Refuse',
  'chair.mute': 'Mute',
  'chair.remove': 'Remove',
  'chair.start': 'Start the review',
  'chair.end': 'End the review now',
  'chair.endConfirm': 'End the review for everyone now?',
  'chair.notReady':
    'Start becomes possible when the attestee is present and every track is recorded ({writing} of {expected}).',
  'chair.ready': 'Everyone is here and every track is recorded.',

  'notice.muted': 'The council chair muted your microphone.',
  'notice.reconnecting': 'The connection was lost. Reconnecting…',
  'notice.reconnected': 'Connected again.',
  'notice.mediaRestoring': 'Restoring the audio and video connection…',
  'notice.mediaRestored': 'Audio and video are back.',
  'notice.recordingDegraded': 'The recording has a problem; the service is restoring it.',
  'notice.recordingRestored': 'The recording works again.',
  'notice.recordingFailed': 'The recording of a track failed; the council is informed.',
  'notice.mediaMoving':
    'The media server failed. The review moves to another one and goes on; you will be reconnected automatically.',
  'notice.serverRestarting':
    'The service is restarting. The review goes on; you will be reconnected automatically.',
  'notice.other': 'Service message: {code}',
  'notice.actionFailed': 'The action failed: {reason}',

  'end.heading.ended': 'The review has ended',
  'end.heading.removed': 'You were removed from the review',
  'end.heading.refused': 'You were not admitted to the review',
  'end.heading.replaced': 'This review is open in another window',
  'end.reason.time-limit': 'The time limit was reached.',
  'end.reason.chair': 'The council chair ended the review.',
  'end.reason.shutdown': 'The service was stopped.',
  'end.reason.cancelled': 'The review was cancelled.',
  'end.reason.ended': 'The review is over.',
  'end.reason.removed':
    'The council chair removed you from the review. The review goes on without you.',
  'end.reason.refused': 'The council chair did not admit you.',
  'end.reason.replaced': 'You joined from another window, so this one was closed.',
  'end.closeWindow': 'You can close this window.',
  'end.closeReplaced': 'Go on in the other window; you can close this one.',

  'error.generic': 'Something went wrong ({code}).',
} as const;

/** Every message key of the review page. */
export type ReviewMessageKey = keyof typeof en;
