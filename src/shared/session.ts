/**
 * Sessions as every context sees them: a tab's analysis from start to stop, its participants, and
 * for each participant a timeline of (smoothed) probabilities at the sampling times. The store
 * (src/shared/session-store.ts) keeps them in IndexedDB, with each session's summary beside its
 * meta; the popup and the report page read them; export writes them as CSV or JSON.
 */
export interface Participant {
  /** Stable within the session: the tile (video) id, with `/trackId` for extra faces in one tile. */
  id: string;
  /** The name shown on the tile when the page shows one, else "Participant N"; the user may rename. */
  name: string;
  /** When the participant was first seen (ms since the epoch). */
  firstSeen: number;
  /** The user named this participant: names read from the page no longer replace it. */
  renamed?: boolean;
}

export interface SessionMeta {
  id: string;
  /** Page title when the session started. */
  title: string;
  /** The page's origin only (no path or query: those can identify a meeting). */
  origin: string;
  startedAt: number;
  /** Absent while the session runs. */
  endedAt?: number;
  participants: Participant[];
  /** Samples stored (all participants). */
  samples: number;
}

/** One participant's samples, times ascending; `p[i]` holds 7 probabilities in EMOTIONS order. */
export interface Timeline {
  participantId: string;
  t: number[];
  p: number[][];
}

export interface SessionData {
  meta: SessionMeta;
  timelines: Timeline[];
}

/** A sample as the recorder receives it. */
export interface Sample {
  participantId: string;
  t: number;
  p: ArrayLike<number>;
}
