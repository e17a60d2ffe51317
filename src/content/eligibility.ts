/** Which videos MoodLens analyses: visible ones at least MIN_VIDEO_SIZE CSS pixels on each side. */
export const MIN_VIDEO_SIZE = 64;

export interface VideoFacts {
  connected: boolean;
  /** Rendered size in CSS pixels (getBoundingClientRect). */
  width: number;
  height: number;
  /** checkVisibility() with opacity and visibility: false when it or an ancestor hides it. */
  visible: boolean;
}

export type Verdict = { ok: true } | { ok: false; reason: 'detached' | 'hidden' | 'zero-size' | 'tiny' };

export function judgeVideo(f: VideoFacts): Verdict {
  if (!f.connected) return { ok: false, reason: 'detached' };
  if (f.width <= 0 || f.height <= 0) return { ok: false, reason: 'zero-size' };
  if (!f.visible) return { ok: false, reason: 'hidden' };
  if (f.width < MIN_VIDEO_SIZE || f.height < MIN_VIDEO_SIZE) return { ok: false, reason: 'tiny' };
  return { ok: true };
}

export function videoFacts(video: Element): VideoFacts {
  const rect = video.getBoundingClientRect();
  const visible =
    typeof video.checkVisibility === 'function'
      ? video.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      : getComputedStyle(video).visibility === 'visible';
  return { connected: video.isConnected, width: rect.width, height: rect.height, visible };
}
