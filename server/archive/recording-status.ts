/**
 * A recording's status as the archive shows it, derived in SQL so searches
 * can filter on it: held (an open dispute case) wins over everything, then
 * expired (deleted by retention); while objects are still being written it
 * is live as long as its review goes on, and sealing once the review is over
 * (ended or cancelled); failed (closed without a seal; its segments are
 * kept); empty (sealed with nothing recorded: nobody was admitted, so there
 * is a manifest of who came and what happened, and no media); else sealed.
 * A recording being sealed also carries its seal's progress.
 */

/** What an archivist sees about a recording's life. */
export type RecordingStatus =
  'live' | 'sealing' | 'sealed' | 'empty' | 'failed' | 'held' | 'expired';

/** Every status, for validating a search filter. */
export const RECORDING_STATUSES = [
  'live',
  'sealing',
  'sealed',
  'empty',
  'failed',
  'held',
  'expired',
] as const;

/** Recorder states (recording/recording-store.ts) in which objects are still being written. */
export const WRITING_STATES_SQL = `('recording', 'finalising')`;

/** Review states (server/review/review-types.ts) after which nothing more is recorded. */
const REVIEW_OVER_STATES: readonly string[] = ['ended', 'cancelled'];
const REVIEW_OVER_STATES_SQL = `('ended', 'cancelled')`;

/** SQL for the status of the recording row aliased `rec` of the review aliased `r`. */
export const RECORDING_STATUS_SQL = `CASE
  WHEN EXISTS (SELECT 1 FROM dispute_cases dc
               WHERE dc.review_id = rec.review_id AND dc.closed_at IS NULL) THEN 'held'
  WHEN rec.state = 'expired' THEN 'expired'
  WHEN rec.state IN ${WRITING_STATES_SQL} AND r.state IN ${REVIEW_OVER_STATES_SQL}
    THEN 'sealing'
  WHEN rec.state IN ${WRITING_STATES_SQL} THEN 'live'
  WHEN rec.state = 'failed' THEN 'failed'
  WHEN rec.composite_key IS NULL THEN 'empty'
  ELSE 'sealed' END`;

/**
 * Where a finalising recording's seal is: 'waiting' until the seal has begun
 * (its last uploads, its turn in the seal queue), then the sealer's stages.
 */
export type SealingStage = 'waiting' | 'downloading' | 'composing' | 'uploading';

/** A finalising recording's seal, as the archive shows it. */
export interface SealingProgress {
  stage: SealingStage;
  /** 0..100 within the stage, rounded down (100 only once the stage is done). */
  percent: number;
  /** When the sealer last reported; null while waiting. */
  updatedAt: string | null;
}

/** The columns sealingOf() reads, for the recording aliased `rec` of the review `r`. */
export const SEALING_COLUMNS_SQL =
  'rec.state AS recording_state, r.state AS review_state, rec.seal_stage, rec.seal_fraction, rec.seal_updated_at';

/** What SEALING_COLUMNS_SQL selects. */
export interface SealingColumns {
  recording_state: string;
  /** Left out, a recording is taken to be sealed only once it is finalising. */
  review_state?: string;
  seal_stage: string | null;
  seal_fraction: number | null;
  seal_updated_at: string | null;
}

const RUNNING_STAGES: readonly string[] = ['downloading', 'composing', 'uploading'];

/**
 * The seal's progress while the recording is finalising, or still recording
 * under a review that is over (its captures are being finalised and its
 * uploads drained before the seal begins); null in every other state.
 */
export function sealingOf(row: SealingColumns): SealingProgress | null {
  const reviewOver = REVIEW_OVER_STATES.includes(row.review_state ?? '');
  const finishing =
    row.recording_state === 'finalising' ||
    (row.recording_state === 'recording' && reviewOver);
  if (!finishing) return null;

  if (row.seal_stage === null || !RUNNING_STAGES.includes(row.seal_stage))
    return { stage: 'waiting', percent: 0, updatedAt: null };

  const fraction = Math.min(Math.max(row.seal_fraction ?? 0, 0), 1);
  return {
    stage: row.seal_stage as SealingStage,
    percent: Math.floor(fraction * 100),
    updatedAt: row.seal_updated_at,
  };
}
