/**
 * English messages of the archive page. The keys defined here are the page's
 * whole vocabulary: kk.ts and ru.ts must translate every one of them.
 */
export const en = {
  'app.title': 'Attestation archive',
  'language.label': 'Language',
  'language.kk': 'Қазақша',
  'language.ru': 'Русский',
  'language.en': 'English',

  'token.heading': 'Archivist access',
  'token.label': 'Archivist key',
  'token.open': 'Open the archive',
  'token.denied': 'This key does not open the archive.',
  'token.expired': 'This key has expired. Ask the operator for a new one.',

  'search.heading': 'Search',
  'search.attestee': 'Attestee name',
  'search.member': 'Council member',
  'search.subject': 'Subject',
  'search.from': 'From',
  'search.to': 'To',
  'search.caseNumber': 'Case number',
  'search.status': 'Status',
  'search.anyStatus': 'Any',
  'search.submit': 'Search',
  'search.none': 'No recordings match.',
  'search.more': 'More results',
  'search.people': 'Attestee: {attestee}; council: {council}',

  'status.live': 'Live',
  'status.sealed': 'Sealed',
  'status.failed': 'Failed (segments kept)',
  'status.held': 'On legal hold',
  'status.expired': 'Expired',

  'sealing.waiting': 'Sealing: waiting to start',
  'sealing.progress': 'Sealing: {stage} {percent} %',
  'sealing.stage.downloading': 'checking the segments',
  'sealing.stage.composing': 'composing',
  'sealing.stage.uploading': 'storing',

  'detail.heading': 'Recording',
  'detail.summary': '{subject}, {date}',
  'detail.retainUntil': 'Kept until {date}',
  'detail.participants': 'Participants',
  'detail.timeline': 'Events',
  'detail.tracks': 'Original tracks',
  'detail.track': '{name}: {source} ({segments} segments)',
  'detail.playTrack': 'Play segment {seq}',
  'detail.noComposite': 'This recording has no playable file.',

  'role.attestee': 'Attestee',
  'role.chair': 'Council chair',
  'role.expert': 'Council expert',
  'role.room-device': 'Room device',

  'event.created': 'Created',
  'event.join': 'Joined',
  'event.leave': 'Left',
  'event.drop': 'Connection lost',
  'event.rejoin': 'Rejoined',
  'event.consent': 'Consent to recording',
  'event.admit': 'Admitted',
  'event.refuse': 'Refused',
  'event.mute': 'Muted',
  'event.remove': 'Removed',
  'event.start': 'Review started',
  'event.warning': 'Time warning',
  'event.end': 'Review ended',
  'event.recording-degraded': 'Recording degraded',
  'event.recording-restored': 'Recording restored',
  'event.media-interrupted': 'Media connection interrupted',
  'event.media-restored': 'Media connection restored',
  'event.session-interrupted':
    'Session interrupted (media server failure or service restart)',
  'event.session-resumed': 'Session resumed',

  'download.reason': 'Reason for the download',
  'download.composite': 'Download the recording',
  'download.needReason': 'Give a reason before downloading.',

  'case.heading': 'Dispute cases',
  'case.number': 'Case number',
  'case.reason': 'Reason',
  'case.open': 'Open a case',
  'case.close': 'Close case',
  'case.openLine': 'Case {number} (open): {reason}',
  'case.closedLine': 'Case {number} (closed): {reason}',
  'case.none': 'No cases.',

  'verify.run': 'Verify integrity',
  'verify.ok': 'Intact: {count} objects and the hash chain match the manifest.',
  'verify.failed': 'Mismatch: {keys}',

  'audit.heading': 'Audit log',
  'audit.show': 'Show the audit log',
  'audit.verify': 'Verify the audit log',
  'audit.export': 'Export (JSON lines)',
  'audit.ok': 'The audit log is intact ({count} entries).',
  'audit.broken': 'The audit log was altered at entry {seq}: {problem}',
  'audit.line': '#{seq} {at} {actor}: {action} {review}',

  'error.generic': 'The request failed ({code}).',
} as const;

/** Every message key of the archive page. */
export type ArchiveMessageKey = keyof typeof en;
