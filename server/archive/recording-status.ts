/**
 * A recording's status as the archive shows it, derived in SQL so searches
 * can filter on it: held (an open dispute case) wins over everything, then
 * expired (deleted by retention), live (still being written), failed
 * (closed without a seal; its segments are kept), else sealed.
 */

/** What an archivist sees about a recording's life. */
export type RecordingStatus = 'live' | 'sealed' | 'failed' | 'held' | 'expired';

/** Every status, for validating a search filter. */
export const RECORDING_STATUSES = [
  'live',
  'sealed',
  'failed',
  'held',
  'expired',
] as const;

/** Recorder states (recording/recording-store.ts) in which objects are still being written. */
export const WRITING_STATES_SQL = `('recording', 'finalising')`;

/** SQL for the status of the recording row aliased `rec`. */
export const RECORDING_STATUS_SQL = `CASE
  WHEN EXISTS (SELECT 1 FROM dispute_cases dc
               WHERE dc.review_id = rec.review_id AND dc.closed_at IS NULL) THEN 'held'
  WHEN rec.state = 'expired' THEN 'expired'
  WHEN rec.state IN ${WRITING_STATES_SQL} THEN 'live'
  WHEN rec.state = 'failed' THEN 'failed'
  ELSE 'sealed' END`;
